/**
 * Parsing a public submission against its form: only declared fields (plus the system fields) are
 * accepted, each checked against its type; anything else is a 400 listing every problem, at its field.
 */
import {
  type ContactProperty,
  type CustomFields,
  contactPropertyValue,
  type FieldValue,
  FORM_PROPERTIES,
} from '#contacts/model.js';
import { type ErrorDetail, validationError } from '#platform/errors.js';
import { emailSchema } from '#platform/values.js';
import { VISITOR_ID } from '#tracking/model.js';
import { RESERVED, SYSTEM_FIELDS } from './forms.js';
import type { Form, FormField } from './model.js';

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

export interface ParsedSubmission {
  email: string;
  properties: Partial<Record<ContactProperty, string>>;
  fields: CustomFields;
  submitted: Record<string, FieldValue>;
  consentGiven: boolean;
  honeypot: string;
  token?: string;
  /** The tracking snippet's visitor id (a malformed one is ignored). */
  visitorId?: string;
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

/** The submitted values as text, by name (what a re-rendered form shows back to the visitor). */
export function submittedText(values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(values)) {
    const value = scalar(raw);
    if (value !== undefined && !name.startsWith('_')) out[name] = value.slice(0, 5000);
  }
  return out;
}

export function parseSubmission(
  form: Form,
  sub: Pick<Submission, 'values' | 'query' | 'referrer'>,
): ParsedSubmission {
  const problems: ErrorDetail[] = [];
  const declared = new Map(form.fields.map((f) => [f.name, f]));
  const values = new Map<string, string>();
  for (const [name, raw] of Object.entries(sub.values)) {
    const value = scalar(raw);
    // The time zone is the browser's, not the visitor's input: a repeated one is dropped (see below).
    if (name === SYSTEM_FIELDS.timeZone && value === undefined && !declared.has(name)) continue;
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
  const visitorId = values.get(SYSTEM_FIELDS.visitor);
  if (visitorId && VISITOR_ID.test(visitorId)) parsed.visitorId = visitorId;
  const timeZone = values.get(SYSTEM_FIELDS.timeZone);
  if (timeZone && !declared.has(SYSTEM_FIELDS.timeZone)) assign(parsed, SYSTEM_FIELDS.timeZone, timeZone);
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
  else if ((FORM_PROPERTIES as readonly string[]).includes(name)) {
    // A time zone is stored in its canonical spelling (`europe/paris` → `Europe/Paris`). One that is
    // not a time zone is dropped, and the rest of the submission kept: it is metadata the browser
    // sent (the hosted page fills it from Intl), not something the visitor typed and could correct,
    // so refusing the submission for it would lose the lead over a value no one can see or fix.
    const stored = contactPropertyValue(name as ContactProperty, String(value));
    if (stored !== undefined) parsed.properties[name as ContactProperty] = stored;
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
