/** Email templates: create, replace (optimistic concurrency), read, and preview for a contact. */
import { getContact } from '#contacts/rules.js';
import { notFound, staleVersion, validationError } from '#platform/errors.js';
import { CommitConflict, type ListOptions, type Page } from '#platform/store.js';
import type { EmailTemplate, RenderedEmail } from './model.js';
import type { MessagingDeps } from './store.js';
import { checkTemplate, mergeContext, renderTemplate, templateWarnings } from './template-engine.js';

export interface NewTemplate {
  name: string;
  subject: string;
  html: string;
  text?: string | undefined;
}

/** A contact with every property set, to render a template once before it is saved. */
export const SAMPLE_CONTACT = {
  id: '01JF0000000000000000000000',
  email: 'sample@example.com',
  firstName: 'Sam',
  lastName: 'Sample',
  company: 'Example Ltd',
  phone: '+1 555 0100',
  fields: {},
  tags: ['sample'],
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

/**
 * A template is saved only if it compiles and renders (within the render limits) for a sample
 * contact; what it compiles with but should not (unknown variables, no unsubscribe link) is kept
 * as warnings.
 */
async function checked(input: NewTemplate) {
  const problems = await checkTemplate(input);
  if (problems.length > 0) throw validationError('the template does not compile', problems);
  await renderTemplate(
    input,
    mergeContext(SAMPLE_CONTACT, { unsubscribeUrl: 'https://example.invalid/u/sample' }),
  );
  return templateWarnings(input);
}

export async function createTemplate(deps: MessagingDeps, input: NewTemplate): Promise<EmailTemplate> {
  const warnings = await checked(input);
  const at = deps.clock.now().toISOString();
  const template: EmailTemplate = {
    id: deps.ids.next(),
    ...input,
    ...(warnings.length > 0 ? { warnings } : {}),
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
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
  const warnings = await checked(source);
  const next: EmailTemplate = {
    ...current,
    ...source,
    version: current.version + 1,
    updatedAt: deps.clock.now().toISOString(),
  };
  if (source.text === undefined) delete next.text;
  if (warnings.length > 0) next.warnings = warnings;
  else delete next.warnings;
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

/**
 * Renders a template for a contact, as the email would be sent (with a sample unsubscribe link),
 * with the template's warnings; a template that cannot render for this contact is a 400.
 */
export async function previewTemplate(
  deps: MessagingDeps,
  id: string,
  contactId: string,
): Promise<RenderedEmail> {
  const [template, contact] = await Promise.all([getTemplate(deps, id), getContact(deps, contactId)]);
  const [rendered, warnings] = await Promise.all([
    renderTemplate(template, mergeContext(contact, { unsubscribeUrl: 'https://example.invalid/u/preview' })),
    templateWarnings(template),
  ]);
  return { ...rendered, ...(warnings.length > 0 ? { warnings } : {}) };
}
