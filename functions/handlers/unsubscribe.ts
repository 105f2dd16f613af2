import { depsOf } from '#app/runtime.js';
import { resubscribe } from '#contacts/subscription.js';
import { unsubscribe } from '#messaging/feedback.js';
import { messagingStore } from '#messaging/store-dynamo.js';
import { unsubscribeRoutes as routes } from '#messaging/unsubscribe-routes.js';
import { verifyUnsubscribeToken } from '#messaging/unsubscribe-token.js';
import { signingSecret } from '#platform/aws/signing-secret.js';
import { forbidden } from '#platform/errors.js';
import { httpHandler, operation } from '#platform/http/handler.js';
import { escapeHtml, page } from '#platform/http/html.js';

const deps = depsOf(messagingStore);

async function subjectOf(token: string): Promise<{ contactId: string; campaignId?: string }> {
  const subject = verifyUnsubscribeToken(await signingSecret(), token);
  if (!subject) throw forbidden('invalid_token', 'this unsubscribe link is not valid');
  return subject;
}

export const handler = httpHandler([
  operation(routes.showUnsubscribe, async ({ params, event }) => {
    await subjectOf(params.token);
    return {
      status: 200,
      html: page(
        'Unsubscribe',
        `<h1>Unsubscribe</h1><p>Stop receiving marketing email from us?</p>
<form method="post" action="${escapeHtml(event.rawPath)}"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>`,
      ),
    };
  }),
  // RFC 8058: mail clients POST `List-Unsubscribe=One-Click`; the page's form posts the same. Any body is accepted.
  operation(routes.unsubscribe, async ({ params, metrics, event }) => {
    const { contactId, campaignId } = await subjectOf(params.token);
    await unsubscribe(deps, contactId, 'link', campaignId);
    metrics.count('ContactUnsubscribed');
    return {
      status: 200,
      html: page(
        'Unsubscribed',
        `<h1>You are unsubscribed</h1><p>You will not receive marketing email from us any more.</p>
<form method="post" action="${escapeHtml(`${event.rawPath.replace(/\/$/, '')}/resubscribe`)}"><p>Unsubscribed by mistake?</p><button type="submit">Resubscribe</button></form>`,
      ),
    };
  }),
  operation(routes.resubscribe, async ({ params, metrics }) => {
    await resubscribe(deps, (await subjectOf(params.token)).contactId, { source: 'link' });
    metrics.count('ContactResubscribed');
    return {
      status: 200,
      html: page('Subscribed', '<h1>You are subscribed again</h1><p>Thank you: we will keep you posted.</p>'),
    };
  }),
]);
