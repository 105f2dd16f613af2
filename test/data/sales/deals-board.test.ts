/**
 * The board's deal rules on DynamoDB Local: a lost reason (only in a lost stage, cleared on
 * reopening), deleting a deal (version guard, DealDeleted, its stage history taken back), editing
 * stages (rename, removal with the deals moved page by page, kinds kept, an interrupted edit
 * finished) and the deal list's filters and pages.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createContact } from '#contacts/rules.js';
import { DomainError } from '#platform/errors.js';
import { deleteDeal, listDeals } from '#sales/deals.js';
import { pipelineForecast } from '#sales/forecast.js';
import type { Deal, Pipeline } from '#sales/model.js';
import * as sales from '#sales/pipelines.js';
import { editStages, MIGRATION_PAGE } from '#sales/stage-editor.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';

const start = new Date('2026-11-01T00:00:00.000Z');
let now = start;
const later = (hours: number) => {
  now = new Date(now.getTime() + hours * 3_600_000);
};
let t: TestTable;

before(async () => {
  t = await createTestTable(() => now);
});

const code = (expected: string) => (err: unknown) => err instanceof DomainError && err.code === expected;
const STAGES = [
  { name: 'Lead', probability: 0.1 },
  { name: 'Proposal', probability: 0.5 },
  { name: 'Won', probability: 1 },
  { name: 'Lost', probability: 0 },
];
const newPipeline = (name: string) => sales.createPipeline(t.deps, { name, stages: STAGES });
const newDeal = (pipeline: Pipeline, title: string, extra: Partial<sales.NewDeal> = {}) =>
  sales.createDeal(t.deps, {
    title,
    amount: 100,
    currency: 'EUR',
    pipelineId: pipeline.id,
    stage: 'Lead',
    ...extra,
  });
const move = async (deal: Deal, stage: string, extra: Partial<sales.DealPatch> = {}) => {
  const current = await sales.getDeal(t.deps, deal.id);
  return sales.updateDeal(t.deps, deal.id, { version: current.version, stage, ...extra });
};
const board = async (pipeline: Pipeline) =>
  Object.fromEntries(
    (await sales.pipelineBoard(t.deps, pipeline.id)).stages.map((s) => [
      s.name,
      s.deals.map((d) => d.title).sort(),
    ]),
  );

describe('deals on the board', () => {
  it('takes a lost reason only in a lost stage, and drops it when the deal is reopened', async () => {
    const p = await newPipeline('Reasons');
    const deal = await newDeal(p, 'Acme');
    await assert.rejects(move(deal, 'Proposal', { lostReason: 'Too dear' }), code('not_lost'));
    await assert.rejects(newDeal(p, 'Other', { lostReason: 'Too dear' }), code('not_lost'));
    const lost = await move(deal, 'Lost', { lostReason: 'Too dear' });
    assert.equal(lost.lostReason, 'Too dear');
    assert.equal(lost.outcome, 'lost');
    // The reason is changed in place; a deal in a lost stage keeps it through other edits.
    const changed = await sales.updateDeal(t.deps, deal.id, {
      version: lost.version,
      lostReason: 'Budget cut',
    });
    assert.equal(changed.lostReason, 'Budget cut');
    const reopened = await move(deal, 'Proposal');
    assert.equal(reopened.lostReason, undefined);
    assert.equal(reopened.outcome, undefined);
  });

  it('takes a won reason only in a won stage, with the move in one update, and drops it out of a won stage', async () => {
    const p = await newPipeline('Won reasons');
    const deal = await newDeal(p, 'Initech');
    await assert.rejects(move(deal, 'Proposal', { wonReason: 'Best fit' }), code('not_won'));
    await assert.rejects(move(deal, 'Lost', { wonReason: 'Best fit' }), code('not_won'));
    await assert.rejects(newDeal(p, 'Other', { wonReason: 'Best fit' }), code('not_won'));
    // A lost reason is no won reason: refused in a won stage.
    await assert.rejects(move(deal, 'Won', { lostReason: 'Too dear' }), code('not_lost'));
    const unchanged = await sales.getDeal(t.deps, deal.id);
    assert.equal(unchanged.stage, 'Lead');
    assert.equal(unchanged.version, deal.version);
    const created = await newDeal(p, 'Born won', { stage: 'Won', wonReason: 'Referral' });
    assert.equal(created.wonReason, 'Referral');

    const won = await move(deal, 'Won', { wonReason: 'Best fit' });
    assert.equal(won.stage, 'Won');
    assert.equal(won.wonReason, 'Best fit');
    assert.equal(won.outcome, 'won');
    assert.equal(won.version, deal.version + 1);
    assert.equal((await sales.getDeal(t.deps, deal.id)).wonReason, 'Best fit');
    // Changed in place, then cleared with null.
    const changed = await sales.updateDeal(t.deps, deal.id, {
      version: won.version,
      wonReason: 'Fast rollout',
    });
    assert.equal(changed.wonReason, 'Fast rollout');
    const cleared = await sales.updateDeal(t.deps, deal.id, { version: changed.version, wonReason: null });
    assert.equal(cleared.wonReason, undefined);
    const again = await sales.updateDeal(t.deps, deal.id, { version: cleared.version, wonReason: 'Price' });
    // Lost after all: the won reason goes, the lost reason comes, in the same update.
    const lost = await move(deal, 'Lost', { lostReason: 'Cancelled' });
    assert.equal(again.wonReason, 'Price');
    assert.equal(lost.wonReason, undefined);
    assert.equal(lost.lostReason, 'Cancelled');
    const reopened = await move(deal, 'Proposal');
    assert.equal(reopened.wonReason, undefined);
    assert.equal(reopened.lostReason, undefined);
  });

  it('takes the contact by email, and refuses an unknown one', async () => {
    const p = await newPipeline('Contacts');
    const ada = await createContact(t.deps, { email: 'ada.deals@example.com', firstName: 'Ada' });
    const deal = await newDeal(p, 'With Ada', { contactEmail: 'Ada.Deals@example.com' });
    assert.equal(deal.contactId, ada.id);
    await assert.rejects(
      newDeal(p, 'Nobody', { contactEmail: 'nobody@example.com' }),
      code('invalid_reference'),
    );
    const b = await sales.pipelineBoard(t.deps, p.id);
    assert.deepEqual(b.contacts, [{ id: ada.id, email: 'ada.deals@example.com', name: 'Ada' }]);
  });

  it('deletes a deal at its version, with DealDeleted and its stage history taken back', async () => {
    const p = await newPipeline('Deletes');
    const keep = await newDeal(p, 'Keep');
    const gone = await newDeal(p, 'Gone', { amount: 250 });
    later(24);
    await move(keep, 'Proposal');
    await move(gone, 'Proposal');
    later(24);
    await move(gone, 'Won');
    const before = (await pipelineForecast(t.deps, p.id)).stages;
    assert.deepEqual(
      before.map((s) => [s.name, s.history.left, s.history.won]),
      [
        ['Lead', 2, 1],
        ['Proposal', 1, 1],
        ['Won', 0, 0],
        ['Lost', 0, 0],
      ],
    );
    const current = await sales.getDeal(t.deps, gone.id);
    await assert.rejects(deleteDeal(t.deps, gone.id, current.version - 1), code('version_conflict'));
    await deleteDeal(t.deps, gone.id, current.version);
    await assert.rejects(sales.getDeal(t.deps, gone.id), code('not_found'));
    await assert.rejects(deleteDeal(t.deps, gone.id, current.version), code('not_found'));
    const after = await pipelineForecast(t.deps, p.id);
    // As if it had never been: Keep alone left Lead, nothing closed.
    assert.deepEqual(
      after.stages.map((s) => [s.name, s.history.left, s.history.won, s.history.averageDays]),
      [
        ['Lead', 1, 0, 1],
        ['Proposal', 0, 0, undefined],
        ['Won', 0, 0, undefined],
        ['Lost', 0, 0, undefined],
      ],
    );
    assert.deepEqual(await board(p), { Lead: [], Proposal: ['Keep'], Won: [], Lost: [] });
    const deleted = (await outboxEvents(t)).filter((e) => e.detailType === 'DealDeleted');
    assert.deepEqual(
      deleted.map((e) => [e.detail.dealId, e.detail.previous]),
      [[gone.id, { stage: 'Won', amount: 250, currency: 'EUR' }]],
    );
  });

  it('renames a stage with its deals, history and the names in deals’ pasts', async () => {
    const p = await newPipeline('Rename');
    const a = await newDeal(p, 'A');
    const b = await newDeal(p, 'B');
    later(2);
    await move(a, 'Proposal');
    await assert.rejects(editStages(t.deps, p.id, { version: 2, stages: STAGES }), code('version_conflict'));
    const edited = await editStages(t.deps, p.id, {
      version: 1,
      stages: [
        { name: 'Prospect', probability: 0.2, previousName: 'Lead' },
        { name: 'Proposal', probability: 0.5 },
        { name: 'Won', probability: 1 },
        { name: 'Lost', probability: 0 },
      ],
    });
    assert.equal(edited.migrating, undefined);
    assert.equal(edited.version, 3);
    assert.deepEqual(await board(edited), { Prospect: ['B'], Proposal: ['A'], Won: [], Lost: [] });
    assert.deepEqual((await sales.getDeal(t.deps, a.id)).stagesLeft, [
      { stage: 'Prospect', ms: 2 * 3_600_000 },
    ]);
    const forecast = await pipelineForecast(t.deps, p.id);
    assert.equal(forecast.stages[0]?.name, 'Prospect');
    assert.equal(forecast.stages[0]?.history.left, 1);
    const renamed = (await outboxEvents(t)).filter(
      (e) => e.detailType === 'DealUpdated' && e.detail.pipelineId === p.id,
    );
    assert.deepEqual(
      renamed.map((e) => [
        e.detail.dealId,
        (e.detail.previous as Deal).stage,
        (e.detail.current as Deal).stage,
      ]),
      [[b.id, 'Lead', 'Prospect']],
    );
    // A stage may not take a name another stage had before the same edit.
    await assert.rejects(
      editStages(t.deps, p.id, {
        version: 3,
        stages: [
          { name: 'Proposal', probability: 0.2, previousName: 'Prospect' },
          { name: 'Offer', probability: 0.5, previousName: 'Proposal' },
          { name: 'Won', probability: 1 },
          { name: 'Lost', probability: 0 },
        ],
      }),
      code('validation_error'),
    );
  });

  it('removes a stage only with a stage of its kind for its deals, moved a page per transaction', async () => {
    const p = await newPipeline('Remove');
    const many = MIGRATION_PAGE + 5;
    for (let i = 0; i < many; i++) await newDeal(p, `D${String(i).padStart(2, '0')}`);
    const lost = await move(await newDeal(p, 'Lost one'), 'Lost', { lostReason: 'No budget' });
    const without = STAGES.filter((s) => s.name !== 'Lead');
    await assert.rejects(editStages(t.deps, p.id, { version: 1, stages: without }), (err) => {
      assert.ok(err instanceof DomainError && err.code === 'validation_error');
      assert.match(
        JSON.stringify(err.details),
        new RegExp(`Lead holds ${many} deals: choose the stage they move to`),
      );
      return true;
    });
    await assert.rejects(
      editStages(t.deps, p.id, { version: 1, stages: without, moves: [{ from: 'Lead', to: 'Won' }] }),
      code('validation_error'),
    );
    // A stage holding deals keeps its kind.
    await assert.rejects(
      editStages(t.deps, p.id, {
        version: 1,
        stages: STAGES.map((s) => (s.name === 'Lost' ? { ...s, probability: 0.3 } : s)),
      }),
      code('validation_error'),
    );
    const edited = await editStages(t.deps, p.id, {
      version: 1,
      stages: without,
      moves: [{ from: 'Lead', to: 'Proposal' }],
    });
    assert.deepEqual(
      edited.stages.map((s) => s.name),
      ['Proposal', 'Won', 'Lost'],
    );
    const after = await board(edited);
    assert.equal(after.Proposal?.length, many);
    assert.deepEqual(after.Lost, ['Lost one']);
    const names = new Set(edited.stages.map((s) => s.name));
    const all = await t.deps.store.listDealsOnBoard(p.id);
    assert.ok(all.every((d) => names.has(d.stage)));
    assert.equal((await sales.getDeal(t.deps, lost.id)).lostReason, 'No budget');
    const moved = (await outboxEvents(t)).filter(
      (e) =>
        e.detailType === 'DealStageChanged' &&
        e.detail.pipelineId === p.id &&
        e.detail.fromStage === 'Lead' &&
        e.detail.toStage === 'Proposal',
    );
    assert.equal(moved.length, many);
    // Each deal moved once (a page per transaction: no deal twice, none left out).
    assert.equal(new Set(moved.map((e) => e.detail.dealId)).size, many);
  });

  it('finishes an edit that was interrupted before its deals were moved', async () => {
    const p = await newPipeline('Interrupted');
    const deal = await newDeal(p, 'Stuck');
    // The pipeline saved with `migrating`, the deals not yet rewritten (a crash in between).
    const half: Pipeline = {
      ...p,
      stages: [{ name: 'Start', probability: 0.1 }, ...STAGES.slice(1)],
      version: 2,
      migrating: [{ from: 'Lead', to: 'Start', rename: true }],
    };
    await t.deps.store.commit([{ kind: 'putPipeline', pipeline: half, expectedVersion: 1 }]);
    // Read meanwhile, the deal is in the new stage already.
    assert.deepEqual((await board(half)).Start, ['Stuck']);
    assert.deepEqual(
      (await listDeals(t.deps, { pipelineId: p.id, stage: 'Start', limit: 10 })).items.map((d) => d.title),
      ['Stuck'],
    );
    // The next edit finishes it first (then its own version is the finished one's).
    await assert.rejects(
      editStages(t.deps, p.id, { version: 2, stages: half.stages }),
      code('version_conflict'),
    );
    assert.equal((await sales.getDeal(t.deps, deal.id)).stage, 'Start');
    assert.equal((await sales.getPipeline(t.deps, p.id)).migrating, undefined);
  });
});

describe('the deal list', () => {
  it('filters by pipeline, stage, owner and status, in pages', async () => {
    const p = await newPipeline('Listed');
    const other = await newPipeline('Other');
    for (let i = 0; i < 7; i++)
      await newDeal(p, `Sam ${i}`, { owner: 'sam-list', closeDate: `2027-01-0${i + 1}` });
    for (let i = 0; i < 5; i++) await newDeal(p, `Kim ${i}`, { owner: 'kim-list' });
    await newDeal(other, 'Sam other', { owner: 'sam-list', closeDate: '2026-12-24' });
    const won = await move(await newDeal(p, 'Sam won', { owner: 'sam-list' }), 'Won');
    await move(await newDeal(p, 'Kim lost', { owner: 'kim-list' }), 'Lost', { lostReason: 'Gone quiet' });

    // Without a pipeline: one status (open by default), one owner's by close date, in pages.
    const first = await listDeals(t.deps, { owner: 'sam-list', limit: 5 });
    assert.deepEqual(
      first.items.map((d) => d.title),
      ['Sam other', 'Sam 0', 'Sam 1', 'Sam 2', 'Sam 3'],
    );
    assert.ok(first.nextCursor);
    const second = await listDeals(t.deps, { owner: 'sam-list', limit: 5, cursor: first.nextCursor });
    assert.deepEqual(
      second.items.map((d) => d.title),
      ['Sam 4', 'Sam 5', 'Sam 6'],
    );
    assert.equal(second.nextCursor, undefined);
    assert.deepEqual(
      (await listDeals(t.deps, { owner: 'sam-list', status: 'won', limit: 5 })).items.map((d) => d.id),
      [won.id],
    );
    // With a pipeline: its deals, filtered by owner and status as they are read, in pages.
    const kim = await listDeals(t.deps, { pipelineId: p.id, owner: 'kim-list', limit: 4 });
    assert.equal(kim.items.length, 4);
    const kimRest = await listDeals(t.deps, {
      pipelineId: p.id,
      owner: 'kim-list',
      limit: 4,
      cursor: kim.nextCursor,
    });
    assert.deepEqual([...kim.items, ...kimRest.items].map((d) => d.title).sort(), [
      'Kim 0',
      'Kim 1',
      'Kim 2',
      'Kim 3',
      'Kim 4',
      'Kim lost',
    ]);
    const lost = await listDeals(t.deps, { pipelineId: p.id, status: 'lost', limit: 10 });
    assert.deepEqual(
      lost.items.map((d) => [d.title, d.lostReason]),
      [['Kim lost', 'Gone quiet']],
    );
    const inWon = await listDeals(t.deps, { pipelineId: p.id, stage: 'Won', limit: 10 });
    assert.deepEqual(
      inWon.items.map((d) => d.title),
      ['Sam won'],
    );
    await assert.rejects(listDeals(t.deps, { stage: 'Won', limit: 10 }), code('stage_needs_pipeline'));
    await assert.rejects(
      listDeals(t.deps, { pipelineId: p.id, stage: 'Nope', limit: 10 }),
      code('invalid_stage'),
    );
  });
});
