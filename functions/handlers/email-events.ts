/** EventBridge target for SES events: bounces and complaints suppress, opens and clicks are recorded. */
import type { EventBridgeEvent } from 'aws-lambda';
import { depsOf } from '#app/runtime.js';
import { handleSesEvent, type SesEvent } from '#messaging/feedback.js';
import { messagingStore } from '#messaging/store-dynamo.js';
import { lambdaHandler } from '#platform/lambda.js';
import { logger } from '#platform/logger.js';

const deps = depsOf(messagingStore);

export const handler = lambdaHandler(
  'email-events',
  async (event: EventBridgeEvent<string, SesEvent['detail']>, context) => {
    const outcome = await handleSesEvent(deps, {
      detailType: event['detail-type'],
      detail: event.detail ?? {},
    });
    logger.info('ses event', { detailType: event['detail-type'], outcome });
    if (outcome === 'bounce' || outcome === 'complaint')
      context.metrics.count('ContactSuppressed', 1, { reason: outcome });
    return { outcome };
  },
);
