/**
 * Lead capture: a public submission checked against its form's limits and spam defences, parsed,
 * and turned into a contact upsert, tags, a timeline entry and a FormSubmitted event — in one
 * transaction with the claims of its form token and idempotency key, answered once per key.
 * A submission dropped as spam is kept (30 days) and counted, never lost without a trace.
 */
import { createHash } from 'node:crypto';
import { typedFields } from '#contacts/field-definitions.js';
import type { Activity, Suppression } from '#contacts/model.js';
import { upsertContactWrites } from '#contacts/rules.js';
import { DomainError, forbidden, invalid, validationError } from '#platform/errors.js';
import { withOptimisticRetry } from '#platform/retry.js';
import { CommitConflict, emit } from '#platform/store.js';
import { FORM_TOKEN_MAX_AGE_MS, verifyFormToken } from './form-token.js';
import { getForm, SYSTEM_FIELDS } from './forms.js';
import type { DropReason, Form } from './model.js';
import { type ParsedSubmission, parseSubmission, type Submission, submittedText } from './parse.js';
import type { CaptureDeps } from './store.js';

export type { Submission } from './parse.js';

const KEY_WINDOW_MS = 24 * 3600 * 1000;
const RESUBMIT_WINDOW_MS = 10 * 60 * 1000;
const RATE_WINDOW_MS = 60_000;
/** Submissions per minute a form accepts, from one IP address and in all, unless it says otherwise. */
export const DEFAULT_RATE_LIMITS = { perIpPerMinute: 20, perFormPerMinute: 1200 } as const;

export type SubmitOutcome = { form: Form; submissionId: string } & (
  | { kind: 'accepted'; contactId: string; created: boolean }
  | { kind: 'duplicate' }
  | { kind: 'dropped'; reason: DropReason }
);

/** Whether a browser on `origin` may submit the form (no Origin header: not a cross-site browser request). */
export function originAllowed(form: Form, origin: string | undefined): boolean {
  if (!origin || !form.allowedOrigins) return true;
  return form.allowedOrigins.includes(origin.toLowerCase());
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('base64url');

/**
 * Takes a slot of the form's per-IP and per-form rate windows; a full window is a 429 with the
 * seconds until it ends.
 */
async function takeRateSlots(deps: CaptureDeps, form: Form, sourceIp: string): Promise<void> {
  const now = deps.clock.now().getTime();
  const windowStart = now - (now % RATE_WINDOW_MS);
  const windowEnd = new Date(windowStart + RATE_WINDOW_MS);
  const limits = { ...DEFAULT_RATE_LIMITS, ...form.spam.rateLimits };
  const [perIp, perForm] = await Promise.all([
    deps.store.takeRateSlot(
      `form:${form.id}:ip:${sha256(sourceIp)}:${windowStart}`,
      limits.perIpPerMinute,
      windowEnd,
    ),
    deps.store.takeRateSlot(`form:${form.id}:${windowStart}`, limits.perFormPerMinute, windowEnd),
  ]);
  if (!perIp || !perForm) {
    throw new DomainError(
      'rate_limited',
      'too_many_submissions',
      'too many submissions of this form; try again in a minute',
      [],
      Math.max(1, Math.ceil((windowEnd.getTime() - now) / 1000)),
    );
  }
}

type TokenVerdict =
  | { kind: 'drop'; reason: DropReason }
  | { kind: 'expired' }
  | { kind: 'ok'; claim?: { nonce: string; expiresAt: Date } };

/**
 * The spam defences, judged on the raw values before parsing (a bot learns nothing from validation
 * errors): the honeypot, then the signed fill-time token (missing, forged, too fast, expired).
 */
function tokenVerdict(form: Form, values: Record<string, unknown>, now: Date, secret: string): TokenVerdict {
  const honeypot = values[SYSTEM_FIELDS.honeypot];
  if (honeypot !== undefined && honeypot !== '') return { kind: 'drop', reason: 'honeypot' };
  const token = values[SYSTEM_FIELDS.token];
  if (token === undefined || token === '') {
    return form.spam.requireToken ? { kind: 'drop', reason: 'token_missing' } : { kind: 'ok' };
  }
  const verified = typeof token === 'string' ? verifyFormToken(secret, form.id, token) : undefined;
  if (!verified || verified.issuedAt > now.getTime()) return { kind: 'drop', reason: 'token_invalid' };
  const age = now.getTime() - verified.issuedAt;
  if (age < form.spam.minFillSeconds * 1000) return { kind: 'drop', reason: 'too_fast' };
  if (age > FORM_TOKEN_MAX_AGE_MS) return { kind: 'expired' };
  return {
    kind: 'ok',
    claim: { nonce: verified.nonce, expiresAt: new Date(verified.issuedAt + FORM_TOKEN_MAX_AGE_MS) },
  };
}

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

/** The codes of a submission refused for its token, after which the visitor may simply submit again. */
export const TOKEN_ERRORS = { expired: 'form_expired', used: 'form_already_submitted' } as const;

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
  await takeRateSlots(deps, form, sub.sourceIp);
  const verdict = tokenVerdict(form, sub.values, deps.clock.now(), signingSecret);
  if (verdict.kind === 'drop') return dropSubmission(deps, form, sub, verdict.reason);
  if (verdict.kind === 'expired') {
    throw invalid(TOKEN_ERRORS.expired, 'the form was opened more than a day ago; submit it again');
  }
  const parsed = parseSubmission(form, sub);
  // Custom fields converted by their definitions; a value that does not fit is shown at its field.
  const typed = await typedFields(deps, parsed.fields, '');
  if (typed) parsed.fields = typed;
  const { key, windowMs } = idempotencyKey(form, sub, parsed);
  // The duplicate check and the email lookup are independent: one round trip instead of two.
  const [seen, firstLookup, suppression] = await Promise.all([
    deps.store.getIdempotency(key, deps.clock.now()),
    deps.store.findContactIdByEmail(parsed.email),
    deps.store.getSuppression(parsed.email),
  ]);
  if (seen) return { form, kind: 'duplicate', submissionId: seen.submissionId ?? deps.ids.next() };

  let lookup: Promise<string | undefined> | undefined = Promise.resolve(firstLookup);
  const submission = { form, sub, parsed, key, windowMs, token: verdict.claim, suppression };
  try {
    return await withOptimisticRetry(
      () => {
        // The first attempt uses the lookup above; a retry (the world changed) looks again.
        const existingId = lookup ?? deps.store.findContactIdByEmail(parsed.email);
        lookup = undefined;
        return upsertFromSubmission(deps, submission, existingId);
      },
      (c) => c.write.kind !== 'claimIdempotency' && c.write.kind !== 'claimFormToken',
    );
  } catch (err) {
    if (
      err instanceof CommitConflict &&
      (err.write.kind === 'claimIdempotency' || err.write.kind === 'claimFormToken')
    ) {
      const first = await deps.store.getIdempotency(key, deps.clock.now());
      if (first) return { form, kind: 'duplicate', submissionId: first.submissionId ?? deps.ids.next() };
      if (err.write.kind === 'claimFormToken') {
        throw invalid(
          TOKEN_ERRORS.used,
          'this form page was already submitted; submit it again to send these details',
        );
      }
    }
    throw err;
  }
}

/** Keeps a dropped submission for the form's owner to see, and counts it; the sender is told nothing. */
async function dropSubmission(
  deps: CaptureDeps,
  form: Form,
  sub: Submission,
  reason: DropReason,
): Promise<SubmitOutcome> {
  const now = deps.clock.now();
  const id = deps.ids.next();
  const declared = new Set(form.fields.map((f) => f.name));
  const values = Object.fromEntries(
    Object.entries(submittedText(sub.values))
      .filter(([name]) => declared.has(name))
      .map(([name, value]) => [name, value.slice(0, 1000)]),
  );
  await deps.store.commit([
    {
      kind: 'putDroppedSubmission',
      dropped: {
        id,
        formId: form.id,
        reason,
        ...(values.email ? { email: values.email.slice(0, 254) } : {}),
        values,
        sourceIp: sub.sourceIp,
        ...(sub.userAgent ? { userAgent: sub.userAgent.slice(0, 500) } : {}),
        droppedAt: now.toISOString(),
      },
    },
    emit(deps, now, 'FormSubmissionDropped', { formId: form.id, submissionId: id, reason }),
  ]);
  return { form, kind: 'dropped', submissionId: id, reason };
}

interface ParsedFormSubmission {
  form: Form;
  sub: Submission;
  parsed: ParsedSubmission;
  key: string;
  windowMs: number;
  token: { nonce: string; expiresAt: Date } | undefined;
  suppression: Suppression | undefined;
}

async function upsertFromSubmission(
  deps: CaptureDeps,
  { form, sub, parsed, key, windowMs, token, suppression }: ParsedFormSubmission,
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
    consent
      ? { record: consent, evidence: { source: 'form', formId: form.id, sourceIp: sub.sourceIp } }
      : undefined,
    suppression,
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
      record: { contactId, submissionId: activity.id, createdAt: at },
      expiresAt: new Date(now.getTime() + windowMs),
      now,
    },
    ...(token ? [{ kind: 'claimFormToken' as const, formId: form.id, ...token }] : []),
    ...writes,
    // A submission that changes nothing on a known contact only appends to its timeline: it does not
    // touch (or condition on) the contact's item, so concurrent submissions of one email do not
    // contend for it. (An erase racing it could leave one timeline entry behind: the erase removes
    // the contact's whole partition, read a moment before this commit.)
    { kind: 'putActivity', activity, checkContact: false },
    emit(deps, now, 'FormSubmitted', {
      formId: form.id,
      contactId,
      activityId: activity.id,
      created: !existing,
      ...(parsed.utm.utm_source ? { utm: parsed.utm } : {}),
      ...(parsed.visitorId ? { visitorId: parsed.visitorId } : {}),
    }),
  ]);
  return { form, kind: 'accepted', submissionId: activity.id, contactId, created: !existing };
}
