/** EventBridge target for ContactTagged / FormSubmitted / SegmentEntered / PurchaseMade: enrolls the contact in the workflows they trigger. */
import type { EventBridgeEvent } from 'aws-lambda';
import { depsOf } from '#app/runtime.js';
import { enrollFromEvent, triggersOf } from '#automation/enrollment.js';
import { sfnEngine } from '#automation/sfn-engine.js';
import { automationStore } from '#automation/store-dynamo.js';
import { requireEnv } from '#platform/config.js';
import { parseEvent } from '#platform/events.js';
import { lambdaHandler } from '#platform/lambda.js';
import { logger } from '#platform/logger.js';

const deps = depsOf(automationStore);
const engine = sfnEngine({ stepFunctionArn: requireEnv('STEP_FUNCTION_ARN') });

export const handler = lambdaHandler(
  'enroller',
  async (event: EventBridgeEvent<string, unknown>, context) => {
    const triggers = triggersOf(parseEvent(event['detail-type'], event.detail));
    const started = [];
    for (const trigger of triggers) started.push(...(await enrollFromEvent(deps, engine, trigger)));
    if (started.length > 0) {
      logger.info('enrolled', { contactId: triggers[0]?.contactId, enrollments: started.map((e) => e.id) });
      context.metrics.count('ContactEnrolled', started.length);
    }
    return { enrolled: started.length };
  },
);
