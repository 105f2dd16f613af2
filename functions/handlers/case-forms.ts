/**
 * EventBridge target of FormSubmitted: a submission of a support form opens a customer service case
 * (channel `form`) for its contact, with the subject and message of the form's fields, the form's
 * priority and the SLA timers. The event carries ids only: the values are read from the submission's
 * timeline entry. A redelivered event opens nothing twice (the submission is claimed with the case).
 * Failures are retried by Lambda, then land on the rule's dead-letter queue.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { depsOf } from '#app/runtime.js';
import { scheduler } from '#app/scheduler.js';
import { supportRequestOf } from '#capture/form-cases.js';
import { captureStore } from '#capture/store-dynamo.js';
import { parseEvent } from '#platform/events.js';
import { lambdaHandler } from '#platform/lambda.js';
import { openFormCase } from '#service/form-cases.js';
import { serviceStore } from '#service/store-dynamo.js';

const captureDeps = depsOf(captureStore);
const serviceDeps = depsOf(serviceStore);

export const handler = lambdaHandler(
  'case-forms',
  async (event: EventBridgeEvent<string, unknown>, context) => {
    const parsed = parseEvent(event['detail-type'], event.detail);
    if (parsed.detailType !== 'FormSubmitted') return { outcome: 'ignored' };
    const asked = await supportRequestOf(captureDeps, parsed.detail);
    if (asked.kind !== 'request') return { outcome: asked.kind };
    const opened = await openFormCase(serviceDeps, { ...asked.request, scheduler });
    context.metrics.count('FormCase', 1, { outcome: opened.outcome });
    return opened;
  },
);
