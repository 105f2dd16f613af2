import { getContact } from './contacts.js';
import { DomainError, notFound, validationError } from './errors.js';
import type { EmailTemplate, Page } from './model.js';
import { CommitConflict, type Deps, type ListOptions } from './ports.js';
import { checkTemplate, mergeContext, type RenderedEmail, renderTemplate } from './template-engine.js';

export interface NewTemplate {
  name: string;
  subject: string;
  html: string;
  text?: string | undefined;
}

function assertCompiles(input: NewTemplate) {
  const problems = checkTemplate(input);
  if (problems.length > 0) throw validationError('the template does not compile', problems);
}

export async function createTemplate(deps: Deps, input: NewTemplate): Promise<EmailTemplate> {
  assertCompiles(input);
  const at = deps.clock.now().toISOString();
  const template: EmailTemplate = { id: deps.ids.next(), ...input, version: 1, createdAt: at, updatedAt: at };
  await deps.store.commit([{ kind: 'putTemplate', template }]);
  return template;
}

export async function updateTemplate(
  deps: Deps,
  id: string,
  input: NewTemplate & { version: number },
): Promise<EmailTemplate> {
  const current = await getTemplate(deps, id);
  if (current.version !== input.version) {
    throw new DomainError(409, 'version_conflict', `template ${id} is at version ${current.version}`, {
      currentVersion: current.version,
    });
  }
  const { version: _, ...source } = input;
  assertCompiles(source);
  const next: EmailTemplate = {
    ...current,
    ...source,
    version: current.version + 1,
    updatedAt: deps.clock.now().toISOString(),
  };
  if (source.text === undefined) delete next.text;
  try {
    await deps.store.commit([{ kind: 'putTemplate', template: next, expectedVersion: current.version }]);
  } catch (err) {
    if (err instanceof CommitConflict)
      throw new DomainError(409, 'version_conflict', `template ${id} was changed meanwhile`);
    throw err;
  }
  return next;
}

export async function getTemplate(deps: Deps, id: string): Promise<EmailTemplate> {
  const template = await deps.store.getTemplate(id);
  if (!template) throw notFound('template', id);
  return template;
}

export const listTemplates = (deps: Deps, options: ListOptions): Promise<Page<EmailTemplate>> =>
  deps.store.listTemplates(options);

/** Renders a template for a contact, as the email would be sent (with a sample unsubscribe link). */
export async function previewTemplate(deps: Deps, id: string, contactId: string): Promise<RenderedEmail> {
  const [template, contact] = await Promise.all([getTemplate(deps, id), getContact(deps, contactId)]);
  return renderTemplate(
    template,
    mergeContext(contact, { unsubscribeUrl: 'https://example.invalid/u/preview' }),
  );
}
