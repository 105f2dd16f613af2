/**
 * Campaigns sent at a local time in each contact's time zone, on DynamoDB Local: the campaign starts
 * when it is that time somewhere (UTC+14); its job sends the contacts whose time has come and puts
 * the others in one wave per local send instant, each with its schedule; a wave starts when its
 * schedule fires (not while the campaign is paused: looked at again later; once, however often it
 * fires); a lost schedule is made up by the reconciler; everyone gets the email once, at their 09:00;
 * a cancelled campaign's waves send nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cancelCampaign,
  createCampaign,
  getCampaign,
  pauseCampaign,
  resumeCampaign,
  scheduleCampaign,
  startScheduledCampaign,
} from '#campaigns/campaigns.js';
import { reconcileWaves, startWave, waveRetryScheduleName, waveScheduleName } from '#campaigns/local-time.js';
import { createContact } from '#contacts/rules.js';
import { DomainError } from '#platform/errors.js';
import { runCampaignJob, setUpOn } from '#test/support/campaigns.js';
import { createTestTable } from '#test/support/dynamo.js';
import { RecordingScheduler } from '#test/support/fakes.js';

const code = (c: string) => (e: unknown) => e instanceof DomainError && e.code === c;

/** Each contact's 09:00 on 5 December 2026, in UTC. */
const PEOPLE = [
  { email: 'kiri@example.com', timeZone: 'Pacific/Kiritimati', at: '2026-12-04T19:00:00.000Z' },
  { email: 'tokyo@example.com', timeZone: 'asia/tokyo', at: '2026-12-05T00:00:00.000Z' },
  { email: 'kolkata@example.com', timeZone: 'Asia/Kolkata', at: '2026-12-05T03:30:00.000Z' },
  { email: 'paris@example.com', timeZone: 'Europe/Paris', at: '2026-12-05T08:00:00.000Z' },
  { email: 'paris2@example.com', timeZone: 'Europe/Paris', at: '2026-12-05T08:00:00.000Z' },
  // No time zone: the campaign's fallback, New York.
  { email: 'nozone@example.com', at: '2026-12-05T14:00:00.000Z' },
];
const LOCAL = { date: '2026-12-05', time: '09:00', fallbackTimeZone: 'america/new_york' };

async function setUp() {
  const clock = { now: new Date('2026-12-04T12:00:00.000Z') };
  const t = await createTestTable(() => clock.now);
  const base = await setUpOn(t);
  for (const { email, timeZone } of PEOPLE)
    await createContact(t.deps, { email, ...(timeZone ? { timeZone } : {}), tags: ['world'] });
  const campaign = await createCampaign(t.deps, {
    name: 'Morning news',
    audience: { kind: 'tag', tag: 'world' },
    templateId: base.template.id,
  });
  return { ...base, clock, campaign, scheduler: new RecordingScheduler() };
}

const at = (iso: string) => new Date(iso);

/** Scheduled at LOCAL, started when it is 09:00 in UTC+14, its first job run: the rest wait in waves. */
async function sortedIntoWaves() {
  const base = await setUp();
  const { t, ctx, clock, campaign, scheduler } = base;
  const scheduled = await scheduleCampaign(t.deps, scheduler, campaign.id, LOCAL);
  clock.now = at('2026-12-04T19:00:01.000Z');
  await startScheduledCampaign(t.deps, scheduler, campaign.id, scheduled.scheduledAt as string);
  const { jobId } = (await getCampaign(t.deps, campaign.id)).campaign;
  await runCampaignJob(t, ctx, jobId as string, false, scheduler);
  return base;
}

describe('local-time campaigns', () => {
  it('sends each contact at 09:00 in its time zone, wave by wave, once each', async () => {
    const { t, ctx, mailer, clock, campaign, scheduler } = await setUp();
    // Refused: a date that does not exist, an unknown zone, a time already past somewhere.
    await assert.rejects(
      scheduleCampaign(t.deps, scheduler, campaign.id, { ...LOCAL, date: '2026-02-30' }),
      code('validation_error'),
    );
    await assert.rejects(
      scheduleCampaign(t.deps, scheduler, campaign.id, { ...LOCAL, fallbackTimeZone: 'Mars/Base' }),
      code('validation_error'),
    );
    await assert.rejects(
      scheduleCampaign(t.deps, scheduler, campaign.id, { ...LOCAL, time: '01:00' }),
      (e: unknown) =>
        code('send_at_in_past')(e) &&
        e instanceof DomainError &&
        JSON.stringify(e.details) ===
          JSON.stringify([{ path: 'localTime.date', message: 'the earliest date for 01:00 is 2026-12-06' }]),
    );
    assert.equal(scheduler.schedules.size, 0);

    const scheduled = await scheduleCampaign(t.deps, scheduler, campaign.id, LOCAL);
    assert.equal(scheduled.scheduledAt, '2026-12-04T19:00:00.000Z', 'when it is 09:00 in UTC+14');
    assert.equal(scheduled.localTime?.fallbackTimeZone, 'America/New_York');

    clock.now = at('2026-12-04T19:00:01.000Z');
    assert.equal(
      await startScheduledCampaign(t.deps, scheduler, campaign.id, scheduled.scheduledAt as string),
      'started',
    );
    const first = await getCampaign(t.deps, campaign.id);
    await runCampaignJob(t, ctx, first.campaign.jobId as string, true, scheduler);
    assert.deepEqual(
      mailer.sent.map((e) => e.to),
      ['kiri@example.com'],
      'only the contact whose 09:00 it is',
    );
    const waiting = await getCampaign(t.deps, campaign.id);
    assert.equal(waiting.campaign.status, 'sending');
    assert.deepEqual(
      waiting.waves?.map((w) => [w.at, w.status]),
      [
        ['2026-12-05T00:00:00.000Z', 'waiting'],
        ['2026-12-05T03:30:00.000Z', 'waiting'],
        ['2026-12-05T08:00:00.000Z', 'waiting'],
        ['2026-12-05T14:00:00.000Z', 'waiting'],
      ],
    );
    assert.equal(waiting.progress?.total, 6);
    assert.deepEqual([waiting.progress?.counts.processed, waiting.progress?.counts.changed], [1, 1]);
    for (const w of waiting.waves ?? []) {
      const schedule = scheduler.schedules.get(waveScheduleName(campaign.id, w.at));
      assert.deepEqual(schedule?.action, { kind: 'campaignWave', campaignId: campaign.id, at: w.at });
      assert.equal(schedule?.at.toISOString(), w.at);
    }

    // Tokyo's wave fires while the campaign is paused: looked at again a minute later.
    clock.now = at('2026-12-05T00:00:00.000Z');
    await pauseCampaign(t.deps, campaign.id);
    assert.equal(await startWave(t.deps, scheduler, campaign.id, '2026-12-05T00:00:00.000Z'), 'later');
    assert.ok(
      scheduler.schedules.has(
        waveRetryScheduleName(campaign.id, '2026-12-05T00:00:00.000Z', at('2026-12-05T00:01:00.000Z')),
      ),
    );
    await resumeCampaign(t.deps, campaign.id);
    clock.now = at('2026-12-05T00:01:00.000Z');
    const fired = await Promise.all([
      startWave(t.deps, scheduler, campaign.id, '2026-12-05T00:00:00.000Z'),
      startWave(t.deps, scheduler, campaign.id, '2026-12-05T00:00:00.000Z'),
    ]);
    assert.ok(fired.includes('started') && fired.filter((f) => f === 'started').length === 1, `${fired}`);
    const tokyo = (await t.deps.store.listCampaignWaves(campaign.id))[0];
    await runCampaignJob(t, ctx, tokyo?.jobId as string, true, scheduler);
    assert.deepEqual(mailer.sent.map((e) => e.to).at(-1), 'tokyo@example.com');

    // Kolkata's and Paris's schedules were lost: the reconciler starts them half an hour late.
    clock.now = at('2026-12-05T03:45:00.000Z');
    assert.deepEqual(await reconcileWaves(t.deps), { started: 0, waiting: 0 }, 'not overdue yet');
    clock.now = at('2026-12-05T08:31:00.000Z');
    assert.deepEqual(await reconcileWaves(t.deps), { started: 2, waiting: 0 });
    for (const w of (await t.deps.store.listCampaignWaves(campaign.id)).slice(1, 3))
      await runCampaignJob(t, ctx, w.jobId as string, false, scheduler);
    assert.equal(await startWave(t.deps, scheduler, campaign.id, '2026-12-05T08:00:00.000Z'), 'stale');

    clock.now = at('2026-12-05T14:00:00.000Z');
    assert.equal(await startWave(t.deps, scheduler, campaign.id, '2026-12-05T14:00:00.000Z'), 'started');
    const last = (await t.deps.store.listCampaignWaves(campaign.id)).at(-1);
    await runCampaignJob(t, ctx, last?.jobId as string, false, scheduler);

    assert.deepEqual(mailer.sent.map((e) => e.to).sort(), PEOPLE.map((p) => p.email).sort(), 'everyone once');
    const sent = await getCampaign(t.deps, campaign.id);
    assert.equal(sent.campaign.status, 'sent');
    assert.deepEqual(
      sent.waves?.map((w) => [w.status, w.sent]),
      [
        ['sent', 1],
        ['sent', 1],
        ['sent', 2],
        ['sent', 1],
      ],
    );
    const { processed, changed, unchanged, leftOut } = sent.progress?.counts ?? {};
    assert.deepEqual(
      { processed, changed, unchanged, leftOut },
      { processed: 6, changed: 6, unchanged: 0, leftOut: undefined },
    );
    await assert.rejects(cancelCampaign(t.deps, scheduler, campaign.id), code('sent'));
  });

  it('a cancelled local-time campaign sends no more waves, and its wave schedules are deleted', async () => {
    const { t, mailer, clock, campaign, scheduler } = await sortedIntoWaves();
    const cancelled = await cancelCampaign(t.deps, scheduler, campaign.id);
    assert.equal(cancelled.campaign.status, 'cancelled');
    assert.ok(cancelled.waves?.every((w) => w.status === 'cancelled'));
    for (const w of cancelled.waves ?? [])
      assert.ok(scheduler.cancelled.includes(waveScheduleName(campaign.id, w.at)));
    clock.now = at('2026-12-05T00:00:00.000Z');
    assert.equal(await startWave(t.deps, scheduler, campaign.id, '2026-12-05T00:00:00.000Z'), 'stale');
    clock.now = at('2026-12-05T20:00:00.000Z');
    assert.deepEqual(await reconcileWaves(t.deps), { started: 0, waiting: 0 });
    assert.deepEqual(
      mailer.sent.map((e) => e.to),
      ['kiri@example.com'],
    );
  });

  it('starts waves due together (after a restart) at once, each once', async () => {
    const { t, ctx, mailer, clock, campaign, scheduler } = await sortedIntoWaves();
    clock.now = at('2026-12-05T15:00:00.000Z');
    const waves = await t.deps.store.listCampaignWaves(campaign.id);
    const fired = await Promise.all(waves.map((w) => startWave(t.deps, scheduler, campaign.id, w.at)));
    assert.deepEqual(fired, ['started', 'started', 'started', 'started'], 'none put off a minute');
    for (const w of await t.deps.store.listCampaignWaves(campaign.id))
      await runCampaignJob(t, ctx, w.jobId as string, false, scheduler);
    assert.deepEqual(mailer.sent.map((e) => e.to).sort(), PEOPLE.map((p) => p.email).sort());
    assert.equal((await getCampaign(t.deps, campaign.id)).campaign.status, 'sent');
  });

  it('an A/B test is not sent at local times', async () => {
    const { t, campaign, scheduler, template } = await setUp();
    const ab = await createCampaign(t.deps, {
      name: 'A/B',
      audience: campaign.audience,
      abTest: {
        variants: [{ templateId: template.id }, { templateId: template.id, subject: 'Other' }],
        testPercent: 20,
        winnerBy: 'opens',
        waitHours: 2,
      },
    });
    await assert.rejects(scheduleCampaign(t.deps, scheduler, ab.id, LOCAL), code('ab_test_local_time'));
  });
});
