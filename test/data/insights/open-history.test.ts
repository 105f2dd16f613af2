/**
 * The history of the point-in-time figures on DynamoDB Local: deals and cases changed day by day
 * through the real use cases (created, repriced, a new currency, won, reopened, lost, deleted, a
 * stage renamed and one removed; cases opened, resolved, reopened, closed, made pending), their
 * outbox events projected (one late, one twice: counted once), then the dashboard's open pipeline
 * per currency and open cases at the end of each past day, and at the ends of both periods.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { projectEvent } from '#insights/counters.js';
import { dashboard } from '#insights/dashboard.js';
import { parseEvent } from '#platform/events.js';
import { deleteDeal } from '#sales/deals.js';
import { createDeal, createPipeline, getDeal, updateDeal } from '#sales/pipelines.js';
import { editStages } from '#sales/stage-editor.js';
import { type Opening, openCase, updateCase } from '#service/cases.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';

let t: TestTable;
let now = new Date('2026-06-01T09:00:00.000Z');
const on = (day: string, time = '09:00:00') => {
  now = new Date(`${day}T${time}.000Z`);
};
before(async () => {
  t = await createTestTable(() => now);
});

/** Projects the outbox's events not projected yet (except those held back), in order. */
const projected = new Set<string>();
async function project(holdBack: (e: { detailType: string; eventId: string }) => boolean = () => false) {
  const outcomes: string[] = [];
  for (const e of await outboxEvents(t)) {
    const eventId = String(e.detail.eventId);
    if (projected.has(eventId) || holdBack({ detailType: e.detailType, eventId })) continue;
    projected.add(eventId);
    outcomes.push(await projectEvent(t.deps, parseEvent(e.detailType, e.detail)));
  }
  return outcomes;
}
const opening = (email: string): Opening => ({
  subject: 'Help',
  email,
  priority: 'normal',
  channel: 'api',
  tags: [],
  message: { kind: 'inbound', from: email, text: 'Please help.', attachments: [] },
});
const patchDeal = async (id: string, patch: Record<string, unknown>) =>
  updateDeal(t.deps, id, { version: (await getDeal(t.deps, id)).version, ...patch });

describe('the open pipeline and open cases at the end of past days', () => {
  it('are counted back from now by the net changes of each day, each event once', async () => {
    // June 1: counting begins with the first change projected.
    const pipeline = await createPipeline(t.deps, {
      name: 'Sales',
      stages: [
        { name: 'Lead', probability: 0.2 },
        { name: 'Proposal', probability: 0.5 },
        { name: 'Won', probability: 1 },
        { name: 'Lost', probability: 0 },
      ],
    });
    const deal = (title: string, amount: number, currency: string, stage: string) =>
      createDeal(t.deps, { title, amount, currency, pipelineId: pipeline.id, stage });
    const a = await deal('Acme', 1000, 'EUR', 'Lead');
    const b = await deal('Globex', 500, 'USD', 'Proposal');
    const k1 = await openCase(t.deps, opening('ines@example.com'));
    const k2 = await openCase(t.deps, opening('omar@example.com'));
    await project();
    // End of June 1: EUR 1 / 1,000 · USD 1 / 500 · 2 cases.

    on('2026-06-03');
    await patchDeal(a.id, { amount: 1200 });
    await patchDeal(b.id, { currency: 'EUR', amount: 450 });
    await updateCase(t.deps, k1.id, { status: 'resolved' });
    // Globex's new currency is delivered late (after June 5's events).
    const late = (await outboxEvents(t)).find(
      (e) =>
        e.detailType === 'DealUpdated' &&
        (e.detail.current as { currency: string }).currency === 'EUR' &&
        e.detail.dealId === b.id,
    );
    assert.ok(late);
    await project((e) => e.eventId === late.detail.eventId);
    // End of June 3: EUR 2 / 1,650 · USD 0 · 1 case.

    on('2026-06-05');
    await patchDeal(a.id, { stage: 'Won' });
    const c = await deal('Initech', 300, 'EUR', 'Lead');
    const k3 = await openCase(t.deps, opening('lin@example.com'));
    await updateCase(t.deps, k1.id, { status: 'open' });
    await project((e) => e.eventId === late.detail.eventId);
    assert.deepEqual(await project(), ['applied']);
    // End of June 5: EUR 2 / 750 · 3 cases.

    on('2026-06-06');
    // Proposal renamed Offer (Globex is in it), Lead removed (Initech moved to Offer): no net change.
    await editStages(t.deps, pipeline.id, {
      version: 1,
      stages: [
        { name: 'Offer', probability: 0.5, previousName: 'Proposal' },
        { name: 'Won', probability: 1 },
        { name: 'Lost', probability: 0 },
      ],
      moves: [{ from: 'Lead', to: 'Offer' }],
    });
    await project();

    on('2026-06-07');
    await patchDeal(a.id, { stage: 'Offer' }); // reopened
    await patchDeal(b.id, { stage: 'Lost' });
    await updateCase(t.deps, k2.id, { status: 'closed' });
    await deleteDeal(t.deps, c.id, (await getDeal(t.deps, c.id)).version);
    await project();
    // End of June 7: EUR 1 / 1,200 · 2 cases.

    on('2026-06-08');
    const d = await deal('Umbrella', 99.99, 'GBP', 'Offer');
    await deleteDeal(t.deps, d.id, d.version);
    await updateCase(t.deps, k3.id, { status: 'pending' });
    await patchDeal(a.id, { amount: 1000 });
    await project();
    // Redelivered: counted once.
    const repriced = (await outboxEvents(t)).filter((e) => e.detailType === 'DealUpdated').at(-1);
    assert.ok(repriced);
    assert.equal(await projectEvent(t.deps, parseEvent(repriced.detailType, repriced.detail)), 'duplicate');
    // End of June 8 (and 9): EUR 1 / 1,000 · 2 cases.

    on('2026-06-09', '18:00:00');
    const board = await dashboard(t.deps, { from: '2026-06-04', to: '2026-06-09' });
    // Now, from the gauges: the history ends there.
    assert.deepEqual(board.kpis.openPipeline, [{ currency: 'EUR', count: 1, amount: 1000, weighted: 500 }]);
    assert.equal(board.kpis.cases.open, 2);
    const h = board.pointInTime;
    assert.equal(h.since, '2026-06-01');
    // Compared with the end of the previous period (June 3); never added across currencies.
    assert.deepEqual(h.openPipeline, [
      { currency: 'EUR', count: { current: 1, previous: 2 }, amount: { current: 1000, previous: 1650 } },
    ]);
    assert.deepEqual(h.openCases, { current: 2, previous: 1 });
    assert.deepEqual(
      h.byDay.map((x) => [
        x.date,
        x.openCases,
        x.openPipeline?.map((p) => `${p.currency} ${p.count} ${p.amount}`),
      ]),
      [
        ['2026-06-04', 1, ['EUR 2 1650']],
        ['2026-06-05', 3, ['EUR 2 750']],
        ['2026-06-06', 3, ['EUR 2 750']],
        ['2026-06-07', 2, ['EUR 1 1200']],
        ['2026-06-08', 2, ['EUR 1 1000']],
        ['2026-06-09', 2, ['EUR 1 1000']],
      ],
    );

    // From the first day: its end is known, the previous period's is not (no change is given).
    const all = (await dashboard(t.deps, { from: '2026-06-01', to: '2026-06-09' })).pointInTime;
    assert.deepEqual(all.openCases, { current: 2 });
    assert.deepEqual(all.openPipeline, [
      { currency: 'EUR', count: { current: 1 }, amount: { current: 1000 } },
      { currency: 'USD', count: { current: 0 }, amount: { current: 0 } },
    ]);
    assert.deepEqual(
      all.byDay
        .slice(0, 3)
        .map((x) => [
          x.date,
          x.openCases,
          x.openPipeline?.map((p) => `${p.currency} ${p.count} ${p.amount}`),
        ]),
      [
        ['2026-06-01', 2, ['EUR 1 1000', 'USD 1 500']],
        ['2026-06-02', 2, ['EUR 1 1000', 'USD 1 500']],
        ['2026-06-03', 1, ['EUR 2 1650', 'USD 0 0']],
      ],
    );

    // A past range: its end is counted back; before counting began nothing is known.
    const past = (await dashboard(t.deps, { from: '2026-06-02', to: '2026-06-05' })).pointInTime;
    assert.deepEqual(past.openCases, { current: 3, previous: 2 });
    assert.deepEqual(past.openPipeline.find((p) => p.currency === 'EUR')?.amount, {
      current: 750,
      previous: 1000,
    });
    const before = (await dashboard(t.deps, { from: '2026-05-01', to: '2026-05-31' })).pointInTime;
    assert.equal(before.since, '2026-06-01');
    assert.deepEqual(before.openCases, {});
    assert.deepEqual(before.openPipeline, []);
    assert.equal(
      before.byDay.every((x) => x.openCases === null && x.openPipeline === null),
      true,
    );
  });
});
