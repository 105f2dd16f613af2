/**
 * Sending a campaign at a local time in each contact's time zone (09:00 wherever each one is).
 *
 * The campaign's one schedule fires at the first moment it is that time anywhere (UTC+14); its job
 * then pages the audience once, as any campaign's: a contact whose local send time has come is sent
 * at once, any other is written to the stored list of its wave (one per local send instant), whose
 * one-time schedule is made with it. When a wave's schedule fires (once the first job has sorted
 * every contact: a wave never starts while contacts may still be added), the wave's own bulk job
 * sends its list, at the campaigns' rate, through the same send ledger: nobody is sent twice. A wave
 * whose schedule was lost is started by the reconciler half an hour late.
 */
import { bulkJobWrites, newBulkJob } from '#bulk/actions.js';
import { DomainError, invalid } from '#platform/errors.js';
import type { Scheduler } from '#platform/scheduler.js';
import { CommitConflict } from '#platform/store.js';
import { canonicalTimeZone, instantOf } from '#platform/time-zone.js';
import type { LocalSendTime } from './model.js';
import { save } from './records.js';
import type { CampaignsDeps } from './store.js';
import { sweepScheduler } from './sweep.js';

const HOUR = 3600_000;
/** The zones furthest ahead of and behind UTC (Kiritimati, Baker Island). */
const EARLIEST_OFFSET = 14 * HOUR;
const LATEST_OFFSET = -12 * HOUR;

const wallClock = ({ date, time }: Pick<LocalSendTime, 'date' | 'time'>) => Date.parse(`${date}T${time}:00Z`);

/** The first moment it is `local` anywhere on Earth: when a local-time campaign starts. */
export const firstInstant = (local: LocalSendTime) => new Date(wallClock(local) - EARLIEST_OFFSET);
/** The last such moment: when its last wave can be. */
export const lastInstant = (local: LocalSendTime) => new Date(wallClock(local) - LATEST_OFFSET);

/** The first date whose `time` has not come anywhere at `after` (UTC+14 is first). */
export function earliestLocalDate(time: string, after: Date): string {
  const wallAtLeast = after.getTime() + EARLIEST_OFFSET;
  const day = new Date(wallAtLeast).toISOString().slice(0, 10);
  if (wallClock({ date: day, time }) >= wallAtLeast) return day;
  return new Date(wallAtLeast + 24 * HOUR).toISOString().slice(0, 10);
}

/** A local send time as asked for: a real date and time, a time zone the runtime knows. */
export function checkLocalTime(local: LocalSendTime): LocalSendTime {
  const problems: Array<{ path: string; message: string }> = [];
  const at = wallClock(local);
  if (
    !/^\d{4}-\d{2}-\d{2}$/.test(local.date) ||
    Number.isNaN(at) ||
    !new Date(at).toISOString().startsWith(local.date)
  )
    problems.push({ path: 'localTime.date', message: 'a date such as 2026-12-05' });
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(local.time))
    problems.push({ path: 'localTime.time', message: 'a time of day such as 09:00' });
  const fallbackTimeZone = canonicalTimeZone(local.fallbackTimeZone.trim());
  if (!fallbackTimeZone)
    problems.push({ path: 'localTime.fallbackTimeZone', message: 'a time zone such as Europe/Paris' });
  if (problems.length > 0 || !fallbackTimeZone)
    throw invalid('validation_error', 'the local send time is not valid', problems);
  return { ...local, fallbackTimeZone };
}

/** A schedule request's time: an instant or a local time, exactly one (a 400 otherwise). */
export function scheduleTimeOf(body: {
  at?: string | undefined;
  localTime?: LocalSendTime | undefined;
}): string | LocalSendTime {
  if (body.at !== undefined && body.localTime === undefined) return body.at;
  if (body.localTime !== undefined && body.at === undefined) return body.localTime;
  throw invalid(
    'validation_error',
    'a campaign is scheduled at a time (`at`) or at a local time (`localTime`)',
    [{ path: 'at', message: 'give `at` or `localTime`, not both or neither' }],
  );
}

/** When a contact in `timeZone` (none: the campaign's fallback) is sent a campaign sent at `local`. */
export function sendInstantOf(local: LocalSendTime, timeZone: string | undefined): Date {
  const zone = (timeZone && canonicalTimeZone(timeZone)) || local.fallbackTimeZone;
  return instantOf(local, zone);
}

/** A contact of a local-time campaign whose time has not come: in its wave's list (sent by the wave's job). */
export const LOCAL_TIME_LEFT_OUT = 'local_time';

/** The stored list holding a wave's contacts, and the schedule starting it. */
export const waveListId = (campaignId: string, at: string) => `campaign-${campaignId}-wave-${Date.parse(at)}`;
export const waveScheduleName = waveListId;
/**
 * The schedule looking at a wave again at `when` (a name per look; Scheduler allows 64 characters,
 * so the times are written in base 36).
 */
export const waveRetryScheduleName = (campaignId: string, at: string, when: Date) =>
  `campaign-${campaignId}-w${Date.parse(at).toString(36)}-${when.getTime().toString(36)}`;

/** A wave whose campaign's first job is still sorting (or which is paused) is looked at again this much later. */
export const RETRY_WAVE_MS = 60_000;
/** A wave this late (its schedule lost, or its firing in the DLQ) is started by the reconciler. */
export const OVERDUE_WAVE_MS = 30 * 60_000;

/**
 * Puts a contact whose local send time has not come into the wave of that time: the wave's schedule
 * (made once per chunk and wave; making it again is a no-op), the wave, then the contact in its list.
 * `'due'`: the wave has started meanwhile, so the contact is sent now.
 */
export async function deferToWave(
  deps: CampaignsDeps,
  scheduler: Scheduler,
  campaignId: string,
  contactId: string,
  at: Date,
  ensured: Set<string>,
): Promise<'deferred' | 'due'> {
  const iso = at.toISOString();
  if (!ensured.has(iso)) {
    await scheduler.scheduleOnce(waveScheduleName(campaignId, iso), at, {
      kind: 'campaignWave',
      campaignId,
      at: iso,
    });
    try {
      await deps.store.commit([{ kind: 'addCampaignWave', campaignId, at: iso }]);
    } catch (err) {
      if (err instanceof CommitConflict) return 'due';
      throw err;
    }
    ensured.add(iso);
  }
  await deps.store.commit([{ kind: 'addToList', listId: waveListId(campaignId, iso), contactId }]);
  return 'deferred';
}

export type WaveOutcome = 'started' | 'stale' | 'later';

/**
 * A wave's time has come: its job starts, in one transaction with the wave's record (once) and the
 * campaign (unchanged since read: not paused or cancelled meanwhile). Not yet while the campaign's
 * first job is still sorting its audience, or the campaign is paused: looked at again a minute later.
 */
export async function startWave(
  deps: CampaignsDeps,
  scheduler: Scheduler,
  campaignId: string,
  at: string,
): Promise<WaveOutcome> {
  // Waves due together (after a restart, or a pause) each change the campaign: one wins each round,
  // the others read it again at once rather than wait a minute.
  for (let attempt = 1; ; attempt++) {
    const outcome = await tryStartWave(deps, campaignId, at);
    if (outcome === 'started' || outcome === 'stale') return outcome;
    if (outcome === 'not_yet' || attempt >= 5) return later(deps, scheduler, campaignId, at);
  }
}

async function tryStartWave(
  deps: CampaignsDeps,
  campaignId: string,
  at: string,
): Promise<'started' | 'stale' | 'not_yet' | 'changed'> {
  const campaign = await deps.store.getCampaign(campaignId);
  if (!campaign?.localTime || !campaign.jobId) return 'stale';
  const wave = (await deps.store.listCampaignWaves(campaignId)).find((w) => w.at === at);
  if (!wave || wave.jobId || (campaign.status !== 'sending' && campaign.status !== 'paused')) return 'stale';
  const first = await deps.store.getBulkJob(campaign.jobId);
  if (!first || first.status === 'cancelled' || first.status === 'failed') return 'stale';
  if (first.status !== 'completed' || campaign.status === 'paused') return 'not_yet';
  const now = deps.clock.now();
  const job = newBulkJob(
    deps,
    {
      action: { kind: 'sendCampaign', campaignId },
      audience: { kind: 'list', listId: waveListId(campaignId, at) },
    },
    now,
  );
  try {
    await save(
      deps,
      campaign,
      { ...campaign, updatedAt: now.toISOString() },
      ['sending'],
      [{ kind: 'startCampaignWave', campaignId, at, jobId: job.id }, ...bulkJobWrites(deps, job, now)],
    );
  } catch (err) {
    // Started by another firing meanwhile (stale), or the campaign changed (read it again).
    if (err instanceof CommitConflict || (err instanceof DomainError && err.code === 'campaign_changed'))
      return 'changed';
    throw err;
  }
  return 'started';
}

async function later(deps: CampaignsDeps, scheduler: Scheduler, campaignId: string, at: string) {
  const when = new Date(deps.clock.now().getTime() + RETRY_WAVE_MS);
  await scheduler.scheduleOnce(waveRetryScheduleName(campaignId, at, when), when, {
    kind: 'campaignWave',
    campaignId,
    at,
  });
  return 'later' as const;
}

/** The safety net of the waves' schedules: waves due more than half an hour ago and not started. */
export async function reconcileWaves(deps: CampaignsDeps): Promise<{ started: number; waiting: number }> {
  const overdue = await deps.store.listOverdueWaves(
    new Date(deps.clock.now().getTime() - OVERDUE_WAVE_MS),
    25,
  );
  let started = 0;
  let waiting = 0;
  for (const wave of overdue) {
    const outcome = await startWave(deps, sweepScheduler, wave.campaignId, wave.at);
    if (outcome === 'started') started++;
    else if (outcome === 'later') waiting++;
  }
  return { started, waiting };
}
