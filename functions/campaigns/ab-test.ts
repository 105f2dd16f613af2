/**
 * Choosing an A/B campaign's winner: when its test has run its time (its schedule fires), or when the
 * marketer picks one. The winner is chosen once the test share has been sent, from the variants'
 * unique open (or click) rates, and sent to the rest of the audience as a second bulk job, started in
 * the same transaction that records the choice: a schedule that fires twice, or after a manual pick,
 * finds a winner and does nothing.
 */
import { bulkJobWrites, newBulkJob } from '#bulk/actions.js';
import { conflict, invalid } from '#platform/errors.js';
import type { Scheduler } from '#platform/scheduler.js';
import { load, save, winnerScheduleName } from './campaigns.js';
import type { Campaign, CampaignView, VariantId } from './model.js';
import type { CampaignsDeps } from './store.js';
import { sweepScheduler } from './sweep.js';
import { bestVariant } from './variants.js';
import { reportOf, viewOf } from './views.js';

/** A test share still being sent when its time is up: the winner is looked at again this much later. */
export const RETRY_WINNER_MS = 15 * 60_000;

/** Chosen by the schedule (`'auto'`) or by the marketer (a variant). */
export type WinnerChoice = 'auto' | { variant: VariantId };

export async function chooseWinner(
  deps: CampaignsDeps,
  scheduler: Scheduler,
  id: string,
  choice: WinnerChoice,
): Promise<{ outcome: 'chosen'; view: CampaignView } | { outcome: 'stale' | 'later' }> {
  const manual = choice !== 'auto';
  const current = await load(deps, id);
  const test = current.abTest;
  if (!test) throw conflict('not_ab_test', `campaign ${id} is not an A/B test`);
  const waiting = test.winner === undefined && current.jobId !== undefined;
  if (!waiting || (current.status !== 'sending' && current.status !== 'paused')) {
    if (!manual) return { outcome: 'stale' };
    throw conflict(
      test.winner ? 'winner_chosen' : 'not_testing',
      test.winner
        ? `variant ${test.winner} of campaign ${id} was chosen already`
        : `campaign ${id} is ${current.status}, not testing`,
    );
  }
  const testJob = current.jobId ? await deps.store.getBulkJob(current.jobId) : undefined;
  if (testJob?.status !== 'completed') {
    if (manual)
      throw conflict(
        'test_sending',
        `the test share of campaign ${id} is still being sent; choose when it is`,
      );
    // Paused or still sending: looked at again later (a new schedule; the marketer may also choose).
    const later = new Date(deps.clock.now().getTime() + RETRY_WINNER_MS);
    await scheduler.scheduleOnce(`${winnerScheduleName(id)}-${later.getTime()}`, later, {
      kind: 'campaignWinner',
      campaignId: id,
    });
    return { outcome: 'later' };
  }
  const results = (await reportOf(deps, current)).variants ?? [];
  const { winner, reason } = manual
    ? { winner: choice.variant, reason: 'manual' as const }
    : bestVariant(test, results);
  if (!test.variants.some((v) => v.id === winner))
    throw invalid('no_such_variant', `campaign ${id} has no variant ${winner}`, [
      { path: 'variant', message: `one of ${test.variants.map((v) => v.id).join(', ')}` },
    ]);
  const now = deps.clock.now();
  const job = newBulkJob(
    deps,
    { action: { kind: 'sendCampaign', campaignId: id, phase: 'winner' }, audience: current.audience },
    now,
  );
  const next: Campaign = {
    ...current,
    status: 'sending',
    jobId: job.id,
    abTest: { ...test, winner, winnerReason: reason, decidedAt: now.toISOString(), testJobId: current.jobId },
    updatedAt: now.toISOString(),
  };
  await save(deps, current, next, [current.status], bulkJobWrites(deps, job, now));
  // After the save: the schedule firing meanwhile finds the winner chosen.
  if (manual) await scheduler.cancel(winnerScheduleName(id));
  return { outcome: 'chosen', view: await viewOf(deps, next) };
}

/** A winner this late (its schedule lost, or its firing parked in the DLQ) is chosen by the reconciler. */
export const OVERDUE_WINNER_MS = 30 * 60_000;

/**
 * The safety net of the winner's schedule: A/B tests whose winner was due more than half an hour ago
 * are decided now (a test share still sending is left for the next sweep: no new schedule).
 */
export async function reconcileAbTests(deps: CampaignsDeps): Promise<{ chosen: string[]; waiting: number }> {
  const overdue = await deps.store.listOverdueAbTests(
    new Date(deps.clock.now().getTime() - OVERDUE_WINNER_MS),
    25,
  );
  const chosen: string[] = [];
  let waiting = 0;
  for (const campaign of overdue) {
    const outcome = await chooseWinner(deps, sweepScheduler, campaign.id, 'auto');
    if (outcome.outcome === 'chosen') chosen.push(campaign.id);
    else if (outcome.outcome === 'later') waiting++;
  }
  return { chosen, waiting };
}
