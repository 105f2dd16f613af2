/**
 * Every few minutes: puts right what a crash between two writes could leave behind — enrollments
 * whose execution was never started (started now) or ended unseen (closed), follow-ups stuck
 * `sending` (sent, or settled), A/B tests whose winner is overdue (its schedule lost: chosen now),
 * local-time campaign waves overdue (their schedule lost: started now); and runs a stretch of the
 * search index's backfill (#search/backfill.js), then of sales' (#sales/backfill.js: tasks into
 * their contact's index, deals into the deal list), each until it is done.
 * Counted, so a rising number is seen and alarmed. The campaign code is imported when a sweep runs.
 */
import { countedMailer, emailContext } from '#app/email-context.js';
import { depsOf } from '#app/runtime.js';
import { reconcileEnrollments } from '#automation/enrollment.js';
import { sfnEngine } from '#automation/sfn-engine.js';
import { automationStore } from '#automation/store-dynamo-composed.js';
import { reconcileFollowUps } from '#messaging/follow-up-delivery.js';
import { lambdaHandler } from '#platform/lambda.js';
import { logger } from '#platform/logger.js';

const deps = depsOf(automationStore);
const engine = sfnEngine({});

export const handler = lambdaHandler('reconciler', async (_event: unknown, context) => {
  const enrollments = await reconcileEnrollments(deps, engine);
  const followUps = await reconcileFollowUps(deps, {
    ...emailContext,
    mailer: countedMailer(context.metrics, 'follow-up'),
  });
  const [{ reconcileAbTests }, { reconcileWaves }, { campaignsStore }] = await Promise.all([
    import('#campaigns/ab-test.js'),
    import('#campaigns/local-time.js'),
    import('#campaigns/store-dynamo.js'),
  ]);
  const campaignDeps = depsOf(campaignsStore);
  const abTests = await reconcileAbTests(campaignDeps);
  const waves = await reconcileWaves(campaignDeps);
  // The search index's backfill (docs/search.md): a bounded stretch per run until done; then one read.
  const [{ runBackfill }, { searchStore }] = await Promise.all([
    import('#search/backfill.js'),
    import('#search/store-dynamo.js'),
  ]);
  // One minute for both (the function has two): sales' gets what the search's leaves.
  const until = new Date(Date.now() + 60_000);
  const searchBackfill = await runBackfill(depsOf(searchStore), { until });
  if (searchBackfill.swept > 0) logger.info('search backfill', { searchBackfill });
  // Sales' backfill (docs/data-model.md): tasks and deals saved before their indexes, then one read.
  const [{ runSalesBackfill }, { salesBackfillStore }] = await Promise.all([
    import('#sales/backfill.js'),
    import('#sales/backfill-dynamo.js'),
  ]);
  const salesBackfill = await runSalesBackfill(depsOf(salesBackfillStore), { until });
  if (salesBackfill.swept > 0) logger.info('sales backfill', { salesBackfill });
  const repaired =
    enrollments.started +
    enrollments.closed +
    followUps.outcomes.filter((o) => o === 'sent').length +
    abTests.chosen.length +
    waves.started;
  if (repaired > 0) {
    logger.warn('reconciled', { enrollments, followUps, abTests, waves });
    context.metrics.count('Reconciled', repaired);
  }
  return { enrollments, followUps, abTests, waves };
});
