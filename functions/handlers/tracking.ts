/**
 * The public tracking endpoints: the snippet (cached by browsers and CloudFront for an hour) and the
 * hits it sends. A hit is answered 204 whatever became of it (a bot's is counted, not recorded);
 * any site may send one, so the answer allows every origin.
 */
import { depsOf } from '#app/runtime.js';
import { signingSecret } from '#platform/aws/signing-secret.js';
import { DomainError } from '#platform/errors.js';
import { clientIp } from '#platform/http/client-ip.js';
import { httpHandler, operation } from '#platform/http/handler.js';
import { collectHit } from '#tracking/collect.js';
import { trackingRoutes as routes } from '#tracking/routes.js';
import { SNIPPET } from '#tracking/snippet.js';
import { trackingStore } from '#tracking/store-dynamo.js';

const deps = depsOf(trackingStore);
const ANY_ORIGIN = { 'access-control-allow-origin': '*' };

export const handler = httpHandler([
  operation(routes.trackingSnippet, async () => ({
    status: 200,
    script: { body: SNIPPET, maxAgeSeconds: 3600 },
    headers: ANY_ORIGIN,
  })),
  operation(routes.collectHit, async ({ body, headers, event, metrics }) => {
    try {
      const outcome = await collectHit(deps, signingSecret, body, {
        userAgent: headers['user-agent'],
        ip: clientIp(event),
      });
      metrics.count(outcome === 'bot' ? 'TrackingHitDropped' : 'TrackingHitRecorded', 1, { outcome });
    } catch (err) {
      if (err instanceof DomainError && err.kind === 'rate_limited')
        metrics.count('TrackingHitDropped', 1, { outcome: 'rate_limited' });
      throw err;
    }
    return { status: 204, headers: ANY_ORIGIN };
  }),
]);
