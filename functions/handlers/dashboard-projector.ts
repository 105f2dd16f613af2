/** EventBridge target: keeps the report counters current, applying each event once. */
import type { EventBridgeEvent } from 'aws-lambda';
import { depsOf } from '#app/runtime.js';
import { projectEvent } from '#insights/counters.js';
import { insightsStore } from '#insights/store-dynamo.js';
import { parseEvent } from '#platform/events.js';
import { lambdaHandler } from '#platform/lambda.js';

const deps = depsOf(insightsStore);

export const handler = lambdaHandler(
  'dashboard-projector',
  async (event: EventBridgeEvent<string, unknown>) => {
    const outcome = await projectEvent(deps, parseEvent(event['detail-type'], event.detail));
    return { outcome };
  },
);
