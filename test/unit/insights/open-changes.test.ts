/**
 * The net-change rules of the point-in-time figures (insights/open-changes.ts): what each deal and
 * case event adds to the open pipeline per currency and to the open cases, by the day it occurred.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { counterDeltas } from '#insights/counters.js';
import { openCaseChange, openChangeDeltas, pipelineIdOf } from '#insights/open-changes.js';
import { type DetailType, type EventDetail, makeEvent } from '#platform/events.js';
import type { Pipeline } from '#sales/model.js';

const meta = { eventId: '01JF00000000000000000000AA', occurredAt: '2026-11-20T23:59:00.000Z' };
const ev = <T extends DetailType>(
  type: T,
  payload: Omit<EventDetail<T>, 'version' | 'eventId' | 'occurredAt'>,
) => makeEvent(type, payload, meta);
const pipeline: Pipeline = {
  id: 'p',
  name: 'Sales',
  stages: [
    { name: 'Lead', probability: 0.1 },
    { name: 'Proposal', probability: 0.6 },
    { name: 'Won', probability: 1 },
    { name: 'Lost', probability: 0 },
  ],
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};
const at = (stage: string, amount: number, currency = 'EUR') => ({ stage, amount, currency });
const moved = (from: ReturnType<typeof at>, to: ReturnType<typeof at>, p: Pipeline = pipeline) =>
  openChangeDeltas(
    ev('DealStageChanged', {
      dealId: 'd',
      pipelineId: 'p',
      fromStage: from.stage,
      toStage: to.stage,
      previous: from,
      current: to,
    }),
    p,
  );
const updated = (from: ReturnType<typeof at>, to: ReturnType<typeof at>, p: Pipeline = pipeline) =>
  openChangeDeltas(ev('DealUpdated', { dealId: 'd', pipelineId: 'p', previous: from, current: to }), p);
const deals = (currency: string, count: number, amount: number) => ({
  group: 'OPEN_CHANGES',
  bucket: `2026-11-20#deals#${currency}`,
  deltas: { count, amount },
});

describe('net changes of the open pipeline', () => {
  it('a deal created in an open stage adds it; in a won or lost stage, nothing', () => {
    const created = (stage: string) =>
      openChangeDeltas(
        ev('DealCreated', { dealId: 'd', pipelineId: 'p', current: at(stage, 1200) }),
        pipeline,
      );
    // Counted on the day it occurred (UTC), whatever day it is projected.
    assert.deepEqual(created('Lead'), [deals('EUR', 1, 1200)]);
    assert.deepEqual(created('Won'), []);
    assert.deepEqual(created('Lost'), []);
  });

  it('a new amount of an open deal moves the amount only; of a won or lost one, nothing', () => {
    assert.deepEqual(updated(at('Proposal', 100.1), at('Proposal', 250.35)), [deals('EUR', 0, 150.25)]);
    assert.deepEqual(updated(at('Proposal', 300), at('Proposal', 100)), [deals('EUR', 0, -200)]);
    assert.deepEqual(updated(at('Won', 300), at('Won', 900)), []);
    assert.deepEqual(updated(at('Lost', 300), at('Lost', 900)), []);
    // Only the contact changed: no net change at all.
    assert.deepEqual(updated(at('Lead', 300), at('Lead', 300)), []);
  });

  it('a new currency takes the deal out of its old currency and into the new one, never adding them', () => {
    assert.deepEqual(updated(at('Lead', 100, 'EUR'), at('Lead', 120, 'USD')), [
      deals('EUR', -1, -100),
      deals('USD', 1, 120),
    ]);
    // A won deal's currency is no open figure's.
    assert.deepEqual(updated(at('Won', 100, 'EUR'), at('Won', 120, 'USD')), []);
  });

  it('won or lost takes the deal out, reopened puts it back, a move between open stages changes nothing', () => {
    assert.deepEqual(moved(at('Proposal', 500), at('Won', 500)), [deals('EUR', -1, -500)]);
    assert.deepEqual(moved(at('Lead', 500), at('Lost', 500)), [deals('EUR', -1, -500)]);
    assert.deepEqual(moved(at('Won', 500), at('Proposal', 500)), [deals('EUR', 1, 500)]);
    assert.deepEqual(moved(at('Lost', 500), at('Lead', 500)), [deals('EUR', 1, 500)]);
    assert.deepEqual(moved(at('Lead', 500), at('Proposal', 500)), []);
    assert.deepEqual(moved(at('Won', 500), at('Lost', 500)), []);
    // Moved and repriced in one change: the difference.
    assert.deepEqual(moved(at('Lead', 500), at('Proposal', 650)), [deals('EUR', 0, 150)]);
    // Won at another price: the open pipeline loses what it held.
    assert.deepEqual(moved(at('Proposal', 500), at('Won', 650)), [deals('EUR', -1, -500)]);
  });

  it('a deleted open deal is taken out; a deleted won or lost one changes nothing', () => {
    const deleted = (stage: string) =>
      openChangeDeltas(
        ev('DealDeleted', { dealId: 'd', pipelineId: 'p', previous: at(stage, 75.5, 'GBP') }),
        pipeline,
      );
    assert.deepEqual(deleted('Proposal'), [deals('GBP', -1, -75.5)]);
    assert.deepEqual(deleted('Won'), []);
    assert.deepEqual(deleted('Lost'), []);
  });

  it('a renamed or removed stage (gone from the pipeline) had the kind of the stage its deals went to', () => {
    // The stage editor renamed Proposal to Offer (a DealUpdated per deal) and removed Lead (moved to Offer).
    const edited: Pipeline = {
      ...pipeline,
      stages: [
        { name: 'Offer', probability: 0.6 },
        { name: 'Won', probability: 1 },
        { name: 'Lost', probability: 0 },
      ],
    };
    assert.deepEqual(updated(at('Proposal', 500), at('Offer', 500), edited), []);
    assert.deepEqual(moved(at('Lead', 500), at('Offer', 500), edited), []);
    // A won deal of a renamed won stage stays out.
    assert.deepEqual(updated(at('Closed', 500), at('Won', 500), edited), []);
    // While the edit is still moving deals, the old name is read as the new one.
    const migrating: Pipeline = { ...edited, migrating: [{ from: 'Proposal', to: 'Offer', rename: true }] };
    assert.deepEqual(moved(at('Proposal', 500), at('Won', 500), migrating), [deals('EUR', -1, -500)]);
    // No pipeline to read: nothing is guessed.
    const created = ev('DealCreated', { dealId: 'd', pipelineId: 'gone', current: at('Lead', 500) });
    assert.deepEqual(openChangeDeltas(created, undefined), []);
  });

  it('is added to the event’s other counters, which stay as they were', () => {
    const event = ev('DealCreated', { dealId: 'd', pipelineId: 'p', current: at('Lead', 10) });
    assert.equal(pipelineIdOf(event), 'p');
    assert.deepEqual(counterDeltas(event), [
      { group: 'PIPELINE#p', bucket: 'Lead#EUR', deltas: { count: 1, amount: 10 } },
    ]);
    assert.equal(pipelineIdOf(ev('ContactCreated', { contactId: 'c' })), undefined);
  });
});

describe('net changes of the open cases', () => {
  const base = { caseId: 'k', contactId: 'c', priority: 'normal', openedAt: '2026-11-19T10:00:00.000Z' };
  const status = (from: string, to: string) => ev('CaseStatusChanged', { ...base, from, to });

  it('a case opened is one more; resolved or closed one fewer; reopened one more; between active statuses none', () => {
    assert.equal(openCaseChange(ev('CaseCreated', { ...base, channel: 'email' })), 1);
    assert.equal(openCaseChange(status('new', 'open')), 0);
    assert.equal(openCaseChange(status('open', 'pending')), 0);
    assert.equal(openCaseChange(status('open', 'resolved')), -1);
    assert.equal(openCaseChange(status('pending', 'closed')), -1);
    assert.equal(openCaseChange(status('new', 'closed')), -1);
    assert.equal(openCaseChange(status('resolved', 'open')), 1);
    assert.equal(openCaseChange(status('closed', 'open')), 1);
    assert.equal(openCaseChange(status('resolved', 'closed')), 0);
  });

  it('is counted on the day the change occurred; events that change nothing add no counter', () => {
    assert.deepEqual(openChangeDeltas(status('open', 'resolved'), undefined), [
      { group: 'OPEN_CHANGES', bucket: '2026-11-20#cases', deltas: { open: -1 } },
    ]);
    assert.deepEqual(openChangeDeltas(status('new', 'pending'), undefined), []);
    // Resolving is announced twice (CaseStatusChanged and CaseResolved): counted once, from the first.
    assert.deepEqual(openChangeDeltas(ev('CaseResolved', base), undefined), []);
    assert.deepEqual(
      openChangeDeltas(ev('CaseAssigned', { ...base, status: 'open', to: 'ada' }), undefined),
      [],
    );
  });
});
