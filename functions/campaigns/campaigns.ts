/**
 * Campaigns as a marketer drives them: a draft (name, audience, exclusions, template), edited until
 * it is sent now or scheduled (a one-time schedule that starts it; unscheduling makes it a draft
 * again); sending starts its bulk job in the same transaction as the status change; cancel stops
 * the job (contacts not reached get nothing). The view takes status and progress from the job.
 */
import { bulkJobWrites, cancelBulkAction, newBulkJob, pauseBulkWrites } from '#bulk/actions.js';
import { finishBulkIfDone } from '#bulk/engine.js';
import { COUNTER_GROUPS, readCounter } from '#insights/counters.js';
import { evaluateFilter, getSegment, planSegment } from '#insights/segments.js';
import { getTemplate } from '#messaging/templates.js';
import { conflict, invalid, invalidReference, notFound } from '#platform/errors.js';
import type { Scheduler } from '#platform/scheduler.js';
import { CommitConflict, type ListOptions, type Page } from '#platform/store.js';
import type {
  AudienceSize,
  Campaign,
  CampaignAudience,
  CampaignReport,
  CampaignStatus,
  CampaignView,
} from './model.js';
import type { CampaignsDeps } from './store.js';

export interface CampaignInput {
  name: string;
  audience: CampaignAudience;
  excludeSegmentIds?: string[];
  templateId: string;
  subscriptionType?: string;
}

/** The template, segments and subscription type must exist (a 400 naming the field, not a failed send later). */
async function checkReferences(deps: CampaignsDeps, input: CampaignInput) {
  await getTemplate(deps, input.templateId);
  if (input.subscriptionType !== undefined) {
    const types = (await deps.store.getEmailSettings()).subscriptionTypes ?? [];
    if (!types.some((t) => t.id === input.subscriptionType))
      throw invalidReference('subscriptionType', 'subscription type', input.subscriptionType);
  }
  const segments = [
    ...(input.audience.kind === 'segment' ? [input.audience.segmentId] : []),
    ...(input.excludeSegmentIds ?? []),
  ];
  for (const id of segments) await getSegment(deps, id);
}

export async function createCampaign(deps: CampaignsDeps, input: CampaignInput): Promise<Campaign> {
  await checkReferences(deps, input);
  const at = deps.clock.now().toISOString();
  const campaign: Campaign = {
    id: deps.ids.next(),
    name: input.name,
    status: 'draft',
    audience: input.audience,
    excludeSegmentIds: [...new Set(input.excludeSegmentIds ?? [])],
    templateId: input.templateId,
    ...(input.subscriptionType ? { subscriptionType: input.subscriptionType } : {}),
    createdAt: at,
    updatedAt: at,
  };
  await deps.store.commit([{ kind: 'putCampaign', campaign }]);
  return campaign;
}

async function load(deps: CampaignsDeps, id: string): Promise<Campaign> {
  const campaign = await deps.store.getCampaign(id);
  if (!campaign) throw notFound('campaign', id);
  return campaign;
}

/** Replaces `current` with `next` if nobody changed it since it was read (a 409 otherwise). */
async function save(
  deps: CampaignsDeps,
  current: Campaign,
  next: Campaign,
  from: readonly CampaignStatus[],
  extra: Parameters<CampaignsDeps['store']['commit']>[0] = [],
) {
  try {
    await deps.store.commit([
      { kind: 'putCampaign', campaign: next, expected: { updatedAt: current.updatedAt, from } },
      ...extra,
    ]);
  } catch (err) {
    if (err instanceof CommitConflict && err.write.kind === 'putCampaign')
      throw conflict('campaign_changed', `campaign ${current.id} was changed meanwhile; reload and retry`);
    throw err;
  }
  return next;
}

export async function updateCampaign(
  deps: CampaignsDeps,
  id: string,
  input: CampaignInput,
): Promise<Campaign> {
  const current = await load(deps, id);
  if (current.status !== 'draft')
    throw conflict('not_draft', `campaign ${id} is ${current.status}; only a draft can be edited`);
  await checkReferences(deps, input);
  const { subscriptionType: _previous, ...rest } = current;
  const next: Campaign = {
    ...rest,
    name: input.name,
    audience: input.audience,
    excludeSegmentIds: [...new Set(input.excludeSegmentIds ?? [])],
    templateId: input.templateId,
    ...(input.subscriptionType ? { subscriptionType: input.subscriptionType } : {}),
    updatedAt: deps.clock.now().toISOString(),
  };
  return save(deps, current, next, ['draft']);
}

/** Starts sending `current` (in one of `from`): its status and its bulk job (with BulkActionStarted) in one transaction. */
async function start(deps: CampaignsDeps, current: Campaign, from: CampaignStatus[]): Promise<CampaignView> {
  await checkReferences(deps, current);
  const now = deps.clock.now();
  const job = newBulkJob(
    deps,
    { action: { kind: 'sendCampaign', campaignId: current.id }, audience: current.audience },
    now,
  );
  const next: Campaign = {
    ...current,
    status: 'sending',
    jobId: job.id,
    startedAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  await save(deps, current, next, from, bulkJobWrites(deps, job, now));
  return { campaign: next, progress: { counts: job.counts } };
}

/** Sends a draft now. */
export async function sendCampaign(deps: CampaignsDeps, id: string): Promise<CampaignView> {
  const current = await load(deps, id);
  if (current.status !== 'draft')
    throw conflict('not_draft', `campaign ${id} is ${current.status}; it can be sent once`);
  return start(deps, current, ['draft']);
}

/** A campaign is scheduled at least this far ahead, and at most a year. */
const MIN_LEAD_MS = 60_000;
const MAX_LEAD_MS = 365 * 24 * 3600_000;

/** The one-time schedule of a campaign scheduled at `at` (a new name for every time it is scheduled). */
export const campaignScheduleName = (id: string, at: string) => `campaign-${id}-${Date.parse(at)}`;

/**
 * Schedules a draft to start sending at `at`. The schedule is created first, under a name of the
 * campaign and the time, then the campaign says `scheduled`; if that fails, the schedule is deleted
 * (and one left behind would find the campaign not scheduled for that time, and do nothing).
 */
export async function scheduleCampaign(
  deps: CampaignsDeps,
  scheduler: Scheduler,
  id: string,
  at: string,
): Promise<Campaign> {
  const current = await load(deps, id);
  if (current.status !== 'draft')
    throw conflict('not_draft', `campaign ${id} is ${current.status}; only a draft can be scheduled`);
  await checkReferences(deps, current);
  const now = deps.clock.now();
  const when = new Date(at);
  if (when.getTime() < now.getTime() + MIN_LEAD_MS)
    throw invalid('send_at_in_past', 'a campaign is scheduled at least a minute ahead', [
      { path: 'at', message: `must be after ${new Date(now.getTime() + MIN_LEAD_MS).toISOString()}` },
    ]);
  if (when.getTime() > now.getTime() + MAX_LEAD_MS)
    throw invalid('send_at_too_far', 'a campaign is scheduled at most a year ahead', [
      { path: 'at', message: 'must be within a year' },
    ]);
  const scheduledAt = when.toISOString();
  const next: Campaign = { ...current, status: 'scheduled', scheduledAt, updatedAt: now.toISOString() };
  const name = campaignScheduleName(id, scheduledAt);
  await scheduler.scheduleOnce(name, when, { kind: 'campaignSend', campaignId: id, at: scheduledAt });
  try {
    return await save(deps, current, next, ['draft']);
  } catch (err) {
    await scheduler.cancel(name);
    throw err;
  }
}

/** Makes a scheduled campaign a draft again (to edit it, or send it now); its schedule is deleted. */
export async function unscheduleCampaign(
  deps: CampaignsDeps,
  scheduler: Scheduler,
  id: string,
): Promise<Campaign> {
  const current = await load(deps, id);
  if (current.status !== 'scheduled' || !current.scheduledAt)
    throw conflict('not_scheduled', `campaign ${id} is ${current.status}, not scheduled`);
  const { scheduledAt: _, ...rest } = current;
  const next: Campaign = { ...rest, status: 'draft', updatedAt: deps.clock.now().toISOString() };
  await save(deps, current, next, ['scheduled']);
  // After the save: a schedule that fires meanwhile finds a draft and does nothing.
  await scheduler.cancel(campaignScheduleName(id, current.scheduledAt));
  return next;
}

/**
 * A campaign's schedule fired: it starts sending if it is still scheduled for that time (a stale
 * schedule — unscheduled, rescheduled, cancelled, or fired twice — does nothing).
 */
export async function startScheduledCampaign(
  deps: CampaignsDeps,
  id: string,
  at: string,
): Promise<'started' | 'stale'> {
  const current = await deps.store.getCampaign(id);
  if (current?.status !== 'scheduled' || current.scheduledAt !== at) return 'stale';
  try {
    await start(deps, current, ['scheduled']);
  } catch (err) {
    // Changed meanwhile (unscheduled, or started by a parallel firing): stale unless still scheduled.
    const now = await deps.store.getCampaign(id);
    if (now?.status === 'scheduled' && now.scheduledAt === at) throw err;
    return 'stale';
  }
  return 'started';
}

/**
 * Pauses a campaign being sent: chunks not yet sent wait on the queue (contacts being sent to at that
 * moment still get theirs) until it is resumed. Campaign and job change in one transaction.
 */
export async function pauseCampaign(deps: CampaignsDeps, id: string): Promise<CampaignView> {
  return pauseOrResume(deps, id, true);
}

/** Resumes a paused campaign where it stopped: nobody is sent to twice. */
export async function resumeCampaign(deps: CampaignsDeps, id: string): Promise<CampaignView> {
  return pauseOrResume(deps, id, false);
}

async function pauseOrResume(deps: CampaignsDeps, id: string, pause: boolean): Promise<CampaignView> {
  const current = await load(deps, id);
  const from: CampaignStatus = pause ? 'sending' : 'paused';
  if (current.status !== from || !current.jobId)
    throw conflict(pause ? 'not_sending' : 'not_paused', `campaign ${id} is ${current.status}`);
  const next: Campaign = {
    ...current,
    status: pause ? 'paused' : 'sending',
    updatedAt: deps.clock.now().toISOString(),
  };
  try {
    await save(deps, current, next, [from], pauseBulkWrites(deps, current.jobId, pause));
  } catch (err) {
    // The job is no longer in that state: sent (or stopped) meanwhile.
    if (err instanceof CommitConflict) throw conflict('finished', `campaign ${id} has finished sending`);
    throw err;
  }
  // Chunks counted while it was paused: it may be complete now.
  if (!pause) await finishBulkIfDone(deps, current.jobId);
  return viewOf(deps, next);
}

/** Cancels a draft or a scheduled campaign (its schedule deleted), or stops one being sent: contacts not reached get nothing. */
export async function cancelCampaign(
  deps: CampaignsDeps,
  scheduler: Scheduler,
  id: string,
): Promise<CampaignView> {
  const current = await load(deps, id);
  if (current.status === 'sent' || current.status === 'cancelled')
    throw conflict('finished', `campaign ${id} is ${current.status}`);
  if (current.jobId) {
    const job = await deps.store.getBulkJob(current.jobId);
    if (job?.status === 'completed') throw conflict('sent', `campaign ${id} is sent already`);
    if (job && job.status !== 'cancelled') await cancelBulkAction(deps, current.jobId);
  }
  const next: Campaign = { ...current, status: 'cancelled', updatedAt: deps.clock.now().toISOString() };
  await save(deps, current, next, [current.status]);
  if (current.status === 'scheduled' && current.scheduledAt)
    await scheduler.cancel(campaignScheduleName(id, current.scheduledAt));
  return viewOf(deps, next);
}

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

async function reportOf(deps: CampaignsDeps, id: string): Promise<CampaignReport> {
  const [values, clicks] = await Promise.all([
    readCounter(deps, COUNTER_GROUPS.campaigns, id),
    readCounter(deps, COUNTER_GROUPS.campaignLinks, id),
  ]);
  const n = (name: string) => values[name] ?? 0;
  const links = Object.entries(clicks)
    .filter(([url]) => /^https?:\/\//.test(url))
    .map(([url, count]) => ({ url, clicks: count }))
    .sort((a, b) => b.clicks - a.clicks || a.url.localeCompare(b.url))
    .slice(0, 20);
  return {
    ...(links.length > 0 ? { links } : {}),
    sent: n('sent'),
    opened: n('opened'),
    clicked: n('clicked'),
    bounced: n('bounced'),
    complained: n('complained'),
    unsubscribed: n('unsubscribed'),
  };
}

async function viewOf(deps: CampaignsDeps, campaign: Campaign): Promise<CampaignView> {
  if (!campaign.jobId) return { campaign };
  const [job, report] = await Promise.all([
    deps.store.getBulkJob(campaign.jobId),
    reportOf(deps, campaign.id),
  ]);
  if (!job) return { campaign };
  const running = campaign.status === 'sending' || campaign.status === 'paused';
  const status: CampaignStatus =
    running && job.status === 'completed'
      ? 'sent'
      : running && job.status === 'cancelled'
        ? 'cancelled'
        : campaign.status;
  return {
    campaign: { ...campaign, status },
    report,
    progress: {
      counts: job.counts,
      ...(job.total !== undefined ? { total: job.total } : {}),
      ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
    },
  };
}

export const getCampaign = async (deps: CampaignsDeps, id: string) => viewOf(deps, await load(deps, id));

export async function listCampaigns(deps: CampaignsDeps, options: ListOptions): Promise<Page<CampaignView>> {
  const page = await deps.store.listCampaigns(options);
  return { ...page, items: await Promise.all(page.items.map((c) => viewOf(deps, c))) };
}
