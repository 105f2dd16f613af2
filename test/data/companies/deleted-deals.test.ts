/**
 * A deleted deal leaves nothing of itself with companies, on DynamoDB Local: the companies consumer,
 * given DealDeleted, removes the deal's company link (both sides: the deal's link and the company's
 * deal item) and the index item under its contact, once (a redelivery changes nothing); the company
 * page's deals and totals then count only the deals left. A DealCreated that comes after its deal was
 * deleted indexes nothing, and a link by hand to a deal deleted meanwhile is refused (404).
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { companyView, createCompany } from '#companies/companies.js';
import { linkDeal } from '#companies/company-deals.js';
import { onCompanyEvent } from '#companies/consumer.js';
import { createContact } from '#contacts/rules.js';
import { DomainError } from '#platform/errors.js';
import { COMPANY_EVENTS } from '#platform/event-rules.js';
import { type DomainEvent, parseEvent } from '#platform/events.js';
import { deleteDeal } from '#sales/deals.js';
import { createDeal, createPipeline } from '#sales/pipelines.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';

let t: TestTable;
const delivered = new Set<string>();
before(async () => {
  t = await createTestTable();
});

/** Gives the companies consumer the events of its rule not given yet; returns them. */
async function deliver(): Promise<DomainEvent[]> {
  const out: DomainEvent[] = [];
  for (const e of await outboxEvents(t)) {
    const id = String(e.detail.eventId);
    if (delivered.has(id) || !(COMPANY_EVENTS['detail-type'] as readonly string[]).includes(e.detailType))
      continue;
    delivered.add(id);
    const event = parseEvent(e.detailType, e.detail);
    await onCompanyEvent(t.deps, event);
    out.push(event);
  }
  return out;
}

const itemsUnder = async (pk: string, skPrefix: string) =>
  (await t.items()).filter((i) => String(i.PK) === pk && String(i.SK).startsWith(skPrefix));

async function pipeline() {
  return createPipeline(t.deps, {
    name: 'New business',
    stages: [
      { name: 'Lead', probability: 0.1 },
      { name: 'Won', probability: 1 },
    ],
  });
}

describe('a deleted deal and companies', () => {
  it('loses its company link and its contact index item, and leaves the company page', async () => {
    const acme = await createCompany(t.deps, { name: 'Acme gone deals', domain: 'gone-deals.example' });
    const ada = await createContact(t.deps, { email: 'ada@gone-deals.example', firstName: 'Ada', tags: [] });
    const p = await pipeline();
    const deal = (title: string, amount: number, contactId?: string) =>
      createDeal(t.deps, {
        title,
        amount,
        currency: 'EUR',
        pipelineId: p.id,
        stage: 'Lead',
        ...(contactId ? { contactId } : {}),
      });
    const kept = await deal('Kept', 100, ada.id);
    const byHand = await deal('By hand', 200);
    const both = await deal('Both', 400, ada.id);
    await deliver();
    await linkDeal(t.deps, acme.id, byHand.id);
    await linkDeal(t.deps, acme.id, both.id);
    await linkDeal(t.deps, acme.id, kept.id);
    let view = await companyView(t.deps, acme.id);
    assert.deepEqual(view.dealTotals, [{ currency: 'EUR', amount: 700, count: 3 }]);

    await deleteDeal(t.deps, byHand.id, byHand.version);
    await deleteDeal(t.deps, both.id, both.version);
    const events = await deliver();
    assert.deepEqual(
      events.map((e) => e.detailType),
      ['DealDeleted', 'DealDeleted'],
    );

    for (const gone of [byHand, both])
      assert.equal(await t.deps.store.getDealCompanyLink(gone.id), undefined, `${gone.title}: no link left`);
    assert.deepEqual(
      (await itemsUnder(`COMPANY#${acme.id}`, 'DEAL#')).map((i) => i.dealId),
      [kept.id],
      'the company keeps only the deal left',
    );
    assert.deepEqual(
      (await itemsUnder(`CONTACT#${ada.id}`, 'DEAL#')).map((i) => i.dealId),
      [kept.id],
      'the contact’s index keeps only the deal left',
    );
    view = await companyView(t.deps, acme.id);
    assert.deepEqual(
      view.deals.map((d) => [d.title, d.linked]),
      [['Kept', true]],
    );
    assert.deepEqual(view.dealTotals, [{ currency: 'EUR', amount: 100, count: 1 }]);

    // Redelivered: nothing left to do, nothing changes.
    const before = await t.items();
    for (const e of events) await onCompanyEvent(t.deps, e);
    assert.deepEqual(await t.items(), before);
  });

  it('indexes nothing for a DealCreated that comes after its deal was deleted', async () => {
    const bob = await createContact(t.deps, { email: 'bob@late-events.example', firstName: 'Bob', tags: [] });
    const p = await pipeline();
    const deal = await createDeal(t.deps, {
      title: 'Late',
      amount: 1,
      currency: 'USD',
      pipelineId: p.id,
      stage: 'Lead',
      contactId: bob.id,
    });
    await deleteDeal(t.deps, deal.id, deal.version);
    // The deletion first, then its creation: EventBridge does not keep the order.
    const all = (await outboxEvents(t)).filter((e) => e.detail.dealId === deal.id);
    const created = all.find((e) => e.detailType === 'DealCreated');
    const deleted = all.find((e) => e.detailType === 'DealDeleted');
    assert.ok(created && deleted);
    await onCompanyEvent(t.deps, parseEvent(deleted.detailType, deleted.detail));
    assert.equal(await onCompanyEvent(t.deps, parseEvent(created.detailType, created.detail)), 'ignored');
    assert.deepEqual(await itemsUnder(`CONTACT#${bob.id}`, 'DEAL#'), []);
  });

  it('refuses a link by hand to a deal deleted while it was being linked', async () => {
    const initech = await createCompany(t.deps, { name: 'Initech race' });
    const p = await pipeline();
    const deal = await createDeal(t.deps, {
      title: 'Raced',
      amount: 1,
      currency: 'USD',
      pipelineId: p.id,
      stage: 'Lead',
    });
    // The link reads the deal, then the deal is deleted before the link commits.
    let reads = 0;
    const store = Object.create(t.deps.store) as typeof t.deps.store;
    store.getDeal = async (id) => {
      const found = await t.deps.store.getDeal(id);
      if (reads++ === 0) await deleteDeal(t.deps, deal.id, deal.version);
      return found;
    };
    await assert.rejects(
      linkDeal({ ...t.deps, store }, initech.id, deal.id),
      (err) => err instanceof DomainError && err.kind === 'not_found',
    );
    assert.equal(await t.deps.store.getDealCompanyLink(deal.id), undefined);
    assert.deepEqual(await itemsUnder(`COMPANY#${initech.id}`, 'DEAL#'), []);
  });
});
