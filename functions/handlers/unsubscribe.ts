import { depsOf } from '#app/runtime.js';
import { resubscribe } from '#contacts/subscription.js';
import { unsubscribe } from '#messaging/feedback.js';
import {
  leftTypePage,
  type PageLinks,
  preferencesPage,
  resubscribedPage,
  savedPage,
  unsubscribedPage,
} from '#messaging/preference-page.js';
import { getPreferences, leaveType, savePreferences } from '#messaging/preferences.js';
import { messagingStore } from '#messaging/store-dynamo.js';
import { unsubscribeRoutes as routes } from '#messaging/unsubscribe-routes.js';
import { type UnsubscribeSubject, verifyUnsubscribeToken } from '#messaging/unsubscribe-token.js';
import { signingSecret } from '#platform/aws/signing-secret.js';
import { DomainError, forbidden } from '#platform/errors.js';
import { httpHandler, operation } from '#platform/http/handler.js';

const deps = depsOf(messagingStore);

async function subjectOf(token: string): Promise<UnsubscribeSubject> {
  const subject = verifyUnsubscribeToken(await signingSecret(), token);
  if (!subject)
    throw forbidden(
      'invalid_token',
      'This link is not valid: it may be cut short. Use the unsubscribe link of an email we sent you.',
    );
  return subject;
}

/** The link's own path (the request's, without the action appended) and the type of the email it came in. */
async function linksOf(subject: UnsubscribeSubject, rawPath: string): Promise<PageLinks> {
  const types = subject.subscriptionType
    ? ((await deps.store.getEmailSettings()).subscriptionTypes ?? [])
    : [];
  const emailType = types.find((t) => t.id === subject.subscriptionType);
  const self = rawPath.replace(/\/(?:all|preferences|resubscribe)\/?$|\/$/, '');
  return { self, ...(emailType ? { emailType } : {}) };
}

/** The contact's preferences; a contact deleted since the email was sent is told so plainly. */
async function preferencesOf(contactId: string) {
  try {
    return await getPreferences(deps, contactId);
  } catch (err) {
    if (err instanceof DomainError && err.kind === 'not_found')
      throw new DomainError(
        'not_found',
        'contact_gone',
        'This address is no longer on our lists: we send it nothing.',
      );
    throw err;
  }
}

async function showPreferences(token: string, rawPath: string) {
  const subject = await subjectOf(token);
  const [prefs, links] = await Promise.all([preferencesOf(subject.contactId), linksOf(subject, rawPath)]);
  return { status: 200, html: preferencesPage(prefs, links) };
}

export const handler = httpHandler([
  operation(routes.showUnsubscribe, ({ params, event }) => showPreferences(params.token, event.rawPath)),
  operation(routes.showPreferencesAfterAction, ({ params, event }) =>
    showPreferences(params.token, event.rawPath),
  ),
  // RFC 8058: mail clients POST `List-Unsubscribe=One-Click`; the page's button posts the same. Any
  // body is accepted. An email of a subscription type leaves that type; any other, all marketing email.
  operation(routes.unsubscribe, async ({ params, metrics, event }) => {
    const subject = await subjectOf(params.token);
    const links = await linksOf(subject, event.rawPath);
    metrics.count('ContactUnsubscribed');
    if (links.emailType) {
      const prefs = await leaveType(deps, subject.contactId, links.emailType.id, subject.campaignId);
      // Unsubscribed from all already: say so, not that the others still arrive.
      if (prefs.unsubscribedFromAll) return { status: 200, html: preferencesPage(prefs, links) };
      return { status: 200, html: leftTypePage(links.emailType, links) };
    }
    await unsubscribe(deps, subject.contactId, 'link', subject.campaignId);
    return { status: 200, html: unsubscribedPage(links) };
  }),
  operation(routes.unsubscribeAll, async ({ params, metrics, event }) => {
    const subject = await subjectOf(params.token);
    await unsubscribe(deps, subject.contactId, 'link', subject.campaignId);
    metrics.count('ContactUnsubscribed');
    return { status: 200, html: unsubscribedPage(await linksOf(subject, event.rawPath)) };
  }),
  operation(routes.savePreferences, async ({ params, body, event }) => {
    const subject = await subjectOf(params.token);
    const types = body.types === undefined ? [] : Array.isArray(body.types) ? body.types : [body.types];
    // Choices made on the form are the reader's own, not counted against the campaign whose link led here.
    const [prefs, links] = await Promise.all([
      savePreferences(deps, subject.contactId, types),
      linksOf(subject, event.rawPath),
    ]);
    // Unsubscribed from all: nothing was saved; the page says so and offers to resubscribe.
    if (prefs.unsubscribedFromAll) return { status: 200, html: preferencesPage(prefs, links) };
    return { status: 200, html: savedPage(prefs, links) };
  }),
  operation(routes.resubscribe, async ({ params, metrics, event }) => {
    const subject = await subjectOf(params.token);
    await resubscribe(deps, subject.contactId, { source: 'link' });
    metrics.count('ContactResubscribed');
    return { status: 200, html: resubscribedPage(await linksOf(subject, event.rawPath)) };
  }),
]);
