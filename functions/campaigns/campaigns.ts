/**
 * Campaigns as a marketer drives them: a draft (name, audience, exclusions, template), edited until
 * it is sent now or scheduled (a one-time schedule that starts it; unscheduling makes it a draft
 * again); sending starts its bulk job in the same transaction as the status change; cancel stops
 * the job (contacts not reached get nothing). The view takes status and progress from the job.
 */
import { bulkJobWrites, cancelBulkAction, newBulkJob, pauseBulkWrites } from '#bulk/actions.js';
import { finishBulkIfDone } from '#bulk/engine.js';
import { getSegment } from '#insights/segments.js';
import { checkTemplate } from '#messaging/template-engine.js';
import { getTemplate } from '#messaging/templates.js';
import { conflict, invalid, invalidReference, validationError } from '#platform/errors.js';
import type { Scheduler } from '#platform/scheduler.js';
import { CommitConflict } from '#platform/store.js';
import { checkLocalTime, earliestLocalDate, firstInstant, waveScheduleName } from './local-time.js';
import type { Campaign, CampaignAudience, CampaignStatus, CampaignView, LocalSendTime } from './model.js';
import { load, save } from './records.js';
import type { CampaignsDeps } from './store.js';
import { type AbTestInput, abTestOf } from './variants.js';
import { allJobs, isSent, jobsOf, viewOf } from './views.js';

export { load, save } from './records.js';
export { audienceSize, getCampaign, listCampaigns } from './views.js';

export interface CampaignInput {
  name: string;
  audience: CampaignAudience;
  excludeSegmentIds?: string[];
  /** The template sent; an A/B test's variants name theirs instead. */
  templateId?: string;
  abTest?: AbTestInput;
  subscriptionType?: string;
}

/** What a draft says it sends: one template, or an A/B test's variants (the first's template as its template). */
function contentOf(input: CampaignInput): Pick<Campaign, 'templateId' | 'abTest'> {
  if (input.abTest && input.templateId)
    throw invalid('template_and_ab_test', 'an A/B test names its variants’ templates: leave out templateId', [
      { path: 'templateId', message: 'not with abTest' },
    ]);
  if (input.abTest) {
    const abTest = abTestOf(input.abTest);
    return { templateId: abTest.variants[0]?.templateId ?? '', abTest };
  }
  if (!input.templateId)
    throw invalid('template_required', 'a campaign sends a template, or the variants of an A/B test', [
      { path: 'templateId', message: 'required' },
    ]);
  return { templateId: input.templateId };
}

/** The templates, segments and subscription type must exist (a 400 naming the field, not a failed send later). */
async function checkReferences(deps: CampaignsDeps, input: Campaign) {
  const variants = input.abTest?.variants ?? [];
  if (variants.length === 0) await getTemplate(deps, input.templateId);
  // A variant's missing template is named by its path (a 400, as a workflow's would be).
  for (const [i, v] of variants.entries())
    if (!(await deps.store.getTemplate(v.templateId)))
      throw invalidReference(`abTest.variants.${i}.templateId`, 'template', v.templateId);
  // A variant's own subject must compile as the template's would (not fail for every contact later).
  const subjects = await Promise.all(
    (input.abTest?.variants ?? []).map(async (v, i) =>
      v.subject === undefined
        ? []
        : (await checkTemplate({ subject: v.subject, html: '' })).map((p) => ({
            ...p,
            path: `abTest.variants.${i}.subject`,
          })),
    ),
  );
  if (subjects.flat().length > 0)
    throw validationError('a variant’s subject does not compile', subjects.flat());
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
  const at = deps.clock.now().toISOString();
  const campaign: Campaign = {
    id: deps.ids.next(),
    name: input.name,
    status: 'draft',
    audience: input.audience,
    excludeSegmentIds: [...new Set(input.excludeSegmentIds ?? [])],
    ...contentOf(input),
    ...(input.subscriptionType ? { subscriptionType: input.subscriptionType } : {}),
    createdAt: at,
    updatedAt: at,
  };
  await checkReferences(deps, campaign);
  await deps.store.commit([{ kind: 'putCampaign', campaign }]);
  return campaign;
}

export async function updateCampaign(
  deps: CampaignsDeps,
  id: string,
  input: CampaignInput,
): Promise<Campaign> {
  const current = await load(deps, id);
  if (current.status !== 'draft')
    throw conflict('not_draft', `campaign ${id} is ${current.status}; only a draft can be edited`);
  const { subscriptionType: _previous, abTest: _test, ...rest } = current;
  const next: Campaign = {
    ...rest,
    name: input.name,
    audience: input.audience,
    excludeSegmentIds: [...new Set(input.excludeSegmentIds ?? [])],
    ...contentOf(input),
    ...(input.subscriptionType ? { subscriptionType: input.subscriptionType } : {}),
    updatedAt: deps.clock.now().toISOString(),
  };
  await checkReferences(deps, next);
  return save(deps, current, next, ['draft']);
}

/** The one-time schedule that chooses an A/B campaign's winner. */
export const winnerScheduleName = (id: string) => `campaign-${id}-winner`;

/**
 * Starts sending `current` (in one of `from`): its status and its bulk job (with BulkActionStarted)
 * in one transaction. An A/B test sends its test share first; the schedule choosing its winner is
 * made before (deleted if the start fails; one left behind finds no test waiting, and does nothing).
 */
async function start(
  deps: CampaignsDeps,
  scheduler: Scheduler,
  current: Campaign,
  from: CampaignStatus[],
): Promise<CampaignView> {
  await checkReferences(deps, current);
  const now = deps.clock.now();
  const job = newBulkJob(
    deps,
    {
      action: { kind: 'sendCampaign', campaignId: current.id, ...(current.abTest ? { phase: 'test' } : {}) },
      audience: current.audience,
    },
    now,
  );
  const decideAt = current.abTest && new Date(now.getTime() + current.abTest.waitHours * 3600_000);
  const next: Campaign = {
    ...current,
    ...(current.abTest && decideAt
      ? { abTest: { ...current.abTest, decideAt: decideAt.toISOString() } }
      : {}),
    status: 'sending',
    jobId: job.id,
    startedAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  if (decideAt)
    await scheduler.scheduleOnce(winnerScheduleName(current.id), decideAt, {
      kind: 'campaignWinner',
      campaignId: current.id,
    });
  try {
    await save(deps, current, next, from, bulkJobWrites(deps, job, now));
  } catch (err) {
    if (decideAt) await scheduler.cancel(winnerScheduleName(current.id));
    throw err;
  }
  return { campaign: next, progress: { counts: job.counts } };
}

/** Sends a draft now. */
export async function sendCampaign(
  deps: CampaignsDeps,
  scheduler: Scheduler,
  id: string,
): Promise<CampaignView> {
  const current = await load(deps, id);
  if (current.status !== 'draft')
    throw conflict('not_draft', `campaign ${id} is ${current.status}; it can be sent once`);
  return start(deps, scheduler, current, ['draft']);
}

/** A campaign is scheduled at least this far ahead, and at most a year. */
const MIN_LEAD_MS = 60_000;
const MAX_LEAD_MS = 365 * 24 * 3600_000;

/** The one-time schedule of a campaign scheduled at `at` (a new name for every time it is scheduled). */
export const campaignScheduleName = (id: string, at: string) => `campaign-${id}-${Date.parse(at)}`;

/**
 * Schedules a draft to start sending at `at`, or at a local time in each contact's time zone (it
 * starts when it is that time somewhere, campaigns/local-time.ts). The schedule is created first,
 * under a name of the campaign and the time, then the campaign says `scheduled`; if that fails, the
 * schedule is deleted (and one left behind would find the campaign not scheduled for that time, and
 * do nothing).
 */
export async function scheduleCampaign(
  deps: CampaignsDeps,
  scheduler: Scheduler,
  id: string,
  at: string | LocalSendTime,
): Promise<Campaign> {
  const current = await load(deps, id);
  if (current.status !== 'draft')
    throw conflict('not_draft', `campaign ${id} is ${current.status}; only a draft can be scheduled`);
  const localTime = typeof at === 'string' ? undefined : checkLocalTime(at);
  if (localTime && current.abTest)
    throw invalid(
      'ab_test_local_time',
      'an A/B test is sent at one time: choose a time, not each contact’s local time',
      [{ path: 'localTime', message: 'not with an A/B test' }],
    );
  await checkReferences(deps, current);
  const now = deps.clock.now();
  const when = localTime ? firstInstant(localTime) : new Date(at as string);
  const path = localTime ? 'localTime.date' : 'at';
  const earliest = new Date(now.getTime() + MIN_LEAD_MS);
  if (when.getTime() < earliest.getTime())
    throw invalid(
      'send_at_in_past',
      localTime
        ? `${localTime.time} on ${localTime.date} has come somewhere already (UTC+14 is first): the earliest date for ${localTime.time} is ${earliestLocalDate(localTime.time, earliest)}`
        : 'a campaign is scheduled at least a minute ahead',
      [
        localTime
          ? {
              path,
              message: `the earliest date for ${localTime.time} is ${earliestLocalDate(localTime.time, earliest)}`,
            }
          : { path, message: `must be after ${earliest.toISOString()}` },
      ],
    );
  if (when.getTime() > now.getTime() + MAX_LEAD_MS)
    throw invalid('send_at_too_far', 'a campaign is scheduled at most a year ahead', [
      {
        path,
        message: `must be within a year (by ${new Date(now.getTime() + MAX_LEAD_MS).toISOString().slice(0, 10)})`,
      },
    ]);
  const scheduledAt = when.toISOString();
  const next: Campaign = {
    ...current,
    status: 'scheduled',
    scheduledAt,
    ...(localTime ? { localTime } : {}),
    updatedAt: now.toISOString(),
  };
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
  const { scheduledAt: _, localTime: _local, ...rest } = current;
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
  scheduler: Scheduler,
  id: string,
  at: string,
): Promise<'started' | 'stale'> {
  const current = await deps.store.getCampaign(id);
  if (current?.status !== 'scheduled' || current.scheduledAt !== at) return 'stale';
  try {
    await start(deps, scheduler, current, ['scheduled']);
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
  const testing = current.abTest && !current.abTest.winner;
  if (
    pause &&
    testing &&
    current.jobId &&
    (await deps.store.getBulkJob(current.jobId))?.status === 'completed'
  )
    throw conflict(
      'testing',
      `campaign ${id} has sent its test share and waits for the winner: choose it, or cancel the campaign`,
    );
  if (current.status !== from || !current.jobId)
    throw conflict(pause ? 'not_sending' : 'not_paused', `campaign ${id} is ${current.status}`);
  // A local-time campaign pauses (or resumes) each of its jobs still running; a wave still to come
  // waits while the campaign is paused.
  let jobIds = [current.jobId];
  if (current.localTime) {
    const jobs = await jobsOf(deps, current);
    if (isSent(current, jobs)) throw conflict('finished', `campaign ${id} has finished sending`);
    const running = pause ? ['queued', 'processing'] : ['paused'];
    jobIds = allJobs(jobs)
      .filter((j) => running.includes(j.status))
      .map((j) => j.id);
  }
  const next: Campaign = {
    ...current,
    status: pause ? 'paused' : 'sending',
    updatedAt: deps.clock.now().toISOString(),
  };
  try {
    await save(
      deps,
      current,
      next,
      [from],
      jobIds.flatMap((jobId) => pauseBulkWrites(deps, jobId, pause)),
    );
  } catch (err) {
    // The job is no longer in that state: sent (or stopped) meanwhile.
    if (err instanceof CommitConflict) throw conflict('finished', `campaign ${id} has finished sending`);
    throw err;
  }
  // Chunks counted while it was paused: it may be complete now.
  if (!pause) for (const jobId of jobIds) await finishBulkIfDone(deps, jobId);
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
  // An A/B test whose share is sent and whose winner is not chosen yet can still be stopped, as can
  // a local-time campaign with waves to come.
  const testing = current.abTest !== undefined && current.abTest.winner === undefined;
  if (current.jobId) {
    const jobs = await jobsOf(deps, current);
    if (isSent(current, jobs)) throw conflict('sent', `campaign ${id} is sent already`);
    for (const job of allJobs(jobs))
      if (job.status === 'queued' || job.status === 'processing' || job.status === 'paused')
        await cancelBulkAction(deps, job.id);
  }
  const next: Campaign = { ...current, status: 'cancelled', updatedAt: deps.clock.now().toISOString() };
  await save(deps, current, next, [current.status]);
  if (current.status === 'scheduled' && current.scheduledAt)
    await scheduler.cancel(campaignScheduleName(id, current.scheduledAt));
  if (testing && current.jobId) await scheduler.cancel(winnerScheduleName(id));
  // Waves to come (one firing anyway finds the campaign cancelled, and does nothing).
  if (current.localTime)
    for (const wave of await deps.store.listCampaignWaves(id))
      if (!wave.jobId) await scheduler.cancel(waveScheduleName(id, wave.at));
  return viewOf(deps, next);
}
