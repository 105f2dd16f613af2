/**
 * Support forms: what a submission of one asks customer service for. The submission's values are
 * read back from its timeline entry (the FormSubmitted event carries ids, never the message text).
 */
import type { Activity } from '#contacts/model.js';
import type { Form, FormCase } from './model.js';
import type { CaptureDeps } from './store.js';

/** The longest subject a case keeps. */
const SUBJECT_LIMIT = 200;
/** How far back the timeline is searched when the entry is not at the event's time (a newer form). */
const TIMELINE_LOOKBACK = 100;

/** A submission of a support form, as the case it opens needs it. */
export interface SupportRequest {
  /** The submission (its timeline entry's id): opens one case, however often its event arrives. */
  submissionId: string;
  contactId: string;
  email: string;
  subject: string;
  text: string;
  priority: FormCase['priority'];
}

export type SupportRequestOf =
  | { kind: 'request'; request: SupportRequest }
  /** A lead form (or a form deleted since). */
  | { kind: 'not_support_form' }
  /** The contact (and so its timeline) was erased since. */
  | { kind: 'gone' };

export interface SubmittedForm {
  formId: string;
  contactId: string;
  activityId: string;
  /** When it was accepted (the event's time: its timeline entry's time too). */
  occurredAt: string;
}

/** The submission's timeline entry: by its key, else among the contact's latest entries. */
async function submissionActivity(deps: CaptureDeps, s: SubmittedForm): Promise<Activity | undefined> {
  const exact = await deps.store.getActivity(s.contactId, s.occurredAt, s.activityId);
  if (exact) return exact;
  const latest = await deps.store.listActivities(s.contactId, { limit: TIMELINE_LOOKBACK });
  return latest.items.find((a) => a.id === s.activityId);
}

const text = (value: unknown) =>
  typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';

/** What a submitted form asks of customer service: nothing unless it is a support form. */
export async function supportRequestOf(deps: CaptureDeps, s: SubmittedForm): Promise<SupportRequestOf> {
  const form: Form | undefined = await deps.store.getForm(s.formId);
  if (!form?.case) return { kind: 'not_support_form' };
  const [contact, activity] = await Promise.all([
    deps.store.getContact(s.contactId),
    submissionActivity(deps, s),
  ]);
  if (!contact || !activity) return { kind: 'gone' };
  const values = (activity.data?.values ?? {}) as Record<string, unknown>;
  const subject = text(values[form.case.subjectField]).replace(/\s+/g, ' ').slice(0, SUBJECT_LIMIT);
  const message = text(values[form.case.messageField]);
  return {
    kind: 'request',
    request: {
      submissionId: activity.id,
      contactId: contact.id,
      email: contact.email,
      subject: subject === '' ? form.name.slice(0, SUBJECT_LIMIT) : subject,
      text: message === '' ? '(no text)' : message,
      priority: form.case.priority,
    },
  };
}
