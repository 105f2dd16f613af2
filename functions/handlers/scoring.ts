/**
 * EventBridge target for what contacts do (engaged with email, submitted a form, were tagged, booked
 * a meeting, bought, got a deal, visited the site): scores the event by the workspace's rules and
 * moves the contact's lifecycle stage forward (ScoreChanged, LifecycleStageChanged). A form submitted
 * by a tracked visitor first identifies the visitor as the contact (its pages then score, through
 * the VisitorIdentified that announces them; the tracking code is loaded for those only).
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { depsOf } from '#app/runtime.js';
import { parseEvent } from '#platform/events.js';
import { lambdaHandler } from '#platform/lambda.js';
import { scoreEvent } from '#scoring/scoring.js';
import { scoringStore } from '#scoring/store-dynamo.js';

const deps = depsOf(scoringStore);

export const handler = lambdaHandler('scoring', async (event: EventBridgeEvent<string, unknown>) => {
  const parsed = parseEvent(event['detail-type'], event.detail);
  const visitor = parsed.detailType === 'FormSubmitted' ? parsed.detail.visitorId : undefined;
  let identified: string | undefined;
  if (visitor && parsed.detailType === 'FormSubmitted') {
    const [{ identifyFromForm }, { trackingStore }] = await Promise.all([
      import('#tracking/collect.js'),
      import('#tracking/store-dynamo.js'),
    ]);
    identified = await identifyFromForm(depsOf(trackingStore), visitor, parsed.detail.contactId);
  }
  return { outcome: await scoreEvent(deps, parsed), ...(identified ? { identified } : {}) };
});
