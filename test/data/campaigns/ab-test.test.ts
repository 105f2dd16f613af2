/**
 * A/B campaigns on DynamoDB Local: the test share is split between the variants (each contact always
 * the same one, nobody twice however often a chunk is delivered), the rest wait; the winner is chosen
 * by unique open rate when its schedule fires (not before the test share is sent; once, however
 * often it fires) and sent to the rest; a marketer can choose it instead; a cancelled test sends
 * nothing more; an overdue winner whose schedule was lost is chosen by the reconciler's sweep; a
 * draft's variants are checked.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chooseWinner, reconcileAbTests } from '#campaigns/ab-test.js';
import {
  cancelCampaign,
  createCampaign,
  getCampaign,
  pauseCampaign,
  sendCampaign,
} from '#campaigns/campaigns.js';
import { testVariantOf } from '#campaigns/variants.js';
import { projectEvent } from '#insights/counters.js';
import { handleSesEvent } from '#messaging/feedback.js';
import { createTemplate } from '#messaging/templates.js';
import { DomainError } from '#platform/errors.js';
import { parseEvent } from '#platform/events.js';
import { runCampaignJob, setUp, setUpOn } from '#test/support/campaigns.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';
import { RecordingScheduler } from '#test/support/fakes.js';
import { runImport } from '#test/support/imports.js';

const code = (c: string) => (e: unknown) => e instanceof DomainError && e.code === c;

/** The dashboard projector applies the report's events (a campaign's counters come from these alone) once. */
async function project(t: TestTable, done = new Set<string>()) {
  for (const e of await outboxEvents(t))
    if (
      (e.detailType === 'EmailSent' || e.detailType === 'EmailEngaged') &&
      !done.has(String(e.detail.eventId))
    ) {
      done.add(String(e.detail.eventId));
      await projectEvent(t.deps, parseEvent(e.detailType, e.detail));
    }
  return done;
}

async function abCampaign(size: number, winnerBy: 'opens' | 'clicks' = 'opens', testPercent = 30) {
  const base = await setUp();
  const { t, template } = base;
  const other = await createTemplate(t.deps, {
    name: 'Spring sale (short)',
    subject: 'Sale ends soon',
    html: '<p>Short <a href="https://shop.example.com/b">Shop</a></p><a href="{{ unsubscribeUrl }}">Unsubscribe</a>',
  });
  const list = Array.from({ length: size }, (_, i) => `ab${i}@example.com`);
  await runImport(t.deps, `email\n${list.join('\n')}\n`, { tags: ['ab'] });
  const campaign = await createCampaign(t.deps, {
    name: 'Spring A/B',
    audience: { kind: 'tag', tag: 'ab' },
    abTest: {
      variants: [
        { templateId: template.id },
        { templateId: template.id, subject: 'Last chance, {{ contact.firstName | default: "friend" }}' },
        { templateId: other.id },
      ],
      testPercent,
      winnerBy,
      waitHours: 4,
    },
  });
  return { ...base, other, campaign, scheduler: new RecordingScheduler() };
}

describe('A/B campaigns', () => {
  it('sends the test share its variants, chooses the best open rate when its time is up, and sends the winner to the rest, nobody twice', async () => {
    const { t, mailer, ctx, campaign, scheduler } = await abCampaign(80, 'opens', 60);
    assert.equal(campaign.templateId, campaign.abTest?.variants[0]?.templateId);
    const started = await sendCampaign(t.deps, scheduler, campaign.id);
    const schedule = scheduler.schedules.get(`campaign-${campaign.id}-winner`);
    assert.deepEqual(schedule?.action, { kind: 'campaignWinner', campaignId: campaign.id });
    assert.equal(schedule?.at.toISOString(), started.campaign.abTest?.decideAt);

    // Its time is up before the test share is sent: looked at again later, nothing chosen.
    assert.deepEqual(await chooseWinner(t.deps, scheduler, campaign.id, 'auto'), { outcome: 'later' });
    assert.ok([...scheduler.schedules.keys()].some((k) => k.startsWith(`campaign-${campaign.id}-winner-`)));
    await assert.rejects(
      chooseWinner(t.deps, scheduler, campaign.id, { variant: 'B' }),
      code('test_sending'),
    );

    await runCampaignJob(t, ctx, started.campaign.jobId as string, true);
    const testSends = [...mailer.sent];
    const to = testSends.map((m) => m.to);
    assert.equal(new Set(to).size, to.length, 'nobody twice');
    assert.ok(to.length > 30 && to.length < 66, `about 60% of 80 in the test share: ${to.length}`);
    // Each contact got the subject of the variant the rules give it, and the three were all sent.
    const test = started.campaign.abTest;
    assert.ok(test);
    const bySubject = new Map<string, number>();
    for (const m of testSends) {
      const id = String(await t.deps.store.findContactIdByEmail(m.to));
      const variant = testVariantOf(test, campaign.id, id);
      const expected = { A: /^Spring sale, friend$/, B: /^Last chance, friend$/, C: /^Sale ends soon$/ };
      assert.match(m.subject, expected[variant?.id as 'A' | 'B' | 'C'], `${m.to} got variant ${variant?.id}`);
      assert.equal(m.tags.variant, variant?.id);
      bySubject.set(m.subject, (bySubject.get(m.subject) ?? 0) + 1);
    }
    assert.equal(bySubject.size, 3);
    const testing = await getCampaign(t.deps, campaign.id);
    assert.equal(testing.campaign.status, 'testing');
    assert.equal(testing.progress?.counts.leftOut?.awaiting_winner, 80 - to.length);

    // Variant B is opened most (unique opens: a second open of one email does not count).
    const sent = (await outboxEvents(t)).filter((e) => e.detailType === 'EmailSent');
    const ofVariant = (v: string) =>
      sent.filter((e) => e.detail.variant === v).map((e) => e.detail.messageId);
    const open = (messageId: unknown) =>
      handleSesEvent(t.deps, {
        detailType: 'Email Opened',
        detail: { mail: { messageId: String(messageId) } },
      });
    for (const m of ofVariant('A').slice(0, 2)) await open(m);
    for (const m of ofVariant('B').slice(0, 6)) await open(m);
    for (const m of ofVariant('C').slice(0, 1)) for (let i = 0; i < 8; i++) await open(m);
    const projected = await project(t);
    const results = (await getCampaign(t.deps, campaign.id)).report?.variants;
    assert.deepEqual(
      results?.map((v) => [v.id, v.opened]),
      [
        ['A', 2],
        ['B', 6],
        ['C', 1],
      ],
    );
    assert.equal(
      results?.reduce((n, v) => n + v.sent, 0),
      to.length,
    );

    // The schedule fires (twice): B is chosen once, and sent to the rest.
    const fired = await Promise.allSettled([
      chooseWinner(t.deps, scheduler, campaign.id, 'auto'),
      chooseWinner(t.deps, scheduler, campaign.id, 'auto'),
    ]);
    // Side by side: one chooses; the other finds it chosen, or loses the write (and is retried: stale).
    const outcomes = fired.map((f) =>
      f.status === 'fulfilled' ? f.value.outcome : code('campaign_changed')(f.reason) ? 'changed' : f.reason,
    );
    assert.equal(outcomes.filter((o) => o === 'chosen').length, 1, String(outcomes));
    assert.ok(
      outcomes.every((o) => o === 'chosen' || o === 'stale' || o === 'changed'),
      String(outcomes),
    );
    assert.deepEqual(await chooseWinner(t.deps, scheduler, campaign.id, 'auto'), { outcome: 'stale' });
    const chosen = await getCampaign(t.deps, campaign.id);
    assert.equal(chosen.campaign.status, 'sending');
    assert.deepEqual([chosen.campaign.abTest?.winner, chosen.campaign.abTest?.winnerReason], ['B', 'opens']);
    assert.equal(chosen.campaign.abTest?.testJobId, started.campaign.jobId);
    await runCampaignJob(t, ctx, chosen.campaign.jobId as string);
    const rest = mailer.sent.slice(testSends.length);
    assert.equal(rest.length, 80 - to.length);
    assert.ok(rest.every((m) => m.subject === 'Last chance, friend' && m.tags.variant === undefined));
    const everyone = mailer.sent.map((m) => m.to);
    assert.equal(new Set(everyone).size, 80, 'everyone once');
    const done = await getCampaign(t.deps, campaign.id);
    assert.equal(done.campaign.status, 'sent');
    // Both jobs' contacts, each once: everybody sent to, nobody left out.
    assert.deepEqual(
      [done.progress?.counts.changed, done.progress?.counts.unchanged, done.progress?.counts.leftOut],
      [80, 0, undefined],
    );
    await project(t, projected);
    const report = (await getCampaign(t.deps, campaign.id)).report;
    assert.equal(report?.sent, 80);
    // The variants' results stay those of the test.
    assert.equal(
      report?.variants?.reduce((n, v) => n + v.sent, 0),
      to.length,
    );
    await assert.rejects(
      chooseWinner(t.deps, scheduler, campaign.id, { variant: 'A' }),
      code('winner_chosen'),
    );
  });

  it('lets the marketer choose the winner once the test share is sent; with no clicks the variant sent to the most wins; a cancelled test sends nothing more', async () => {
    const { t, mailer, ctx, campaign, scheduler } = await abCampaign(40, 'clicks');
    const started = await sendCampaign(t.deps, scheduler, campaign.id);
    await runCampaignJob(t, ctx, started.campaign.jobId as string);
    await assert.rejects(pauseCampaign(t.deps, campaign.id), code('testing'));
    await assert.rejects(
      chooseWinner(t.deps, scheduler, campaign.id, { variant: 'D' }),
      code('no_such_variant'),
    );
    const picked = await chooseWinner(t.deps, scheduler, campaign.id, { variant: 'C' });
    assert.equal(picked.outcome, 'chosen');
    assert.ok(scheduler.cancelled.includes(`campaign-${campaign.id}-winner`), 'its schedule deleted');
    const view = picked.outcome === 'chosen' ? picked.view : undefined;
    assert.deepEqual([view?.campaign.abTest?.winner, view?.campaign.abTest?.winnerReason], ['C', 'manual']);
    assert.deepEqual(await chooseWinner(t.deps, scheduler, campaign.id, 'auto'), { outcome: 'stale' });
    await runCampaignJob(t, ctx, view?.campaign.jobId as string);
    assert.equal(new Set(mailer.sent.map((m) => m.to)).size, 40);

    // No clicks at all: the variant sent to the most is sent, and the campaign says why.
    const second = await abCampaign(30, 'clicks');
    const run2 = await sendCampaign(second.t.deps, second.scheduler, second.campaign.id);
    await runCampaignJob(second.t, second.ctx, run2.campaign.jobId as string);
    await project(second.t);
    const sentBy = (await getCampaign(second.t.deps, second.campaign.id)).report?.variants ?? [];
    const most = sentBy.reduce((top, v) => (v.sent > top.sent ? v : top));
    await chooseWinner(second.t.deps, second.scheduler, second.campaign.id, 'auto');
    const noData = await getCampaign(second.t.deps, second.campaign.id);
    assert.deepEqual(
      [noData.campaign.abTest?.winner, noData.campaign.abTest?.winnerReason],
      [most.id, 'no_data'],
    );

    // Cancelled while testing: the schedule finds it cancelled, nobody else is sent to.
    const third = await abCampaign(30);
    const run3 = await sendCampaign(third.t.deps, third.scheduler, third.campaign.id);
    await runCampaignJob(third.t, third.ctx, run3.campaign.jobId as string);
    const sentInTest = third.mailer.sent.length;
    const cancelled = await cancelCampaign(third.t.deps, third.scheduler, third.campaign.id);
    assert.equal(cancelled.campaign.status, 'cancelled');
    assert.ok(third.scheduler.cancelled.includes(`campaign-${third.campaign.id}-winner`));
    assert.deepEqual(await chooseWinner(third.t.deps, third.scheduler, third.campaign.id, 'auto'), {
      outcome: 'stale',
    });
    assert.equal(third.mailer.sent.length, sentInTest);
  });

  it('has an overdue winner chosen by the reconciler when its schedule was lost, once the share is sent', async () => {
    let now = new Date('2026-12-01T09:00:00.000Z');
    const t = await createTestTable(() => now);
    const { ctx, template } = await setUpOn(t);
    await runImport(
      t.deps,
      `email\n${Array.from({ length: 20 }, (_, i) => `late${i}@example.com`).join('\n')}\n`,
      {
        tags: ['late'],
      },
    );
    const campaign = await createCampaign(t.deps, {
      name: 'Lost schedule',
      audience: { kind: 'tag', tag: 'late' },
      abTest: {
        variants: [{ templateId: template.id }, { templateId: template.id, subject: 'Other' }],
        testPercent: 50,
        winnerBy: 'opens',
        waitHours: 2,
      },
    });
    // Its schedule is made, and never fires.
    const started = await sendCampaign(t.deps, new RecordingScheduler(), campaign.id);
    assert.deepEqual(await reconcileAbTests(t.deps), { chosen: [], waiting: 0 }, 'not due yet');
    now = new Date('2026-12-01T11:40:00.000Z'); // due 11:00, overdue from 11:30
    assert.deepEqual(
      await reconcileAbTests(t.deps),
      { chosen: [], waiting: 1 },
      'the share is still sending',
    );
    await runCampaignJob(t, ctx, started.campaign.jobId as string);
    assert.deepEqual(await reconcileAbTests(t.deps), { chosen: [campaign.id], waiting: 0 });
    assert.deepEqual(await reconcileAbTests(t.deps), { chosen: [], waiting: 0 }, 'decided once');
    const view = await getCampaign(t.deps, campaign.id);
    assert.equal(view.campaign.status, 'sending');
    assert.ok(view.campaign.abTest?.winner);
  });

  it('refuses a draft with alike variants, without a template, or with a variant template that does not exist', async () => {
    const { t, template } = await setUp();
    const base = { name: 'x', audience: { kind: 'tag', tag: 'x' } as const };
    const ab = (variants: Array<{ templateId: string; subject?: string }>) => ({
      ...base,
      abTest: { variants, testPercent: 20, winnerBy: 'opens' as const, waitHours: 2 },
    });
    await assert.rejects(
      createCampaign(t.deps, ab([{ templateId: template.id }, { templateId: template.id, subject: ' ' }])),
      code('variants_alike'),
    );
    await assert.rejects(createCampaign(t.deps, base), code('template_required'));
    await assert.rejects(
      createCampaign(t.deps, {
        ...ab([{ templateId: template.id }, { templateId: template.id, subject: 'B' }]),
        templateId: template.id,
      }),
      code('template_and_ab_test'),
    );
    // A variant subject that does not compile is refused on the variant (not failed for every contact later).
    await assert.rejects(
      createCampaign(
        t.deps,
        ab([{ templateId: template.id }, { templateId: template.id, subject: '{{ oops' }]),
      ),
      (e: unknown) =>
        e instanceof DomainError && JSON.stringify(e.details).includes('abTest.variants.1.subject'),
    );
    await assert.rejects(
      createCampaign(t.deps, ab([{ templateId: template.id }, { templateId: '01JZZZZZZZZZZZZZZZZZZZZZZZ' }])),
      (e: unknown) =>
        code('invalid_reference')(e) &&
        JSON.stringify((e as DomainError).details).includes('abTest.variants.1.templateId'),
    );
  });
});
