/**
 * The public tracking endpoints: the snippet (cached by browsers and CloudFront for an hour) and the
 * hits it sends. A hit is answered 204 whatever became of it (a bot's is counted, not recorded),
 * or 200 with the visitor's token when it asked (an email link's hit, or `ask`) and the visitor is
 * a contact; any site may send one, so the answer allows every origin. The per-address limit is
 * this instance's in-memory window (WAF's rate rule on /t/collect bounds all instances together).
 */
import { depsOf } from '#app/runtime.js';
import { signingSecret } from '#platform/aws/signing-secret.js';
import { DomainError } from '#platform/errors.js';
import { clientIp } from '#platform/http/client-ip.js';
import { httpHandler, operation } from '#platform/http/handler.js';
import { collectHit, collectLimiter } from '#tracking/collect.js';
import { trackingRoutes as routes } from '#tracking/routes.js';
import { SNIPPET } from '#tracking/snippet.js';
import { trackingStore } from '#tracking/store-dynamo.js';

const deps = depsOf(trackingStore);
const ANY_ORIGIN = { 'access-control-allow-origin': '*' };
/** Lives as long as this instance: its windows are per instance. */
const limiter = collectLimiter();

export const handler = httpHandler([
  operation(routes.trackingSnippet, async () => ({
    status: 200,
    script: { body: SNIPPET, maxAgeSeconds: 3600 },
    headers: ANY_ORIGIN,
  })),
  operation(routes.collectHit, async ({ body, headers, event, metrics }) => {
    let visitorToken: string | undefined;
    try {
      const result = await collectHit(deps, { secret: signingSecret, limiter }, body, {
        userAgent: headers['user-agent'],
        ip: clientIp(event),
      });
      visitorToken = result.visitorToken;
      metrics.count(result.outcome === 'bot' ? 'TrackingHitDropped' : 'TrackingHitRecorded', 1, {
        outcome: result.outcome,
      });
    } catch (err) {
      if (err instanceof DomainError && err.kind === 'rate_limited')
        metrics.count('TrackingHitDropped', 1, { outcome: 'rate_limited' });
      throw err;
    }
    return visitorToken
      ? { status: 200, body: { vt: visitorToken }, headers: ANY_ORIGIN }
      : { status: 204, headers: ANY_ORIGIN };
  }),
]);
