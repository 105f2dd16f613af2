/** Forms: creating and reading the lead-capture forms. */
import { notFound } from '#platform/errors.js';
import type { ListOptions, Page } from '#platform/store.js';
import { uniqueSorted } from '#platform/values.js';
import type { DroppedSubmission, Form, FormCase, FormField } from './model.js';
import type { CaptureDeps } from './store.js';

/**
 * Names a form may not declare: they carry spam defences, consent, attribution and the visitor's
 * time zone (every submission may carry it; the hosted page fills it from the browser).
 */
export const SYSTEM_FIELDS = {
  honeypot: '_hp',
  token: '_ts',
  consent: 'consent',
  timeZone: 'timeZone',
  /** The site tracking snippet's visitor id, added to forms on a tracked site (identifies the visitor). */
  visitor: '_tv',
  utm: ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content'],
} as const;
export const RESERVED = new Set<string>([
  SYSTEM_FIELDS.honeypot,
  SYSTEM_FIELDS.token,
  SYSTEM_FIELDS.consent,
  SYSTEM_FIELDS.timeZone,
  SYSTEM_FIELDS.visitor,
  ...SYSTEM_FIELDS.utm,
]);
export const isReservedFieldName = (name: string) => RESERVED.has(name) || name.startsWith('_');

export interface NewForm {
  name: string;
  fields: FormField[];
  tags: string[];
  redirectUrl?: string | undefined;
  allowedOrigins?: string[] | undefined;
  consent?: { text: string; required: boolean } | undefined;
  case?: FormCase | undefined;
  spam?:
    | { minFillSeconds?: number; requireToken?: boolean; rateLimits?: Form['spam']['rateLimits'] }
    | undefined;
}

export async function createForm(deps: CaptureDeps, input: NewForm): Promise<Form> {
  const at = deps.clock.now().toISOString();
  const form: Form = {
    id: deps.ids.next(),
    name: input.name,
    fields: input.fields,
    tags: uniqueSorted(input.tags),
    ...(input.redirectUrl ? { redirectUrl: input.redirectUrl } : {}),
    ...(input.allowedOrigins ? { allowedOrigins: input.allowedOrigins } : {}),
    ...(input.consent ? { consent: input.consent } : {}),
    ...(input.case ? { case: input.case } : {}),
    spam: {
      minFillSeconds: input.spam?.minFillSeconds ?? 3,
      // Hosted and embedded forms carry a token; a custom page fetches one (GET /f/{id}/token).
      requireToken: input.spam?.requireToken ?? true,
      ...(input.spam?.rateLimits ? { rateLimits: input.spam.rateLimits } : {}),
    },
    createdAt: at,
    updatedAt: at,
  };
  await deps.store.commit([{ kind: 'putForm', form }]);
  return form;
}

export async function getForm(deps: CaptureDeps, id: string): Promise<Form> {
  const form = await deps.store.getForm(id);
  if (!form) throw notFound('form', id);
  return form;
}

export const listForms = (deps: CaptureDeps, options: ListOptions): Promise<Page<Form>> =>
  deps.store.listForms(options);

/** A form's submissions dropped as spam (kept 30 days), newest first. */
export async function listDroppedSubmissions(
  deps: CaptureDeps,
  id: string,
  options: ListOptions,
): Promise<Page<DroppedSubmission>> {
  await getForm(deps, id);
  return deps.store.listDroppedSubmissions(id, options);
}
