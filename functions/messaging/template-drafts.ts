/**
 * Working on a template before and after saving it: render what is being written (not yet saved)
 * for a contact or a sample one, with its warnings (unknown variables, no unsubscribe link); and
 * send a saved template to any address as a test — "[Test]" in the subject, tagged as a test, never
 * recorded as a send to a contact.
 */
import { getContact } from '#contacts/rules.js';
import { busy, invalid, RetryableError, validationError } from '#platform/errors.js';
import type { Mailer } from './mailer.js';
import type { RenderedEmail } from './model.js';
import type { MessagingDeps } from './store.js';
import { checkTemplate, mergeContext, renderTemplate, templateWarnings } from './template-engine.js';
import { getTemplate, type NewTemplate, SAMPLE_CONTACT } from './templates.js';

const SAMPLE_UNSUBSCRIBE = 'https://example.invalid/u/preview';

const contactFor = async (deps: MessagingDeps, contactId: string | undefined) =>
  contactId ? getContact(deps, contactId) : SAMPLE_CONTACT;

/** Renders an unsaved template (a syntax error is a 400 at its part), for a contact or the sample one. */
export async function renderDraft(
  deps: MessagingDeps,
  input: Omit<NewTemplate, 'name'> & { contactId?: string | undefined },
): Promise<RenderedEmail> {
  const { contactId, ...source } = input;
  const problems = await checkTemplate(source);
  if (problems.length > 0) throw validationError('the template does not compile', problems);
  const contact = await contactFor(deps, contactId);
  const [rendered, warnings] = await Promise.all([
    renderTemplate(source, mergeContext(contact, { unsubscribeUrl: SAMPLE_UNSUBSCRIBE })),
    templateWarnings(source),
  ]);
  return { ...rendered, ...(warnings.length > 0 ? { warnings } : {}) };
}

/** Sends a saved template to `to` as a test, rendered for a contact or the sample one. */
export async function sendTestEmail(
  deps: MessagingDeps,
  mailer: Mailer,
  id: string,
  input: { to: string; contactId?: string | undefined },
): Promise<{ to: string; subject: string; messageId: string }> {
  const [template, contact] = await Promise.all([getTemplate(deps, id), contactFor(deps, input.contactId)]);
  const rendered = await renderTemplate(
    template,
    mergeContext(contact, { unsubscribeUrl: SAMPLE_UNSUBSCRIBE }),
  );
  const subject = `[Test] ${rendered.subject}`;
  try {
    const messageId = await mailer.send({
      to: input.to,
      subject,
      html: rendered.html,
      text: rendered.text,
      headers: { 'X-Tendril-Test': 'true' },
      tags: { templateId: template.id, kind: 'test' },
    });
    return { to: input.to, subject, messageId };
  } catch (err) {
    if (err instanceof RetryableError) throw busy('the email provider is busy: try again in a moment', 5);
    // Refused (an address the provider will not send to, such as an unverified one in the SES sandbox).
    throw invalid('send_refused', `the email provider refused the test: ${(err as Error).message}`, [
      { path: 'to', message: (err as Error).name || 'refused' },
    ]);
  }
}
