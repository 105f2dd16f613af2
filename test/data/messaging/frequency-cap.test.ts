/**
 * The frequency cap on DynamoDB Local: settings saved with optimistic concurrency; at most `max`
 * marketing emails per contact in `days` days, also those sent before the cap was set — the next is
 * not sent (a campaign leaves the contact out), one-to-one emails are not counted, the window slides; an email retried after a throttle is
 * counted once; two emails claimed at the same moment cannot both pass a cap of one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planBulk, processBulkChunk } from '#bulk/engine.js';
import type { BulkChunkMessage } from '#bulk/model.js';
import { createCampaign, getCampaign, sendCampaign } from '#campaigns/campaigns.js';
import { campaignApplier } from '#campaigns/send.js';
import * as contacts from '#contacts/rules.js';
import { CapContention, sendTrackedEmail } from '#messaging/sender.js';
import { getEmailSettings, saveEmailSettings } from '#messaging/settings.js';
import { createTemplate } from '#messaging/templates.js';
import { DomainError, RetryableError } from '#platform/errors.js';
import { createTestTable, type TestTable } from '#test/support/dynamo.js';
import { RecordingMailer, RecordingScheduler } from '#test/support/fakes.js';
import { memoryFiles, runImport } from '#test/support/imports.js';

const DAY = 86_400_000;

async function setUp() {
  let now = Date.parse('2026-12-01T09:00:00.000Z');
  const t = await createTestTable(() => new Date(now));
  const mailer = new RecordingMailer();
  const ctx = { mailer, signingSecret: async () => 'x'.repeat(40), publicUrl: 'https://crm.example.com' };
  const template = await createTemplate(t.deps, {
    name: 'News',
    subject: 'News',
    html: '<a href="{{ unsubscribeUrl }}">Unsubscribe</a>',
  });
  const advance = (ms: number) => {
    now += ms;
  };
  return { t, mailer, ctx, template, advance };
}

type Kit = Awaited<ReturnType<typeof setUp>>;

/** Sends one email to a contact in slot `stepId`, as a workflow step (marketing) or a follow-up would. */
async function send(kit: Kit, contactId: string, stepId: string, marketing = true) {
  const contact = await contacts.getContact(kit.t.deps, contactId);
  return sendTrackedEmail(kit.t.deps, kit.ctx, {
    contact,
    template: kit.template,
    slot: { enrollmentId: 'E1', stepId },
    tags: {},
    marketing,
  });
}

async function broadcast(t: TestTable, kit: Kit, tag: string) {
  const c = await createCampaign(t.deps, {
    name: tag,
    audience: { kind: 'tag', tag },
    templateId: kit.template.id,
  });
  const started = await sendCampaign(t.deps, new RecordingScheduler(), c.id);
  const messages: BulkChunkMessage[] = [];
  await planBulk(
    t.deps,
    { send: async (b) => void messages.push(...b) },
    memoryFiles(),
    started.campaign.jobId as string,
  );
  const appliers = { sendCampaign: campaignApplier(t.deps, kit.ctx, { sleep: async () => {} }) };
  for (const m of messages) await processBulkChunk(t.deps, appliers, m);
  return (await getCampaign(t.deps, c.id)).progress?.counts;
}

describe('the frequency cap', () => {
  it('is saved with optimistic concurrency, and absent until saved', async () => {
    const { t } = await setUp();
    assert.deepEqual(await getEmailSettings(t.deps), {});
    const saved = await saveEmailSettings(t.deps, { frequencyCap: { max: 3, days: 7 } });
    assert.deepEqual((await getEmailSettings(t.deps)).frequencyCap, { max: 3, days: 7 });
    // An edit from a stale read is refused; one from the current read, or without one, is saved.
    const stale = '2026-11-30T00:00:00.000Z';
    await assert.rejects(
      saveEmailSettings(t.deps, { frequencyCap: null, expectedUpdatedAt: stale }),
      (e) => e instanceof DomainError && e.code === 'settings_changed',
    );
    await saveEmailSettings(t.deps, { frequencyCap: null, expectedUpdatedAt: saved.updatedAt as string });
    assert.equal((await getEmailSettings(t.deps)).frequencyCap, undefined);
    await saveEmailSettings(t.deps, { frequencyCap: { max: 2, days: 1 } });
    assert.deepEqual((await getEmailSettings(t.deps)).frequencyCap, { max: 2, days: 1 });
  });

  it('leaves a contact out of the email over the cap, counts no follow-up, and slides with time', async () => {
    const kit = await setUp();
    const { t, mailer } = kit;
    await runImport(t.deps, 'email\na@example.com\nb@example.com\n', { tags: ['news'] });
    const a = String(await t.deps.store.findContactIdByEmail('a@example.com'));
    // Sent before the cap is set: counted by it.
    assert.equal((await send(kit, a, 'w1')).status, 'sent');
    await saveEmailSettings(t.deps, { frequencyCap: { max: 2, days: 7 } });
    kit.advance(DAY);
    assert.equal((await send(kit, a, 'f1', false)).status, 'sent', 'a follow-up is not counted');
    // a has had one marketing email, b none: the campaign reaches both; the next reaches b only.
    assert.deepEqual([(await broadcast(t, kit, 'news'))?.changed], [2]);
    const third = await broadcast(t, kit, 'news');
    assert.deepEqual([third?.changed, third?.unchanged], [1, 1]);
    assert.deepEqual(third?.leftOut, { frequency_cap: 1 }, 'the campaign says why');
    assert.deepEqual(await send(kit, a, 'w2'), { status: 'blocked', reason: 'frequency_cap' });
    assert.equal((await send(kit, a, 'f2', false)).status, 'sent');
    const toA = mailer.sent.filter((e) => e.to === 'a@example.com').length;
    assert.equal(toA, 4, 'two marketing emails and two follow-ups');
    // Seven days after the first, one marketing email has left the window.
    kit.advance(6 * DAY + 1);
    assert.equal((await send(kit, a, 'w3')).status, 'sent');
    assert.deepEqual(await send(kit, a, 'w4'), { status: 'blocked', reason: 'frequency_cap' });
  });

  it('counts an email tried again after a throttle once, and lets one of two emails at the same moment past a cap of one', async () => {
    const kit = await setUp();
    const { t, mailer } = kit;
    const c = await contacts.createContact(t.deps, { email: 'race@example.com' });
    await saveEmailSettings(t.deps, { frequencyCap: { max: 1, days: 1 } });
    mailer.failures = 1;
    await assert.rejects(send(kit, c.id, 'retry'), (e) => e instanceof RetryableError);
    assert.equal((await send(kit, c.id, 'retry')).status, 'sent', 'the retry is the same email');
    assert.deepEqual(await send(kit, c.id, 'other'), { status: 'blocked', reason: 'frequency_cap' });

    const d = await contacts.createContact(t.deps, { email: 'race2@example.com' });
    const attempt = async (slot: string) => {
      for (;;) {
        try {
          return (await send(kit, d.id, slot)).status;
        } catch (err) {
          if (!(err instanceof CapContention)) throw err;
        }
      }
    };
    const outcomes = await Promise.all(['x1', 'x2', 'x3', 'x4'].map(attempt));
    assert.deepEqual(outcomes.sort(), ['blocked', 'blocked', 'blocked', 'sent']);
    assert.equal(mailer.sent.filter((e) => e.to === 'race2@example.com').length, 1);
  });
});
