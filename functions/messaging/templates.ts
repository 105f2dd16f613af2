/** Email templates: create, replace (optimistic concurrency), read, and preview for a contact. */
import { getContact } from '#contacts/rules.js';
import { notFound, staleVersion, validationError } from '#platform/errors.js';
import { CommitConflict, type ListOptions, type Page } from '#platform/store.js';
import type { EmailTemplate, RenderedEmail } from './model.js';
import type { MessagingDeps } from './store.js';
import { checkTemplate, mergeContext, renderTemplate } from './template-engine.js';

export interface NewTemplate {
  name: string;
  subject: string;
  html: string;
  text?: string | undefined;
}

async function assertCompiles(input: NewTemplate) {
  const problems = await checkTemplate(input);
  if (problems.length > 0) throw validationError('the template does not compile', problems);
}

export async function createTemplate(deps: MessagingDeps, input: NewTemplate): Promise<EmailTemplate> {
  await assertCompiles(input);
  const at = deps.clock.now().toISOString();
  const template: EmailTemplate = { id: deps.ids.next(), ...input, version: 1, createdAt: at, updatedAt: at };
  await deps.store.commit([{ kind: 'putTemplate', template }]);
  return template;
}

export async function updateTemplate(
  deps: MessagingDeps,
  id: string,
  input: NewTemplate & { version: number },
): Promise<EmailTemplate> {
  const current = await getTemplate(deps, id);
  if (current.version !== input.version) {
    throw staleVersion('template', id, current.version);
  }
  const { version: _, ...source } = input;
  await assertCompiles(source);
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
      throw staleVersion('template', id, (await getTemplate(deps, id)).version);
    throw err;
  }
  return next;
}

export async function getTemplate(deps: MessagingDeps, id: string): Promise<EmailTemplate> {
  const template = await deps.store.getTemplate(id);
  if (!template) throw notFound('template', id);
  return template;
}

export const listTemplates = (deps: MessagingDeps, options: ListOptions): Promise<Page<EmailTemplate>> =>
  deps.store.listTemplates(options);

/** Renders a template for a contact, as the email would be sent (with a sample unsubscribe link). */
export async function previewTemplate(
  deps: MessagingDeps,
  id: string,
  contactId: string,
): Promise<RenderedEmail> {
  const [template, contact] = await Promise.all([getTemplate(deps, id), getContact(deps, contactId)]);
  return renderTemplate(
    template,
    mergeContext(contact, { unsubscribeUrl: 'https://example.invalid/u/preview' }),
  );
}
