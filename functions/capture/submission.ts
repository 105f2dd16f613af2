/**
 * Lead capture: a public submission parsed against its form, checked for spam, and turned into a
 * contact upsert, tags, a timeline entry and a FormSubmitted event — in one transaction, answered
 * once per idempotency key.
 */
import { createHash } from 'node:crypto';
import {
  type Activity,
  CONTACT_PROPERTIES,
  type ContactProperty,
  type CustomFields,
  type FieldValue,
} from '#contacts/model.js';
import { upsertContactWrites } from '#contacts/rules.js';
import { type ErrorDetail, forbidden, validationError } from '#platform/errors.js';
import { withOptimisticRetry } from '#platform/retry.js';
import { CommitConflict, emit } from '#platform/store.js';
import { emailSchema } from '#platform/values.js';
import { verifyFormToken } from './form-token.js';
import { getForm, RESERVED, SYSTEM_FIELDS } from './forms.js';
import type { Form, FormField } from './model.js';
import type { CaptureDeps } from './store.js';

const KEY_WINDOW_MS = 24 * 3600 * 1000;
const RESUBMIT_WINDOW_MS = 10 * 60 * 1000;

/** A raw submission as it arrived: values from the body, attribution from the request. */
export interface Submission {
  formId: string;
  values: Record<string, unknown>;
  query: Record<string, string | undefined>;
  idempotencyKey?: string | undefined;
  sourceIp: string;
  userAgent?: string | undefined;
  referrer?: string | undefined;
  /** The browser's Origin header, checked against the form's allowedOrigins. */
  origin?: string | undefined;
}

export type SubmitOutcome = { form: Form } & (
  | { kind: 'accepted'; contactId: string; created: boolean }
  | { kind: 'duplicate'; contactId: string }
  | { kind: 'spam'; reason: 'honeypot' | 'token_missing' | 'token_invalid' | 'too_fast' }
);

/** Whether a browser on `origin` may submit the form (no Origin header: not a cross-site browser request). */
export function originAllowed(form: Form, origin: string | undefined): boolean {
  if (!origin || !form.allowedOrigins) return true;
  return form.allowedOrigins.includes(origin.toLowerCase());
}

interface ParsedSubmission {
  email: string;
  properties: Partial<Record<ContactProperty, string>>;
  fields: CustomFields;
  submitted: Record<string, FieldValue>;
  consentGiven: boolean;
  honeypot: string;
  token?: string;
  utm: Record<string, string>;
}

const TEXT_LIMITS: Record<FormField['type'], number> = {
  email: 254,
  text: 500,
  tel: 32,
  textarea: 5000,
  number: 32,
  checkbox: 5,
  hidden: 500,
};

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

const truthy = (v: string | undefined) =>
  v !== undefined && ['on', 'true', '1', 'yes'].includes(v.toLowerCase());

/**
 * Parses a submission against the form: only declared fields (plus the system fields) are accepted,
 * each is checked against its type, and everything else is a 400 listing every problem.
 */
export function parseSubmission(
  form: Form,
  sub: Pick<Submission, 'values' | 'query' | 'referrer'>,
): ParsedSubmission {
  const problems: ErrorDetail[] = [];
  const declared = new Map(form.fields.map((f) => [f.name, f]));
  const values = new Map<string, string>();
  for (const [name, raw] of Object.entries(sub.values)) {
    const value = scalar(raw);
    if (!declared.has(name) && !RESERVED.has(name)) {
      problems.push({ path: name, code: 'unknown_field', message: 'is not a field of this form' });
    } else if (value === undefined) {
      problems.push({ path: name, code: 'invalid_type', message: 'must be a single text value' });
    } else {
      values.set(name, value.trim());
    }
  }
  const parsed: ParsedSubmission = {
    email: '',
    properties: {},
    fields: {},
    submitted: {},
    consentGiven: truthy(values.get(SYSTEM_FIELDS.consent)),
    honeypot: values.get(SYSTEM_FIELDS.honeypot) ?? '',
    utm: collectUtm(values, sub.query, sub.referrer),
  };
  const token = values.get(SYSTEM_FIELDS.token);
  if (token) parsed.token = token;
  for (const field of form.fields) {
    const raw = values.get(field.name);
    const problem = (message: string, code = 'invalid_value') =>
      problems.push({ path: field.name, code, message });
    if (field.type === 'checkbox') {
      parsed.submitted[field.name] = truthy(raw);
      if (field.required && !truthy(raw)) problem('must be checked', 'required');
      else assign(parsed, field.name, truthy(raw));
      continue;
    }
    if (raw === undefined || raw === '') {
      if (field.required) problem('is required', 'required');
      continue;
    }
    if (raw.length > TEXT_LIMITS[field.type]) {
      problem(`must be at most ${TEXT_LIMITS[field.type]} characters`);
      continue;
    }
    let value: FieldValue = raw;
    if (field.type === 'email') {
      const email = emailSchema.safeParse(raw);
      if (!email.success) {
        problem('must be a valid email address');
        continue;
      }
      value = email.data;
    } else if (field.type === 'tel' && !/^\+?[0-9 ()./-]{3,32}$/.test(raw)) {
      problem('must be a phone number');
      continue;
    } else if (field.type === 'number') {
      const n = Number(raw);
      if (!Number.isFinite(n)) {
        problem('must be a number');
        continue;
      }
      value = n;
    }
    parsed.submitted[field.name] = value;
    assign(parsed, field.name, value);
  }
  if (form.consent?.required && !parsed.consentGiven) {
    problems.push({ path: SYSTEM_FIELDS.consent, code: 'required', message: 'consent is required' });
  }
  if (problems.length > 0) throw validationError('the submission does not match the form', problems);
  return parsed;
}

function assign(parsed: ParsedSubmission, name: string, value: FieldValue) {
  if (name === 'email') parsed.email = String(value);
  else if ((CONTACT_PROPERTIES as readonly string[]).includes(name)) {
    parsed.properties[name as ContactProperty] = String(value);
  } else parsed.fields[name] = value;
}

function collectUtm(
  values: Map<string, string>,
  query: Record<string, string | undefined>,
  referrer?: string,
) {
  let fromReferrer: URLSearchParams | undefined;
  try {
    fromReferrer = referrer ? new URL(referrer).searchParams : undefined;
  } catch {
    fromReferrer = undefined;
  }
  const utm: Record<string, string> = {};
  for (const name of SYSTEM_FIELDS.utm) {
    const value = values.get(name) || query[name] || fromReferrer?.get(name) || undefined;
    if (value) utm[name] = value.slice(0, 200);
  }
  return utm;
}

type SpamReason = Extract<SubmitOutcome, { kind: 'spam' }>['reason'];

function spamVerdict(
  form: Form,
  parsed: ParsedSubmission,
  now: Date,
  secret: string,
): SpamReason | undefined {
  if (parsed.honeypot !== '') return 'honeypot';
  if (parsed.token === undefined) return form.spam.requireToken ? 'token_missing' : undefined;
  const issuedAt = verifyFormToken(secret, form.id, parsed.token);
  if (issuedAt === undefined || issuedAt > now.getTime()) return 'token_invalid';
  if (now.getTime() - issuedAt < form.spam.minFillSeconds * 1000) return 'too_fast';
  return undefined;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

/** The idempotency key: the client's key when given (24 h), else the submission's content (10 min). */
function idempotencyKey(form: Form, sub: Submission, parsed: ParsedSubmission) {
  if (sub.idempotencyKey) {
    return { key: `form:${form.id}:key:${sha256(sub.idempotencyKey)}`, windowMs: KEY_WINDOW_MS };
  }
  const content = JSON.stringify([
    parsed.email,
    Object.entries(parsed.submitted).sort(([a], [b]) => a.localeCompare(b)),
    parsed.consentGiven,
    Object.entries(parsed.utm).sort(([a], [b]) => a.localeCompare(b)),
  ]);
  return { key: `form:${form.id}:body:${sha256(content)}`, windowMs: RESUBMIT_WINDOW_MS };
}

/**
 * Accepts a public form submission: upserts the contact by email (never overwriting what it has),
 * applies the form's tags, records the submission on the timeline with attribution and consent,
 * and answers a repeated submission with the first answer. All of it in one transaction.
 */
export async function submitForm(
  deps: CaptureDeps,
  sub: Submission,
  signingSecret: string,
): Promise<SubmitOutcome> {
  if (sub.idempotencyKey !== undefined && !/^[\x21-\x7e]{1,255}$/.test(sub.idempotencyKey)) {
    throw validationError('the Idempotency-Key header is not valid', [
      { path: 'headers.idempotency-key', message: 'must be 1-255 visible ASCII characters' },
    ]);
  }
  const form = await getForm(deps, sub.formId);
  if (!originAllowed(form, sub.origin)) {
    throw forbidden('origin_not_allowed', `origin ${sub.origin} may not submit this form`);
  }
  const parsed = parseSubmission(form, sub);
  const spam = spamVerdict(form, parsed, deps.clock.now(), signingSecret);
  if (spam) return { form, kind: 'spam', reason: spam };
  const { key, windowMs } = idempotencyKey(form, sub, parsed);
  // The duplicate check and the email lookup are independent: one round trip instead of two.
  const [seen, firstLookup] = await Promise.all([
    deps.store.getIdempotency(key, deps.clock.now()),
    deps.store.findContactIdByEmail(parsed.email),
  ]);
  if (seen) return { form, kind: 'duplicate', contactId: seen.contactId };

  let lookup: Promise<string | undefined> | undefined = Promise.resolve(firstLookup);
  try {
    return await withOptimisticRetry(
      () => {
        // The first attempt uses the lookup above; a retry (the world changed) looks again.
        const existingId = lookup ?? deps.store.findContactIdByEmail(parsed.email);
        lookup = undefined;
        return upsertFromSubmission(deps, form, sub, parsed, key, windowMs, existingId);
      },
      (c) => c.write.kind !== 'claimIdempotency',
    );
  } catch (err) {
    if (err instanceof CommitConflict && err.write.kind === 'claimIdempotency') {
      const first = await deps.store.getIdempotency(key, deps.clock.now());
      if (first) return { form, kind: 'duplicate', contactId: first.contactId };
    }
    throw err;
  }
}

async function upsertFromSubmission(
  deps: CaptureDeps,
  form: Form,
  sub: Submission,
  parsed: ParsedSubmission,
  key: string,
  windowMs: number,
  lookup: Promise<string | undefined>,
): Promise<SubmitOutcome> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const existingId = await lookup;
  const existing = existingId ? await deps.store.getContact(existingId) : undefined;
  const consent =
    form.consent && parsed.consentGiven
      ? { text: form.consent.text, givenAt: at, sourceIp: sub.sourceIp, formId: form.id }
      : undefined;
  const { contactId, writes } = upsertContactWrites(
    deps,
    existing,
    {
      email: parsed.email,
      ...parsed.properties,
      source: parsed.properties.source ?? parsed.utm.utm_source ?? `form:${form.id}`,
      fields: parsed.fields,
      tags: form.tags,
    },
    now,
    consent,
  );
  const activity: Activity = {
    id: deps.ids.next(),
    contactId,
    type: 'form_submitted',
    body: `Submitted form "${form.name}"`,
    occurredAt: at,
    recordedAt: at,
    data: {
      formId: form.id,
      formName: form.name,
      values: parsed.submitted,
      utm: parsed.utm,
      ...(sub.referrer ? { referrer: sub.referrer.slice(0, 2000) } : {}),
      ...(sub.userAgent ? { userAgent: sub.userAgent.slice(0, 500) } : {}),
      sourceIp: sub.sourceIp,
      ...(consent ? { consent } : {}),
    },
  };
  await deps.store.commit([
    {
      kind: 'claimIdempotency',
      key,
      record: { contactId, createdAt: at },
      expiresAt: new Date(now.getTime() + windowMs),
      now,
    },
    ...writes,
    { kind: 'putActivity', activity, checkContact: false },
    emit(deps, now, 'FormSubmitted', {
      formId: form.id,
      contactId,
      activityId: activity.id,
      created: !existing,
    }),
  ]);
  return { form, kind: 'accepted', contactId, created: !existing };
}
