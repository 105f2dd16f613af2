/**
 * EventBridge target for what contacts do (engaged with email, submitted a form, were tagged, booked
 * a meeting, bought, got a deal): scores the event by the workspace's rules and moves the contact's
 * lifecycle stage forward (ScoreChanged, LifecycleStageChanged).
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { depsOf } from '#app/runtime.js';
import { parseEvent } from '#platform/events.js';
import { lambdaHandler } from '#platform/lambda.js';
import { scoreEvent } from '#scoring/scoring.js';
import { scoringStore } from '#scoring/store-dynamo.js';

const deps = depsOf(scoringStore);

export const handler = lambdaHandler('scoring', async (event: EventBridgeEvent<string, unknown>) => ({
  outcome: await scoreEvent(deps, parseEvent(event['detail-type'], event.detail)),
}));
