/**
 * EventBridge target: keeps the report counters current, applying each event once, with the net
 * changes of the open pipeline and open cases per day (their history: insights/open-changes.ts; a
 * deal event's pipeline is read to tell open stages from closed ones). A deal created or
 * moved into a stage also credits its revenue to the campaigns that reached its contact and to its
 * contact's first and latest marketing touch, if it was won (that code, and the store it reads, is
 * imported when the first deal event arrives), and counts it among the deals won per day and currency
 * (insights/deals-won.ts) when it is won, reopened, repriced or deleted.
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
      parsed.detailType !== 'DealUpdated' &&
      parsed.detailType !== 'DealDeleted'
    )
      return { outcome };
    const [{ attributeDeal }, { creditSources }, { countWonDeal }, { appStore }] = await Promise.all([
      import('#campaigns/attribution.js'),
      import('#insights/source-revenue.js'),
      import('#insights/deals-won.js'),
      import('#app/store.js'),
    ]);
    const app = depsOf(appStore);
    const won = await countWonDeal(app, parsed);
    if (parsed.detailType === 'DealDeleted') return { outcome, won };
    return {
      outcome,
      won,
      attribution: await attributeDeal(app, parsed),
      sources: await creditSources(app, parsed),
    };
  },
);
