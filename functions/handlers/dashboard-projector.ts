/**
 * EventBridge target: keeps the report counters current, applying each event once. A deal created or
 * moved into a stage also credits its revenue to the campaigns that reached its contact and to its
 * contact's first and latest marketing touch, if it was won (that code, and the store it reads, is
 * imported when the first deal event arrives).
 */
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
    const parsed = parseEvent(event['detail-type'], event.detail);
    const outcome = await projectEvent(deps, parsed);
    if (
      parsed.detailType !== 'DealCreated' &&
      parsed.detailType !== 'DealStageChanged' &&
      parsed.detailType !== 'DealUpdated'
    )
      return { outcome };
    const [{ attributeDeal }, { creditSources }, { appStore }] = await Promise.all([
      import('#campaigns/attribution.js'),
      import('#insights/source-revenue.js'),
      import('#app/store.js'),
    ]);
    const app = depsOf(appStore);
    return {
      outcome,
      attribution: await attributeDeal(app, parsed),
      sources: await creditSources(app, parsed),
    };
  },
);
