/**
 * Deals linked to companies and the company timeline on DynamoDB Local: a deal linked by hand (once:
 * linking it again writes nothing), moved to another company, unlinked (404 when not linked there),
 * 404s for unknown ids; the company page lists linked deals and its people's deals each once, with
 * totals per currency; the timeline records created, edited, a person joining and leaving, deals
 * linked and unlinked and notes, newest first, with names.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { addContactToCompany, removeContactFromCompany } from '#companies/association.js';
import { companyView, createCompany, deleteCompany, updateCompany } from '#companies/companies.js';
import { linkDeal, totalsOf, unlinkDeal } from '#companies/company-deals.js';
import { onCompanyEvent } from '#companies/consumer.js';
import { addCompanyNote, companyTimeline } from '#companies/timeline.js';
import { createContact } from '#contacts/rules.js';
import { DomainError } from '#platform/errors.js';
import { COMPANY_EVENTS } from '#platform/event-rules.js';
import { parseEvent } from '#platform/events.js';
import { createDeal, createPipeline } from '#sales/pipelines.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';

let t: TestTable;
const delivered = new Set<string>();
before(async () => {
  t = await createTestTable();
});

async function deliver() {
  for (const e of await outboxEvents(t)) {
    const id = String(e.detail.eventId);
    if (delivered.has(id) || !(COMPANY_EVENTS['detail-type'] as readonly string[]).includes(e.detailType))
      continue;
    delivered.add(id);
    await onCompanyEvent(t.deps, parseEvent(e.detailType, e.detail));
  }
}

const notFound = (err: unknown) => err instanceof DomainError && err.kind === 'not_found';
const UNKNOWN = '01J00000000000000000000000';
const dealChanges = async () =>
  (await outboxEvents(t)).filter((e) => e.detailType === 'DealCompanyChanged').map((e) => e.detail);

async function pipeline() {
  return createPipeline(t.deps, {
    name: 'New business',
    stages: [
      { name: 'Lead', probability: 0.1 },
      { name: 'Won', probability: 1 },
    ],
  });
}

describe('company deals', () => {
  it('link a deal by hand once, move it to another company, unlink it; 404 for unknown ids', async () => {
    const initech = await createCompany(t.deps, { name: 'Initech' });
    const initrode = await createCompany(t.deps, { name: 'Initrode' });
    const p = await pipeline();
    const deal = await createDeal(t.deps, {
      title: 'TPS reports',
      amount: 900,
      currency: 'USD',
      pipelineId: p.id,
      stage: 'Lead',
    });
    await linkDeal(t.deps, initech.id, deal.id);
    await linkDeal(t.deps, initech.id, deal.id);
    assert.equal((await dealChanges()).length, 1, 'linking again writes nothing');
    let view = await companyView(t.deps, initech.id);
    assert.deepEqual(
      view.deals.map((d) => [d.title, d.linked, d.amount, d.currency]),
      [['TPS reports', true, 900, 'USD']],
    );

    await linkDeal(t.deps, initrode.id, deal.id);
    assert.deepEqual((await companyView(t.deps, initech.id)).deals, [], 'a deal has at most one company');
    assert.deepEqual(
      (await companyView(t.deps, initrode.id)).deals.map((d) => d.id),
      [deal.id],
    );
    const moved = (await dealChanges()).at(-1);
    assert.equal(moved?.companyId, initrode.id);
    assert.equal(moved?.previousCompanyId, initech.id);

    await assert.rejects(unlinkDeal(t.deps, initech.id, deal.id), notFound, 'not linked there');
    await assert.rejects(linkDeal(t.deps, UNKNOWN, deal.id), notFound, 'unknown company');
    await assert.rejects(linkDeal(t.deps, initech.id, UNKNOWN), notFound, 'unknown deal');
    await unlinkDeal(t.deps, initrode.id, deal.id);
    view = await companyView(t.deps, initrode.id);
    assert.deepEqual(view.deals, []);
    await assert.rejects(unlinkDeal(t.deps, initrode.id, deal.id), notFound, 'unlinked already');
  });

  it('show linked deals and the people’s deals each once, with totals per currency', async () => {
    const acme = await createCompany(t.deps, { name: 'Acme deals', domain: 'acme-deals.example' });
    const ada = await createContact(t.deps, { email: 'ada@acme-deals.example', firstName: 'Ada', tags: [] });
    const p = await pipeline();
    const hers = await createDeal(t.deps, {
      title: 'Engines',
      amount: 1000,
      currency: 'EUR',
      pipelineId: p.id,
      stage: 'Lead',
      contactId: ada.id,
    });
    const both = await createDeal(t.deps, {
      title: 'Analytical',
      amount: 2500,
      currency: 'EUR',
      pipelineId: p.id,
      stage: 'Lead',
      contactId: ada.id,
    });
    const direct = await createDeal(t.deps, {
      title: 'Cards',
      amount: 300,
      currency: 'GBP',
      pipelineId: p.id,
      stage: 'Won',
    });
    await deliver();
    await linkDeal(t.deps, acme.id, both.id);
    await linkDeal(t.deps, acme.id, direct.id);
    const view = await companyView(t.deps, acme.id);
    const ids = view.deals.map((d) => d.id);
    assert.equal(new Set(ids).size, ids.length, 'no deal twice');
    assert.deepEqual([...ids].sort(), [hers.id, both.id, direct.id].sort());
    assert.equal(view.deals.find((d) => d.id === both.id)?.linked, true);
    assert.equal(view.deals.find((d) => d.id === hers.id)?.linked, false);
    assert.deepEqual(view.dealTotals, [
      { currency: 'EUR', amount: 3500, count: 2 },
      { currency: 'GBP', amount: 300, count: 1 },
    ]);
  });

  it('a deleted company lets go of its deals and its timeline', async () => {
    const gone = await createCompany(t.deps, { name: 'Gone soon' });
    const p = await pipeline();
    const deal = await createDeal(t.deps, {
      title: 'Last',
      amount: 1,
      currency: 'USD',
      pipelineId: p.id,
      stage: 'Lead',
    });
    await linkDeal(t.deps, gone.id, deal.id);
    await addCompanyNote(t.deps, gone.id, 'So long.');
    await deleteCompany(t.deps, gone.id);
    await deliver();
    assert.equal(await t.deps.store.getDealCompanyLink(deal.id), undefined, 'the deal has no company');
    const left = (await t.items()).filter((i) => String(i.PK) === `COMPANY#${gone.id}`);
    assert.deepEqual(left, [], 'nothing left in its partition');
    const other = await createCompany(t.deps, { name: 'Next home' });
    await linkDeal(t.deps, other.id, deal.id);
    assert.deepEqual(
      (await companyView(t.deps, other.id)).deals.map((d) => d.id),
      [deal.id],
    );
  });

  it('totals never add currencies together', () => {
    assert.deepEqual(
      totalsOf([
        { amount: 1, currency: 'USD' },
        { amount: 2, currency: 'EUR' },
        { amount: 3, currency: 'USD' },
      ]),
      [
        { currency: 'EUR', amount: 2, count: 1 },
        { currency: 'USD', amount: 4, count: 2 },
      ],
    );
  });
});

describe('company timeline', () => {
  it('records its events and notes, newest first, with names', async () => {
    let clock = Date.parse('2026-03-01T09:00:00Z');
    const tt = await createTestTable(() => {
      clock += 60_000;
      return new Date(clock);
    });
    const deps = tt.deps;
    const globex = await createCompany(deps, { name: 'Globex' });
    await updateCompany(deps, globex.id, { industry: 'Energy' }, globex.version);
    const hank = await createContact(deps, { email: 'hank@gmail.com', firstName: 'Hank', tags: [] });
    await addContactToCompany(deps, globex.id, hank.id);
    const p = await createPipeline(deps, { name: 'P', stages: [{ name: 'Lead', probability: 0.1 }] });
    const deal = await createDeal(deps, {
      title: 'Doomsday device',
      amount: 1,
      currency: 'USD',
      pipelineId: p.id,
      stage: 'Lead',
    });
    await linkDeal(deps, globex.id, deal.id);
    await addCompanyNote(deps, globex.id, 'Met Hank at the conference.');
    await unlinkDeal(deps, globex.id, deal.id);
    await removeContactFromCompany(deps, globex.id, hank.id);

    const page = await companyTimeline(deps, globex.id, { limit: 50 });
    assert.deepEqual(
      page.items.map((e) => [e.type, e.name ?? e.body ?? e.changed?.join(',')]),
      [
        ['person_left', 'Hank'],
        ['deal_unlinked', 'Doomsday device'],
        ['note', 'Met Hank at the conference.'],
        ['deal_linked', 'Doomsday device'],
        ['person_joined', 'Hank'],
        ['edited', 'industry'],
        ['created', undefined],
      ],
    );
    assert.equal(page.items.find((e) => e.type === 'person_joined')?.via, 'manual');
    const first = await companyTimeline(deps, globex.id, { limit: 3 });
    assert.equal(first.items.length, 3);
    assert.ok(first.nextCursor, 'pages');
    const rest = await companyTimeline(deps, globex.id, { limit: 10, cursor: first.nextCursor });
    assert.equal(rest.items[0]?.type, 'deal_linked');
    await assert.rejects(companyTimeline(deps, UNKNOWN, { limit: 10 }), notFound);
    await assert.rejects(addCompanyNote(deps, UNKNOWN, 'x'), notFound);
  });
});
