/** EventBridge target for ContactTagged / FormSubmitted / SegmentEntered: enrolls the contact in the workflows they trigger. */
import type { EventBridgeEvent } from 'aws-lambda';
import { depsOf } from '#app/runtime.js';
import { enrollFromEvent } from '#automation/enrollment.js';
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
    const parsed = parseEvent(event['detail-type'], event.detail);
    // The rule leaves silent events out; a replay through another rule must not enroll either.
    if (parsed.detailType === 'ContactTagged' && parsed.detail.silent) return { enrolled: 0 };
    const trigger =
      parsed.detailType === 'ContactTagged'
        ? {
            eventId: parsed.detail.eventId,
            contactId: parsed.detail.contactId,
            triggerKey: `tag:${parsed.detail.tag}`,
          }
        : parsed.detailType === 'FormSubmitted'
          ? {
              eventId: parsed.detail.eventId,
              contactId: parsed.detail.contactId,
              triggerKey: `form:${parsed.detail.formId}`,
            }
          : parsed.detailType === 'SegmentEntered'
            ? {
                eventId: parsed.detail.eventId,
                contactId: parsed.detail.contactId,
                triggerKey: `segment:${parsed.detail.segmentId}`,
              }
            : undefined;
    if (!trigger) return { enrolled: 0 };
    const started = await enrollFromEvent(deps, engine, trigger);
    if (started.length > 0) {
      logger.info('enrolled', { contactId: trigger.contactId, enrollments: started.map((e) => e.id) });
      context.metrics.count('ContactEnrolled', started.length);
    }
    return { enrolled: started.length };
  },
);
