/**
 * Campaigns as the API shows them: status and progress from the bulk job sending them (an A/B
 * test's share sent and no winner yet: `testing`), the report from the counters projected from their
 * events, and an audience's size while it is picked.
 */

import type { BulkJob } from '#bulk/model.js';
import { COUNTER_GROUPS, readCounter, revenueOf } from '#insights/counters.js';
import { evaluateFilter, getSegment, planSegment } from '#insights/segments.js';
import { notFound } from '#platform/errors.js';
import type { ListOptions, Page } from '#platform/store.js';
import { LOCAL_TIME_LEFT_OUT } from './local-time.js';
import type {
  AudienceSize,
  Campaign,
  CampaignAudience,
  CampaignReport,
  CampaignStatus,
  CampaignView,
} from './model.js';
import type { CampaignsDeps } from './store.js';

/**
 * The size of an audience as the composer shows it while it is picked: a tag's counter, or the
 * candidates of a segment's cheapest plan (at most that many match). Two counter reads, no scan.
 */
export async function audienceSize(deps: CampaignsDeps, audience: CampaignAudience): Promise<AudienceSize> {
  if (audience.kind === 'tag') {
    const { count = 0 } = await readCounter(deps, COUNTER_GROUPS.tags, audience.tag);
    return { contacts: Math.max(0, count), kind: 'count' };
  }
  const segment = await getSegment(deps, audience.segmentId);
  const plan = await planSegment(deps, segment.filter, deps.clock.now());
  if (plan.estimatedCandidates > EXACT_COUNT_CANDIDATES)
    return { contacts: Math.max(0, plan.estimatedCandidates), kind: 'at_most' };
  // Few candidates: the segment's members counted exactly, page by page from its plan (never a Scan).
  let contacts = 0;
  let cursor: string | undefined;
  do {
    const page = await evaluateFilter(
      deps,
      segment.filter,
      { limit: 100, ...(cursor ? { cursor } : {}) },
      plan,
    );
    contacts += page.items.length;
    cursor = page.nextCursor;
  } while (cursor);
  return { contacts, kind: 'count' };
}

/** A segment with at most this many candidates is counted exactly for the composer; a larger one is estimated. */
const EXACT_COUNT_CANDIDATES = 2_000;

export async function reportOf(deps: CampaignsDeps, campaign: Campaign): Promise<CampaignReport> {
  const [values, clicks] = await Promise.all([
    readCounter(deps, COUNTER_GROUPS.campaigns, campaign.id),
    readCounter(deps, COUNTER_GROUPS.campaignLinks, campaign.id),
  ]);
  const n = (name: string) => values[name] ?? 0;
  const links = Object.entries(clicks)
    .filter(([url]) => /^https?:\/\//.test(url))
    .map(([url, count]) => ({ url, clicks: count }))
    .sort((a, b) => b.clicks - a.clicks || a.url.localeCompare(b.url))
    .slice(0, 20);
  // An A/B test's variants are counted in the same bucket, a field per metric and variant (`sent#A`).
  const variants = campaign.abTest?.variants.map(({ id }) => ({
    id,
    sent: n(`sent#${id}`),
    opened: n(`opened#${id}`),
    clicked: n(`clicked#${id}`),
  }));
  const revenue = revenueOf(values);
  return {
    ...(links.length > 0 ? { links } : {}),
    ...(revenue ? { revenue } : {}),
    ...(variants ? { variants } : {}),
    sent: n('sent'),
    opened: n('opened'),
    clicked: n('clicked'),
    bounced: n('bounced'),
    complained: n('complained'),
    unsubscribed: n('unsubscribed'),
  };
}

/** A campaign's jobs, each read once: its job (an A/B test's winner job), the test's, its waves'. */
export interface CampaignJobs {
  job: BulkJob | undefined;
  testJob: BulkJob | undefined;
  /** A local-time campaign's waves, each with its job once started. */
  waves: Array<{ at: string; job: BulkJob | undefined }> | undefined;
}

export async function jobsOf(deps: CampaignsDeps, campaign: Campaign): Promise<CampaignJobs> {
  const testJobId = campaign.abTest?.testJobId;
  const [job, testJob, waves] = await Promise.all([
    campaign.jobId ? deps.store.getBulkJob(campaign.jobId) : undefined,
    testJobId ? deps.store.getBulkJob(testJobId) : undefined,
    campaign.localTime ? wavesOf(deps, campaign.id) : undefined,
  ]);
  return { job, testJob, waves };
}

/** Every job of the campaign that exists. */
export const allJobs = ({ job, testJob, waves }: CampaignJobs): BulkJob[] =>
  [job, testJob, ...(waves ?? []).map((w) => w.job)].filter((j): j is BulkJob => j !== undefined);

/** Sent to all: its job completed, an A/B test's winner chosen, every wave (a local-time campaign's) sent. */
export const isSent = (campaign: Campaign, { job, waves }: CampaignJobs): boolean =>
  job?.status === 'completed' &&
  !(campaign.abTest && !campaign.abTest.winner) &&
  (waves ?? []).every((w) => w.job?.status === 'completed');

export async function viewOf(deps: CampaignsDeps, campaign: Campaign): Promise<CampaignView> {
  if (!campaign.jobId) return { campaign };
  const [jobs, report] = await Promise.all([jobsOf(deps, campaign), reportOf(deps, campaign)]);
  const { job, testJob, waves } = jobs;
  if (!job) return { campaign };
  const running = campaign.status === 'sending' || campaign.status === 'paused';
  const status: CampaignStatus =
    running && job.status === 'completed'
      ? campaign.abTest && !campaign.abTest.winner
        ? 'testing'
        : isSent(campaign, jobs)
          ? 'sent'
          : campaign.status
      : running && job.status === 'cancelled'
        ? 'cancelled'
        : campaign.status;
  const wavesSent = (waves ?? []).every((w) => w.job?.status === 'completed');
  const finishedAt = waves
    ? wavesSent && job.finishedAt
      ? [job.finishedAt, ...waves.map((w) => w.job?.finishedAt ?? '')].sort().at(-1)
      : undefined
    : job.finishedAt;
  return {
    campaign: { ...campaign, status },
    report,
    progress: {
      counts: testJob
        ? bothPhases(testJob.counts, job.counts)
        : waves
          ? withWaves(job.counts, waves)
          : job.counts,
      ...(job.total !== undefined ? { total: job.total } : {}),
      ...(finishedAt ? { finishedAt } : {}),
    },
    ...(waves
      ? {
          waves: waves.map(({ at, job: w }) => ({
            at,
            status: !w
              ? campaign.status === 'cancelled'
                ? ('cancelled' as const)
                : ('waiting' as const)
              : w.status === 'completed'
                ? ('sent' as const)
                : w.status === 'cancelled'
                  ? ('cancelled' as const)
                  : ('sending' as const),
            ...(w?.total !== undefined ? { total: w.total } : {}),
            sent: w?.counts.changed ?? 0,
          })),
        }
      : {}),
  };
}

/** A local-time campaign's waves, each with its job once started. */
async function wavesOf(deps: CampaignsDeps, campaignId: string) {
  const waves = await deps.store.listCampaignWaves(campaignId);
  return Promise.all(
    waves.map(async (w) => ({ at: w.at, job: w.jobId ? await deps.store.getBulkJob(w.jobId) : undefined })),
  );
}

/**
 * A local-time campaign's progress: its first job's contacts, those put in waves counted where their
 * wave's job sends them (once each), not as the first job's `local_time`.
 */
function withWaves(first: Counts, waves: Array<{ job?: BulkJob | undefined }>): Counts {
  const { [LOCAL_TIME_LEFT_OUT]: deferred = 0, ...firstLeftOut } = first.leftOut ?? {};
  const counts: Counts = {
    ...first,
    processed: first.processed - deferred,
    unchanged: first.unchanged - deferred,
  };
  const leftOut: Record<string, number> = { ...firstLeftOut };
  for (const { job } of waves) {
    if (!job) continue;
    counts.processed += job.counts.processed;
    counts.changed += job.counts.changed;
    counts.unchanged += job.counts.unchanged;
    counts.failed += job.counts.failed;
    for (const [reason, n] of Object.entries(job.counts.leftOut ?? {}))
      leftOut[reason] = (leftOut[reason] ?? 0) + n;
  }
  const { leftOut: _, ...rest } = counts;
  return { ...rest, ...(Object.keys(leftOut).length > 0 ? { leftOut } : {}) };
}

type Counts = BulkJob['counts'];

/**
 * An A/B campaign's progress once its winner is being sent: the test job's contacts (its share) and
 * the winner job's (the rest), each counted once — not the test's `awaiting_winner`, nor the
 * winner's `in_test`, which are the other job's contacts.
 */
function bothPhases(test: Counts, winner: Counts): Counts {
  const { awaiting_winner: waiting = 0, ...testLeftOut } = test.leftOut ?? {};
  const { in_test: inTest = 0, ...winnerLeftOut } = winner.leftOut ?? {};
  const leftOut: Record<string, number> = { ...testLeftOut };
  for (const [reason, n] of Object.entries(winnerLeftOut)) leftOut[reason] = (leftOut[reason] ?? 0) + n;
  return {
    processed: winner.processed,
    changed: test.changed + winner.changed,
    unchanged: test.unchanged - waiting + winner.unchanged - inTest,
    failed: test.failed + winner.failed,
    ...(Object.keys(leftOut).length > 0 ? { leftOut } : {}),
  };
}

export async function getCampaign(deps: CampaignsDeps, id: string): Promise<CampaignView> {
  const campaign = await deps.store.getCampaign(id);
  if (!campaign) throw notFound('campaign', id);
  return viewOf(deps, campaign);
}

export async function listCampaigns(deps: CampaignsDeps, options: ListOptions): Promise<Page<CampaignView>> {
  const page = await deps.store.listCampaigns(options);
  return { ...page, items: await Promise.all(page.items.map((c) => viewOf(deps, c))) };
}
