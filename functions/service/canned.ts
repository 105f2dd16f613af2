/**
 * Canned responses: the answers agents give again and again, with merge fields
 * (`{{ contact.firstName | default: "there" }}`, `{{ case.ref }}`, `{{ agent }}`), rendered for one
 * case when an agent picks one (the agent edits the text before sending it).
 */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { renderText, textTemplateError } from '#messaging/template-engine.js';
import { invalid, notFound, staleVersion } from '#platform/errors.js';
import { CommitConflict } from '#platform/store.js';
import { shortText } from '#platform/values.js';
import { getCase } from './cases.js';
import type { ServiceDeps } from './store.js';

/** At most this many canned responses (a picker's worth; read whole). */
export const MAX_CANNED = 200;

export const CannedResponseSchema = z.lazy(() =>
  z
    .object({
      id: z.string(),
      name: z.string(),
      text: z.string(),
      version: z.int(),
      createdAt: z.string(),
      updatedAt: z.string(),
    })
    .check(z.meta({ id: 'CannedResponse' })),
);
export type CannedResponse = z.infer<typeof CannedResponseSchema>;

export const CannedInputSchema = z.lazy(() =>
  z.strictObject({
    name: shortText(100),
    text: z.string().check(z.trim(), z.minLength(1), z.maxLength(10_000)),
    /** The version read (updates only). */
    version: z.optional(z.int().check(z.gte(1))),
  }),
);
export type CannedInput = z.infer<typeof CannedInputSchema>;

/** The merge fields a canned response may use, by top-level name. */
const ROOTS = ['contact', 'case', 'agent'];

async function checked(input: CannedInput) {
  const error = await textTemplateError(input.text);
  if (error)
    throw invalid('validation_error', 'the text has a merge field error', [
      { path: 'text', message: error, code: 'template_syntax' },
    ]);
  const unknown = [...input.text.matchAll(/\{\{\s*([a-zA-Z_]+)/g)]
    .map((m) => m[1] ?? '')
    .filter((root) => !ROOTS.includes(root));
  if (unknown.length)
    throw invalid('validation_error', 'the text uses merge fields that do not exist', [
      {
        path: 'text',
        message: `{{ ${unknown[0]} }} is not a merge field: use contact.…, case.… or agent`,
        code: 'unknown_variable',
      },
    ]);
}

export async function listCanned(deps: ServiceDeps): Promise<CannedResponse[]> {
  return deps.store.listCannedResponses();
}

export async function saveCanned(deps: ServiceDeps, id: string | undefined, input: CannedInput) {
  await checked(input);
  const now = deps.clock.now().toISOString();
  const current = id ? await deps.store.getCannedResponse(id) : undefined;
  if (id && !current) throw notFound('canned response', id);
  if (current && input.version !== undefined && input.version !== current.version)
    throw staleVersion('canned response', current.id, current.version);
  if (!current && (await deps.store.listCannedResponses()).length >= MAX_CANNED)
    throw invalid('too_many', `a workspace has at most ${MAX_CANNED} canned responses`);
  const saved: CannedResponse = {
    id: current?.id ?? deps.ids.next(),
    name: input.name,
    text: input.text,
    version: (current?.version ?? 0) + 1,
    createdAt: current?.createdAt ?? now,
    updatedAt: now,
  };
  try {
    await deps.store.commit([
      { kind: 'putCannedResponse', response: saved, expectedVersion: current?.version ?? 0 },
    ]);
  } catch (err) {
    if (err instanceof CommitConflict && current)
      throw staleVersion(
        'canned response',
        current.id,
        (await deps.store.getCannedResponse(current.id))?.version ?? 0,
      );
    throw err;
  }
  return saved;
}

export async function deleteCanned(deps: ServiceDeps, id: string): Promise<void> {
  if (!(await deps.store.getCannedResponse(id))) throw notFound('canned response', id);
  await deps.store.commit([{ kind: 'deleteCannedResponse', id }]);
}

/** The response's text for this case: its contact's and the case's merge fields, and the agent's name. */
export async function renderCanned(deps: ServiceDeps, caseId: string, responseId: string, agent?: string) {
  const [c, response] = await Promise.all([getCase(deps, caseId), deps.store.getCannedResponse(responseId)]);
  if (!response) throw notFound('canned response', responseId);
  const contact = await deps.store.getContact(c.contactId);
  const text = await renderText(response.text, {
    contact: {
      email: c.email,
      firstName: contact?.firstName,
      lastName: contact?.lastName,
      company: contact?.company,
      fields: contact?.fields ?? {},
    },
    case: { ref: c.ref, subject: c.subject, priority: c.priority, status: c.status },
    agent: agent ?? c.assignee,
  });
  return { text: text.trim() };
}
