/**
 * Campaigns on DynamoDB Local: a draft sent to a tag audience through the bulk engine — one email
 * per contact however often a chunk is delivered, nobody who unsubscribed, has no basis to be
 * emailed or is in an exclusion segment, a throttled send tried again — then the view says sent with
 * its counts; a cancelled campaign sends nothing more; edits and a second send are refused; a
 * scheduled campaign starts when its schedule fires, and a stale schedule does nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planBulk, processBulkChunk } from '#bulk/engine.js';
import type { BulkChunkMessage } from '#bulk/model.js';
import {
  audienceSize,
  campaignScheduleName,
  cancelCampaign,
  createCampaign,
  getCampaign,
  pauseCampaign,
  resumeCampaign,
  scheduleCampaign,
  sendCampaign,
  startScheduledCampaign,
  unscheduleCampaign,
  updateCampaign,
} from '#campaigns/campaigns.js';
import { campaignApplier } from '#campaigns/send.js';
import { projectEvent } from '#insights/counters.js';
import { createSegment } from '#insights/segments.js';
import { deleteSegment } from '#insights/segments-edit.js';
import { handleSesEvent, unsubscribe } from '#messaging/feedback.js';
import { DomainError } from '#platform/errors.js';
import { parseEvent } from '#platform/events.js';
import { chunkQueue, runCampaignJob, setUp, setUpOn } from '#test/support/campaigns.js';
import { createTestTable, outboxEvents } from '#test/support/dynamo.js';
import { RecordingScheduler } from '#test/support/fakes.js';
import { memoryFiles, runImport } from '#test/support/imports.js';

const code = (c: string) => (e: unknown) => e instanceof DomainError && e.code === c;

describe('campaigns', () => {
  it('sends nobody more once an exclusion segment is deleted mid-send (who it left out is unknown)', async () => {
    const { t, mailer, ctx, template } = await setUp();
    await runImport(t.deps, 'email\nx1@example.com\nx2@example.com\nx3@example.com\n', { tags: ['gone'] });
    const vips = await createSegment(t.deps, { name: 'Gone VIPs', filter: { tags: { all: ['vip'] } } });
    const draft = await createCampaign(t.deps, {
      name: 'Lost exclusion',
      audience: { kind: 'tag', tag: 'gone' },
      excludeSegmentIds: [vips.id],
      templateId: template.id,
    });
    const started = await sendCampaign(t.deps, new RecordingScheduler(), draft.id);
    await deleteSegment(t.deps, vips.id, vips.version ?? 1);
    await runCampaignJob(t, ctx, started.campaign.jobId as string);
    assert.deepEqual(mailer.sent, [], 'nobody is sent to');
    const view = await getCampaign(t.deps, draft.id);
    assert.deepEqual([view.progress?.counts.changed, view.progress?.counts.failed], [0, 3]);
  });

  it('sends once to each contact of the audience, leaving out the unsubscribed, those without a basis and the excluded', async () => {
    const { t, mailer, ctx, template } = await setUp();
    const list = Array.from({ length: 150 }, (_, i) => `c${i}@example.com`);
    await runImport(t.deps, `email\n${list.join('\n')}\n`, { tags: ['newsletter'] });
    await runImport(t.deps, 'email\nnobasis@example.com\n', { tags: ['newsletter'], consentBasis: 'none' });
    await runImport(t.deps, 'email\nc1@example.com\nc2@example.com\n', { tags: ['vip'] });
    await unsubscribe(t.deps, String(await t.deps.store.findContactIdByEmail('c3@example.com')), 'test');
    const vips = await createSegment(t.deps, { name: 'VIPs', filter: { tags: { all: ['vip'] } } });

    const draft = await createCampaign(t.deps, {
      name: 'Spring',
      audience: { kind: 'tag', tag: 'newsletter' },
      excludeSegmentIds: [vips.id],
      templateId: template.id,
    });
    assert.equal(draft.status, 'draft');
    const edited = await updateCampaign(t.deps, draft.id, {
      name: 'Spring sale',
      audience: { kind: 'tag', tag: 'newsletter' },
      excludeSegmentIds: [vips.id],
      templateId: template.id,
    });
    mailer.failures = 2; // throttled twice: tried again with backoff
    const started = await sendCampaign(t.deps, new RecordingScheduler(), edited.id);
    assert.equal(started.campaign.status, 'sending');
    await runCampaignJob(t, ctx, started.campaign.jobId as string, true);

    const to = mailer.sent.map((e) => e.to);
    assert.equal(new Set(to).size, to.length, 'nobody twice');
    assert.equal(to.length, 147);
    for (const left of ['nobasis@example.com', 'c1@example.com', 'c2@example.com', 'c3@example.com'])
      assert.ok(!to.includes(left), `${left} gets nothing`);
    assert.match(mailer.sent[0]?.headers['List-Unsubscribe'] ?? '', /^<https:\/\/crm\.example\.com\/u\//);
    assert.equal(mailer.sent[0]?.tags.campaignId, edited.id);
    // The campaign's UTM parameters on its links, in the HTML and the text; none on the unsubscribe link.
    assert.match(
      mailer.sent[0]?.html ?? '',
      /href="https:\/\/shop\.example\.com\/sale\?ref=mail&amp;utm_source=tendril&amp;utm_medium=email&amp;utm_campaign=spring-sale"/,
    );
    assert.match(mailer.sent[0]?.text ?? '', /utm_campaign=spring-sale/);
    assert.doesNotMatch(mailer.sent[0]?.html ?? '', /\/u\/[^"]*utm_/);
    const view = await getCampaign(t.deps, edited.id);
    assert.equal(view.campaign.status, 'sent');
    assert.equal(view.progress?.total, 151);
    assert.deepEqual(
      [view.progress?.counts.changed, view.progress?.counts.unchanged, view.progress?.counts.failed],
      [147, 4, 0],
    );
    await assert.rejects(sendCampaign(t.deps, new RecordingScheduler(), edited.id), code('not_draft'));
    await assert.rejects(
      updateCampaign(t.deps, edited.id, {
        name: 'x',
        audience: { kind: 'tag', tag: 'x' },
        templateId: template.id,
      }),
      code('not_draft'),
    );
    await assert.rejects(cancelCampaign(t.deps, new RecordingScheduler(), edited.id), code('sent'));
  });

  it('sends nothing more once cancelled, and refuses references that do not exist', async () => {
    const { t, mailer, ctx, template } = await setUp();
    await runImport(
      t.deps,
      `email\n${Array.from({ length: 30 }, (_, i) => `d${i}@example.com`).join('\n')}\n`,
      {
        tags: ['trial'],
      },
    );
    const campaign = await createCampaign(t.deps, {
      name: 'Trial',
      audience: { kind: 'tag', tag: 'trial' },
      templateId: template.id,
    });
    const started = await sendCampaign(t.deps, new RecordingScheduler(), campaign.id);
    const cancelled = await cancelCampaign(t.deps, new RecordingScheduler(), campaign.id);
    assert.equal(cancelled.campaign.status, 'cancelled');
    await runCampaignJob(t, ctx, started.campaign.jobId as string);
    assert.equal(mailer.sent.length, 0);
    assert.equal((await getCampaign(t.deps, campaign.id)).campaign.status, 'cancelled');

    const missing = '01JF0000000000000000000000';
    await assert.rejects(
      createCampaign(t.deps, { name: 'x', audience: { kind: 'tag', tag: 'trial' }, templateId: missing }),
      (e) => e instanceof DomainError && e.kind === 'not_found',
    );
    await assert.rejects(
      createCampaign(t.deps, {
        name: 'x',
        audience: { kind: 'segment', segmentId: missing },
        templateId: template.id,
      }),
      (e) => e instanceof DomainError && e.kind === 'not_found',
    );
    await assert.rejects(
      getCampaign(t.deps, missing),
      (e) => e instanceof DomainError && e.kind === 'not_found',
    );
  });

  it('starts a scheduled campaign when its schedule fires, once; unscheduled or cancelled, it does nothing', async () => {
    let now = new Date('2026-12-01T09:00:00.000Z');
    const t = await createTestTable(() => now);
    const { ctx, mailer, template } = await setUpOn(t);
    await runImport(t.deps, 'email\ns1@example.com\ns2@example.com\n', { tags: ['sched'] });
    const input = {
      name: 'Later',
      audience: { kind: 'tag', tag: 'sched' } as const,
      templateId: template.id,
    };
    const scheduler = new RecordingScheduler();
    const campaign = await createCampaign(t.deps, input);
    await assert.rejects(
      scheduleCampaign(t.deps, scheduler, campaign.id, '2026-12-01T09:00:30.000Z'),
      code('send_at_in_past'),
    );
    await assert.rejects(
      scheduleCampaign(t.deps, scheduler, campaign.id, '2028-01-01T00:00:00.000Z'),
      code('send_at_too_far'),
    );
    assert.equal(scheduler.schedules.size, 0, 'nothing scheduled for a refused time');

    // Scheduled, unscheduled (back to a draft that can be edited), scheduled again for later.
    const first = await scheduleCampaign(t.deps, scheduler, campaign.id, '2026-12-01T11:00:00+01:00');
    assert.deepEqual([first.status, first.scheduledAt], ['scheduled', '2026-12-01T10:00:00.000Z']);
    await assert.rejects(updateCampaign(t.deps, campaign.id, input), code('not_draft'));
    await assert.rejects(sendCampaign(t.deps, new RecordingScheduler(), campaign.id), code('not_draft'));
    const firstFire = [...scheduler.schedules.values()][0]?.action;
    assert.deepEqual(firstFire, { kind: 'campaignSend', campaignId: campaign.id, at: first.scheduledAt });
    const draft = await unscheduleCampaign(t.deps, scheduler, campaign.id);
    assert.deepEqual([draft.status, draft.scheduledAt, scheduler.schedules.size], ['draft', undefined, 0]);
    await updateCampaign(t.deps, campaign.id, { ...input, name: 'Later still' });
    const second = await scheduleCampaign(t.deps, scheduler, campaign.id, '2026-12-02T08:00:00.000Z');

    // The first schedule firing anyway (deleted too late) does nothing; the second starts it, once.
    if (firstFire?.kind !== 'campaignSend') throw new Error('no campaign schedule');
    now = new Date('2026-12-01T10:00:00.000Z');
    assert.equal(
      await startScheduledCampaign(t.deps, new RecordingScheduler(), campaign.id, firstFire.at),
      'stale',
    );
    assert.equal((await getCampaign(t.deps, campaign.id)).campaign.status, 'scheduled');
    now = new Date('2026-12-02T08:00:01.000Z');
    const fires = await Promise.all([
      startScheduledCampaign(t.deps, new RecordingScheduler(), campaign.id, second.scheduledAt as string),
      startScheduledCampaign(t.deps, new RecordingScheduler(), campaign.id, second.scheduledAt as string),
    ]);
    assert.deepEqual(fires.sort(), ['stale', 'started'], 'fired twice, started once');
    const sending = await getCampaign(t.deps, campaign.id);
    assert.equal(sending.campaign.status, 'sending');
    assert.equal(sending.campaign.name, 'Later still');
    await runCampaignJob(t, ctx, sending.campaign.jobId as string);
    assert.deepEqual(mailer.sent.map((e) => e.to).sort(), ['s1@example.com', 's2@example.com']);
    assert.equal((await getCampaign(t.deps, campaign.id)).campaign.status, 'sent');

    // Cancelling a scheduled campaign deletes its schedule; its firing then does nothing.
    const other = await createCampaign(t.deps, input);
    const o = await scheduleCampaign(t.deps, scheduler, other.id, '2026-12-03T08:00:00.000Z');
    assert.equal((await cancelCampaign(t.deps, scheduler, other.id)).campaign.status, 'cancelled');
    assert.ok(scheduler.cancelled.includes(campaignScheduleName(other.id, o.scheduledAt as string)));
    assert.equal(
      await startScheduledCampaign(t.deps, new RecordingScheduler(), other.id, o.scheduledAt as string),
      'stale',
    );
    await assert.rejects(unscheduleCampaign(t.deps, scheduler, other.id), code('not_scheduled'));
  });

  it('pauses a campaign: its chunks go back on the queue, uncounted, until it is resumed; nobody twice', async () => {
    const { t, mailer, ctx, template } = await setUp();
    await runImport(
      t.deps,
      `email\n${Array.from({ length: 250 }, (_, i) => `p${i}@example.com`).join('\n')}\n`,
      {
        tags: ['paused'],
      },
    );
    const campaign = await createCampaign(t.deps, {
      name: 'Pausable',
      audience: { kind: 'tag', tag: 'paused' },
      templateId: template.id,
    });
    await assert.rejects(pauseCampaign(t.deps, campaign.id), code('not_sending'));
    const started = await sendCampaign(t.deps, new RecordingScheduler(), campaign.id);
    const q = chunkQueue();
    await planBulk(t.deps, q, memoryFiles(), started.campaign.jobId as string);
    const appliers = { sendCampaign: campaignApplier(t.deps, ctx, { sleep: async () => {} }) };
    const parked: Array<{ message: BulkChunkMessage; delaySeconds?: number }> = [];
    const park = {
      send: async (batch: BulkChunkMessage[], options?: { delaySeconds?: number }) =>
        void parked.push(...batch.map((message) => ({ message, ...options }))),
    };
    const [first, ...rest] = q.messages as [BulkChunkMessage, ...BulkChunkMessage[]];
    await processBulkChunk(t.deps, appliers, first, park);
    assert.equal(mailer.sent.length, 100);

    const paused = await pauseCampaign(t.deps, campaign.id);
    assert.equal(paused.campaign.status, 'paused');
    await assert.rejects(pauseCampaign(t.deps, campaign.id), code('not_sending'));
    for (const m of rest) assert.equal(await processBulkChunk(t.deps, appliers, m, park), undefined);
    assert.equal(mailer.sent.length, 100, 'nothing sent while paused');
    assert.deepEqual(
      parked.map((p) => [p.message.chunk, p.delaySeconds]),
      [
        [1, 30],
        [2, 30],
      ],
    );
    const view = await getCampaign(t.deps, campaign.id);
    assert.deepEqual([view.campaign.status, view.progress?.counts.changed], ['paused', 100]);

    assert.equal((await resumeCampaign(t.deps, campaign.id)).campaign.status, 'sending');
    await assert.rejects(resumeCampaign(t.deps, campaign.id), code('not_paused'));
    // The parked chunks come back (and chunk 1 a second time, as SQS may deliver it).
    for (const { message } of [...parked, parked[0] as { message: BulkChunkMessage }])
      await processBulkChunk(t.deps, appliers, message, park);
    const to = mailer.sent.map((e) => e.to);
    assert.equal(to.length, 250);
    assert.equal(new Set(to).size, 250, 'nobody twice');
    const done = await getCampaign(t.deps, campaign.id);
    assert.deepEqual([done.campaign.status, done.progress?.counts.changed], ['sent', 250]);
    await assert.rejects(pauseCampaign(t.deps, campaign.id), code('finished'));
  });

  it('reports sends, unique opens and clicks, clicks per link, bounces, complaints and unsubscribes through its link from its events', async () => {
    const { t, ctx, template } = await setUp();
    const list = Array.from({ length: 5 }, (_, i) => `r${i}@example.com`);
    await runImport(t.deps, `email\n${list.join('\n')}\n`, { tags: ['report'] });
    const campaign = await createCampaign(t.deps, {
      name: 'Reported',
      audience: { kind: 'tag', tag: 'report' },
      templateId: template.id,
    });
    const started = await sendCampaign(t.deps, new RecordingScheduler(), campaign.id);
    await runCampaignJob(t, ctx, started.campaign.jobId as string);
    const sent = (await outboxEvents(t)).filter(
      (e) => e.detailType === 'EmailSent' && e.detail.campaignId === campaign.id,
    );
    assert.equal(sent.length, 5);
    const [m0, m1, m2, m3] = sent.map((e) => String(e.detail.messageId));
    const ses = (detailType: string, messageId: string | undefined, extra: Record<string, unknown> = {}) =>
      handleSesEvent(t.deps, { detailType, detail: { mail: { messageId }, ...extra } });
    await ses('Email Opened', m0);
    await ses('Email Opened', m0); // a second open of one email is not unique
    await ses('Email Opened', m1);
    // Clicks per link: contacts who clicked each link, once each (a second click, or the same event
    // delivered again, does not count twice).
    const click = (messageId: string | undefined, link: string) =>
      ses('Email Clicked', messageId, { click: { link } });
    await click(m0, 'https://shop.example.com/spring?utm_campaign=reported');
    await click(m0, 'https://shop.example.com/spring?utm_campaign=reported');
    await click(m0, 'https://blog.example.com/post');
    await click(m1, 'https://shop.example.com/spring?utm_campaign=reported');
    await ses('Email Bounced', m2, {
      bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'r2@example.com' }] },
    });
    await ses('Email Complaint Received', m3, {
      complaint: { complainedRecipients: [{ emailAddress: 'r3@example.com' }] },
    });
    // r4 leaves through this campaign's link; an unsubscribe from elsewhere does not count in it.
    await unsubscribe(
      t.deps,
      String(await t.deps.store.findContactIdByEmail('r4@example.com')),
      'link',
      campaign.id,
    );
    await unsubscribe(t.deps, String(await t.deps.store.findContactIdByEmail('r1@example.com')), 'link');
    // The dashboard projector applies every event (twice here: each counts once).
    for (const e of [...(await outboxEvents(t)), ...(await outboxEvents(t))])
      await projectEvent(t.deps, parseEvent(e.detailType, e.detail));
    const { report } = await getCampaign(t.deps, campaign.id);
    assert.deepEqual(report, {
      sent: 5,
      opened: 2,
      clicked: 2,
      bounced: 1,
      complained: 1,
      unsubscribed: 1,
      links: [
        { url: 'https://shop.example.com/spring?utm_campaign=reported', clicks: 2 },
        { url: 'https://blog.example.com/post', clicks: 1 },
      ],
    });
  });

  it('sizes an audience: a tag’s count from the counters, a small segment counted exactly', async () => {
    const { t } = await setUp();
    await runImport(t.deps, 'email\ns1@example.com\ns2@example.com\ns3@example.com\n', { tags: ['sized'] });
    await runImport(t.deps, 'email\ns4@example.com\n', { tags: ['sized-other'] });
    // As the dashboard rule delivers them: an import's contacts count with its ImportCompleted.
    for (const e of await outboxEvents(t))
      if (e.detail.fromImport === undefined) await projectEvent(t.deps, parseEvent(e.detailType, e.detail));
    assert.deepEqual(await audienceSize(t.deps, { kind: 'tag', tag: 'sized' }), {
      contacts: 3,
      kind: 'count',
    });
    assert.deepEqual(await audienceSize(t.deps, { kind: 'tag', tag: 'nobody' }), {
      contacts: 0,
      kind: 'count',
    });
    // A small segment is counted exactly: its candidates (a tag's contacts) filtered by the rest of it.
    const segment = await createSegment(t.deps, {
      name: 'Sized',
      filter: { tags: { all: ['sized'], none: ['sized-other'] } },
    });
    assert.deepEqual(await audienceSize(t.deps, { kind: 'segment', segmentId: segment.id }), {
      contacts: 3,
      kind: 'count',
    });
    const none = await createSegment(t.deps, {
      name: 'None',
      filter: { tags: { all: ['sized'], none: ['sized'] } },
    });
    assert.deepEqual(await audienceSize(t.deps, { kind: 'segment', segmentId: none.id }), {
      contacts: 0,
      kind: 'count',
    });
    await assert.rejects(
      audienceSize(t.deps, { kind: 'segment', segmentId: '01JF0000000000000000000000' }),
      (e) => e instanceof DomainError && e.kind === 'not_found',
    );
  });
});
