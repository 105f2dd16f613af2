/**
 * Attribution and the funnel on DynamoDB Local: a contact's first and latest marketing touch (a
 * form reached by a campaign link, a page reached from another site), the revenue of its won deal
 * credited once to those touches' sources and campaign, and the contacts per lifecycle stage — as
 * the dashboard reports them.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as contacts from '#contacts/rules.js';
import { projectEvent } from '#insights/counters.js';
import { dashboard } from '#insights/dashboard.js';
import { creditSources, dealAttribution } from '#insights/source-revenue.js';
import type { DomainError } from '#platform/errors.js';
import { type DomainEvent, makeEvent, parseEvent } from '#platform/events.js';
import { createDeal, createPipeline, updateDeal } from '#sales/pipelines.js';
import { scoreEvent, viewStanding } from '#scoring/scoring.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';

let t: TestTable;
const now = new Date('2026-12-01T10:00:00.000Z');
let seq = 0;
const at = (minutes: number) => ({
  eventId: `attr-${String(++seq).padStart(4, '0')}`,
  occurredAt: new Date(now.getTime() - minutes * 60_000).toISOString(),
});
const outbox = async (type: string) =>
  (await outboxEvents(t)).filter((e) => e.detailType === type).map((e) => parseEvent(type, e.detail));

before(async () => {
  t = await createTestTable(() => now);
});

describe('attribution', () => {
  it('credits a won deal once to its contact’s first and latest touch, and counts the funnel', async () => {
    const c = await contacts.createContact(t.deps, { email: 'touched@example.com' });
    const events: DomainEvent[] = [
      makeEvent(
        'FormSubmitted',
        {
          contactId: c.id,
          formId: 'F',
          activityId: 'a',
          created: false,
          utm: { utm_source: 'linkedin', utm_medium: 'paid', utm_campaign: 'spring-launch' },
        },
        at(60),
      ),
      makeEvent(
        'PageVisited',
        {
          contactId: c.id,
          visitId: 'v',
          path: '/pricing',
          url: 'https://www.example.com/pricing',
          referrer: 'g2.com',
        },
        at(30),
      ),
    ];
    for (const e of events) assert.equal(await scoreEvent(t.deps, e), 'scored');
    const standing = await viewStanding(t.deps, c.id);
    assert.deepEqual(
      [standing.firstTouch?.source, standing.firstTouch?.campaign, standing.lastTouch?.source],
      ['linkedin', 'spring-launch', 'g2.com'],
    );

    const pipeline = await createPipeline(t.deps, {
      name: 'Sales',
      stages: [
        { name: 'Open', probability: 0.3 },
        { name: 'Won', probability: 1 },
      ],
    });
    const deal = await createDeal(t.deps, {
      title: 'Team plan',
      amount: 1200,
      currency: 'EUR',
      pipelineId: pipeline.id,
      stage: 'Open',
      contactId: c.id,
    });
    await updateDeal(t.deps, deal.id, { stage: 'Won', version: deal.version });
    const [won] = (await outbox('DealStageChanged')).filter(
      (e) => e.detailType === 'DealStageChanged' && e.detail.dealId === deal.id,
    );
    assert.ok(won && won.detailType === 'DealStageChanged');
    assert.equal(await creditSources(t.deps, won), 'credited');
    assert.equal(await creditSources(t.deps, won), 'duplicate', 'once per deal');
    // The deal keeps its own attribution, and is listed among the deals won.
    const kept = await dealAttribution(t.deps, deal.id);
    assert.deepEqual(
      [
        kept.title,
        kept.amount,
        kept.currency,
        kept.firstTouch?.source,
        kept.firstTouch?.campaign,
        kept.lastTouch?.source,
      ],
      ['Team plan', 1200, 'EUR', 'linkedin', 'spring-launch', 'g2.com'],
    );
    assert.deepEqual(
      (await t.deps.store.listWonDeals({ limit: 10 })).items.map((d) => d.dealId),
      [deal.id],
    );
    const open = await createDeal(t.deps, {
      title: 'Not yet',
      amount: 5,
      currency: 'EUR',
      pipelineId: pipeline.id,
      stage: 'Open',
      contactId: c.id,
    });
    await assert.rejects(dealAttribution(t.deps, open.id), (e: DomainError) => e.kind === 'not_found');
    // The deal events move the contact to opportunity, then customer; the projector counts the stages.
    for (const e of [...(await outbox('DealCreated')), won]) await scoreEvent(t.deps, e);
    for (const e of await outbox('LifecycleStageChanged')) await projectEvent(t.deps, e);

    const report = await dashboard(t.deps, { from: '2026-11-01', to: '2026-12-01' });
    assert.deepEqual(
      report.revenueBySource.map((r) => [r.source, r.revenue.byCurrency, r.revenue.dealsWon]),
      [
        ['g2.com', [{ currency: 'EUR', firstTouch: 0, lastTouch: 1200 }], { firstTouch: 0, lastTouch: 1 }],
        ['linkedin', [{ currency: 'EUR', firstTouch: 1200, lastTouch: 0 }], { firstTouch: 1, lastTouch: 0 }],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    assert.deepEqual(
      report.revenueByUtmCampaign.map((r) => r.campaign),
      ['spring-launch'],
    );
    const funnel = Object.fromEntries(report.funnel.map((f) => [f.stage, f.count]));
    assert.equal(funnel.customer, 1);
    assert.equal(funnel.lead, 0, 'moved on from lead');
    assert.equal(funnel.opportunity, 0, 'and from opportunity');

    // Reopened: what the win credited is taken back, once; won again, it is credited again.
    const reopened = await updateDeal(t.deps, deal.id, { stage: 'Open', version: deal.version + 1 });
    const moves = async () =>
      (await outbox('DealStageChanged')).filter(
        (e) => e.detailType === 'DealStageChanged' && e.detail.dealId === deal.id,
      );
    const back = (await moves()).find(
      (e) => e.detailType === 'DealStageChanged' && e.detail.toStage === 'Open',
    );
    assert.ok(back && back.detailType === 'DealStageChanged');
    assert.equal(await creditSources(t.deps, back), 'withdrawn');
    assert.equal(await creditSources(t.deps, back), 'duplicate', 'taken back once');
    await assert.rejects(dealAttribution(t.deps, deal.id), (e: DomainError) => e.kind === 'not_found');
    assert.deepEqual((await t.deps.store.listWonDeals({ limit: 10 })).items, []);
    const after = await dashboard(t.deps, { from: '2026-11-01', to: '2026-12-01' });
    assert.deepEqual(
      after.revenueBySource.flatMap((r) =>
        r.revenue.byCurrency.map((c) => [r.source, c.firstTouch, c.lastTouch]),
      ),
      after.revenueBySource.flatMap((r) => r.revenue.byCurrency.map(() => [r.source, 0, 0])),
      'no revenue left',
    );
    await updateDeal(t.deps, deal.id, { stage: 'Won', version: reopened.version });
    const again = (await moves()).filter(
      (e) => e.detailType === 'DealStageChanged' && e.detail.toStage === 'Won',
    );
    const rewon = again[again.length - 1];
    assert.ok(rewon && rewon.detailType === 'DealStageChanged');
    assert.equal(await creditSources(t.deps, rewon), 'credited');
    assert.equal((await dealAttribution(t.deps, deal.id)).amount, 1200);
  });
});
