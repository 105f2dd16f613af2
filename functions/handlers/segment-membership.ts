/**
 * EventBridge target for changes to a contact (created, updated, tagged, untagged, engaged): records
 * the tracked segments it enters or leaves, announcing each (SegmentEntered triggers workflows).
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { depsOf } from '#app/runtime.js';
import { updateMemberships } from '#insights/membership.js';
import { insightsStore } from '#insights/store-dynamo.js';
import { parseEvent } from '#platform/events.js';
import { lambdaHandler } from '#platform/lambda.js';

const deps = depsOf(insightsStore);

export const handler = lambdaHandler(
  'segment-membership',
  async (event: EventBridgeEvent<string, unknown>) => {
    const parsed = parseEvent(event['detail-type'], event.detail);
    if (!('contactId' in parsed.detail) || typeof parsed.detail.contactId !== 'string')
      return { entered: 0, left: 0 };
    const { entered, left } = await updateMemberships(deps, parsed.detail.contactId);
    return { entered: entered.length, left: left.length };
  },
);
