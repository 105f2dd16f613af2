/**
 * A workflow's `notifyOwner` step: an email to the contact's owner (a user of the workspace) with the
 * subject and message the marketer wrote, their merge fields (`{{ contact.firstName }}`) filled in
 * as a template's are, and a link to the contact. Sent once per enrollment step through access's
 * notices (claimed, sent, recorded), whatever the Task's retries. A contact without an owner, or
 * whose owner is not a user (free text from before owners were users): skipped.
 */

import { notifyUser } from '#access/notices.js';
import type { Contact } from '#contacts/model.js';
import type { Mailer } from '#messaging/mailer.js';
import { SYSTEM_EMAILS } from '#messaging/system-emails.js';
import { mergeContext, renderText, TemplateRenderError } from '#messaging/template-engine.js';
import type { StepPorts } from './step-ports.js';

export interface NotifyInput {
  enrollmentId: string;
  stepId: string;
  workflowId: string;
  subject?: string | undefined;
  message?: string | undefined;
}

/** A marketer's text with the contact's merge fields; a text that does not render is sent as written. */
async function merged(text: string, contact: Contact): Promise<string> {
  try {
    return await renderText(text, mergeContext(contact, { unsubscribeUrl: '' }));
  } catch (err) {
    if (err instanceof TemplateRenderError) return text;
    throw err;
  }
}

export async function notifyOwnerStep(
  ports: Pick<StepPorts, 'users' | 'access'>,
  ctx: { mailer: Mailer; publicUrl: string },
  input: NotifyInput,
  contact: Contact,
): Promise<{ outcome: string }> {
  if (!contact.owner) return { outcome: 'skipped: no owner' };
  const owner = await ports.users.get(contact.owner);
  if (!owner) return { outcome: 'skipped: the owner is not a user' };
  const [subject, message] = await Promise.all([
    merged(String(input.subject ?? ''), contact),
    merged(String(input.message ?? ''), contact),
  ]);
  const who = [contact.firstName, contact.lastName].filter(Boolean).join(' ') || contact.email;
  const outcome = await notifyUser(ports.access, ctx.mailer, {
    key: `workflow.${input.enrollmentId}.${input.stepId}`,
    to: owner,
    subject:
      subject
        .replace(/[\r\n]+/g, ' ')
        .trim()
        .slice(0, 200) || `About ${who}`,
    text: `${message.trim()}\n\nContact: ${who} <${contact.email}>\n${ctx.publicUrl}/#/contacts/${contact.id}\n`,
    tags: { workflowId: input.workflowId, templateId: SYSTEM_EMAILS.workflowNotifyOwner },
  });
  return { outcome: outcome === 'already sent' ? 'sent' : outcome };
}
