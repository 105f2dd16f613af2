import { escapeHtml, page } from '../api/form-page.js';
import { httpError, httpHandler, operation } from '../api/http.js';
import { unsubscribeRoutes as routes } from '../api/routes/unsubscribe.js';
import { unsubscribe } from '../core/email.js';
import { verifyUnsubscribeToken } from '../core/form-token.js';
import { deps } from '../shared/runtime.js';
import { signingSecret } from '../shared/signing-secret.js';

function contactOf(token: string): string {
  const contactId = verifyUnsubscribeToken(signingSecret, token);
  if (!contactId) throw httpError(403, 'invalid_token', 'this unsubscribe link is not valid');
  return contactId;
}

export const handler = httpHandler([
  operation(routes.showUnsubscribe, async ({ params, event }) => {
    contactOf(params.token);
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
  operation(routes.unsubscribe, async ({ params }) => {
    await unsubscribe(deps, contactOf(params.token), 'link');
    return {
      status: 200,
      html: page(
        'Unsubscribed',
        '<h1>You are unsubscribed</h1><p>You will not receive marketing email from us any more.</p>',
      ),
    };
  }),
]);
