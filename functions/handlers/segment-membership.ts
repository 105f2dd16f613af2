/**
 * EventBridge target for changes to a contact (created, updated, tagged, untagged, engaged): records
 * the tracked segments it enters or leaves, announcing each (SegmentEntered triggers workflows). A
 * segment's edited conditions match its members again; a deleted segment's records are dropped.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { depsOf } from '#app/runtime.js';
import { updateMemberships } from '#insights/membership.js';
import { dropSegmentMemberships, rematchSegment } from '#insights/segment-rematch.js';
import { insightsStore } from '#insights/store-dynamo.js';
import { parseEvent } from '#platform/events.js';
import { lambdaHandler } from '#platform/lambda.js';

const deps = depsOf(insightsStore);

export const handler = lambdaHandler(
  'segment-membership',
  async (event: EventBridgeEvent<string, unknown>) => {
    const parsed = parseEvent(event['detail-type'], event.detail);
    if (parsed.detailType === 'SegmentChanged') {
      if (!parsed.detail.previousFilter) return { entered: 0, left: 0 };
      const { entered, left } = await rematchSegment(
        deps,
        parsed.detail.segmentId,
        parsed.detail.previousFilter,
      );
      return { entered: entered.length, left: left.length };
    }
    if (parsed.detailType === 'SegmentDeleted')
      return { dropped: await dropSegmentMemberships(deps, parsed.detail.segmentId) };
    if (!('contactId' in parsed.detail) || typeof parsed.detail.contactId !== 'string')
      return { entered: 0, left: 0 };
    const { entered, left } = await updateMemberships(deps, parsed.detail.contactId);
    return { entered: entered.length, left: left.length };
  },
);
