/**
 * Companies on DynamoDB Local: contacts joining by email domain when created (free mail never), the
 * contacts already there gathered when a company is created, by hand (a contact in at most one
 * company, moving between them, not brought back by its domain once taken out), a new email moving
 * it, erasure, a deleted company releasing its people, the 409 of a taken domain, the name-prefix
 * search paged A→Z, the company page (people, deals by contact, the rolled-up lifecycle stage) and a
 * redelivered event changing nothing.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { addContactToCompany, removeContactFromCompany } from '#companies/association.js';
import {
  companyView,
  contactCompany,
  createCompany,
  deleteCompany,
  listCompanies,
  updateCompany,
} from '#companies/companies.js';
import { onCompanyEvent } from '#companies/consumer.js';
import { createContact, deleteContact, updateContact } from '#contacts/rules.js';
import { DomainError } from '#platform/errors.js';
import { COMPANY_EVENTS } from '#platform/event-rules.js';
import { parseEvent } from '#platform/events.js';
import { createDeal, createPipeline } from '#sales/pipelines.js';
import { setStage } from '#scoring/scoring.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';

let t: TestTable;
const delivered = new Set<string>();
before(async () => {
  t = await createTestTable();
});

/** Delivers every event of the companies rule not delivered yet (as the bus would), `times` each. */
async function deliver(times = 1): Promise<string[]> {
  const outcomes: string[] = [];
  for (const e of await outboxEvents(t)) {
    const id = String(e.detail.eventId);
    if (delivered.has(id) || !(COMPANY_EVENTS['detail-type'] as readonly string[]).includes(e.detailType))
      continue;
    delivered.add(id);
    for (let i = 0; i < times; i++)
      outcomes.push(await onCompanyEvent(t.deps, parseEvent(e.detailType, e.detail)));
  }
  return outcomes;
}

const kindOf = (kind: string, code?: string) => (err: unknown) =>
  err instanceof DomainError && err.kind === kind && (code === undefined || err.code === code);
const companyOf = async (contactId: string) => (await contactCompany(t.deps, contactId)).company?.id;
const peopleOf = async (companyId: string) =>
  (await companyView(t.deps, companyId)).people.map((p) => p.email).sort();

describe('companies', () => {
  it('gather contacts by email domain: those created after, and those already there', async () => {
    const early = await createContact(t.deps, { email: 'early@acme.example', firstName: 'Early', tags: [] });
    const free = await createContact(t.deps, { email: 'someone@gmail.com', tags: [] });
    await deliver();
    const acme = await createCompany(t.deps, { name: 'Acme', domain: 'https://www.ACME.example/' });
    assert.equal(acme.domain, 'acme.example');
    await deliver();
    assert.equal(await companyOf(early.id), acme.id, 'the contact already there joined');
    const late = await createContact(t.deps, { email: 'late@acme.example', lastName: 'Late', tags: [] });
    // Twice: a redelivered event changes nothing.
    assert.deepEqual(await deliver(2), ['associated', 'associated']);
    assert.equal(await companyOf(late.id), acme.id);
    assert.deepEqual(await peopleOf(acme.id), ['early@acme.example', 'late@acme.example']);
    assert.equal((await contactCompany(t.deps, late.id)).via, 'domain');
    assert.equal(await companyOf(free.id), undefined, 'free mail joins nothing');
    const changes = (await outboxEvents(t)).filter((e) => e.detailType === 'ContactCompanyChanged');
    assert.equal(changes.length, 2, 'one ContactCompanyChanged per contact, none for the redelivery');
  });

  it('refuse a second company of one domain (409), a free-mail domain and no host name (400)', async () => {
    await assert.rejects(createCompany(t.deps, { name: 'Acme again', domain: 'acme.EXAMPLE' }), (err) => {
      assert.ok(kindOf('conflict', 'domain_taken')(err));
      assert.ok((err as DomainError).details && 'existingId' in (err as DomainError).details);
      return true;
    });
    await assert.rejects(
      createCompany(t.deps, { name: 'G', domain: 'gmail.com' }),
      kindOf('invalid', 'free_mail_domain'),
    );
    await assert.rejects(
      createCompany(t.deps, { name: 'X', domain: 'not a domain' }),
      kindOf('invalid', 'invalid_domain'),
    );
    const other = await createCompany(t.deps, { name: 'Other' });
    await assert.rejects(
      updateCompany(t.deps, other.id, { domain: 'acme.example' }, 1),
      kindOf('conflict', 'domain_taken'),
    );
    await assert.rejects(
      updateCompany(t.deps, other.id, { name: 'Stale' }, 7),
      kindOf('conflict', 'version_conflict'),
    );
  });

  it('take contacts by hand: one company each, moved between companies, not brought back by their domain', async () => {
    const globex = await createCompany(t.deps, { name: 'Globex', domain: 'globex.example' });
    const acme = (await listCompanies(t.deps, { limit: 10, q: 'acme' })).items[0];
    assert.ok(acme);
    const ada = await createContact(t.deps, { email: 'ada@acme.example', tags: [] });
    await deliver();
    assert.equal(await companyOf(ada.id), acme.id);
    await addContactToCompany(t.deps, globex.id, ada.id);
    assert.equal(await companyOf(ada.id), globex.id, 'moved');
    assert.equal((await contactCompany(t.deps, ada.id)).via, 'manual');
    assert.ok(!(await peopleOf(acme.id)).includes('ada@acme.example'), 'left its old company');
    assert.ok((await peopleOf(globex.id)).includes('ada@acme.example'));
    // Its email event again: a contact placed by hand stays.
    await onCompanyEvent(
      t.deps,
      parseEvent('ContactUpdated', {
        version: 1,
        eventId: 'E1',
        occurredAt: new Date().toISOString(),
        contactId: ada.id,
        changed: ['email'],
      }),
    );
    assert.equal(await companyOf(ada.id), globex.id);
    await removeContactFromCompany(t.deps, globex.id, ada.id);
    assert.equal(await companyOf(ada.id), undefined);
    await assert.rejects(removeContactFromCompany(t.deps, globex.id, ada.id), kindOf('not_found'));
    // Taken out of Globex by hand: a Globex email does not bring it back; an Acme one takes it there.
    const moved = await updateContact(t.deps, ada.id, { version: ada.version, email: 'ada@globex.example' });
    await deliver();
    assert.equal(
      await companyOf(ada.id),
      undefined,
      'taken out of Globex: its domain does not bring it back',
    );
    await updateContact(t.deps, ada.id, { version: moved.version, email: 'ada2@acme.example' });
    await deliver();
    assert.equal(await companyOf(ada.id), acme.id, 'a new email moves it to that domain’s company');
    await assert.rejects(
      addContactToCompany(t.deps, '01J00000000000000000000000', ada.id),
      kindOf('not_found'),
    );
  });

  it('forget an erased contact, and release the people of a deleted company', async () => {
    const initech = await createCompany(t.deps, { name: 'Initech', domain: 'initech.example' });
    const bob = await createContact(t.deps, { email: 'bob@initech.example', tags: [] });
    const sue = await createContact(t.deps, { email: 'sue@initech.example', tags: [] });
    await deliver();
    assert.deepEqual(await peopleOf(initech.id), ['bob@initech.example', 'sue@initech.example']);
    await deleteContact(t.deps, bob.id);
    await deliver();
    assert.deepEqual(await peopleOf(initech.id), ['sue@initech.example']);
    assert.ok(!(await t.items()).some((i) => String(i.PK) === `COMPANY_LINK#${bob.id}`), 'its link is gone');
    await deleteCompany(t.deps, initech.id);
    await deliver(2);
    assert.equal(await companyOf(sue.id), undefined);
    const left = (await t.items()).filter((i) => String(i.PK) === `COMPANY#${initech.id}`);
    assert.deepEqual(left, [], 'no person item is left behind');
    // Its domain is free again.
    const again = await createCompany(t.deps, { name: 'Initech 2', domain: 'initech.example' });
    await deliver();
    assert.equal(await companyOf(sue.id), again.id);
  });

  it('list by name A→Z and search by name prefix, page by page', async () => {
    for (const name of ['Zeta', 'Ålpha Labs', 'alpha beta', 'Alpine', 'Beta'])
      await createCompany(t.deps, { name });
    const first = await listCompanies(t.deps, { limit: 2, q: 'ALPHA' });
    assert.deepEqual(
      first.items.map((c) => c.name),
      ['alpha beta', 'Ålpha Labs'],
    );
    assert.ok(
      first.nextCursor === undefined ||
        (await listCompanies(t.deps, { limit: 2, q: 'alpha', cursor: first.nextCursor })).items.length === 0,
    );
    const alp = await listCompanies(t.deps, { limit: 2, q: 'alp' });
    assert.equal(alp.items.length, 2);
    assert.ok(alp.nextCursor);
    const rest = await listCompanies(t.deps, { limit: 2, q: 'alp', cursor: alp.nextCursor });
    assert.deepEqual(
      [...alp.items, ...rest.items].map((c) => c.name),
      ['alpha beta', 'Ålpha Labs', 'Alpine'],
    );
    const all: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listCompanies(t.deps, { limit: 3, cursor });
      all.push(...page.items.map((c) => c.name));
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(
      all,
      [...all].sort((a, b) => a.localeCompare(b, 'en', { sensitivity: 'base' })),
    );
    assert.ok(all.includes('Zeta') && all.includes('Acme'));
  });

  it('show the company page: people with names and stages, their deals, the most advanced stage', async () => {
    const hooli = await createCompany(t.deps, { name: 'Hooli', domain: 'hooli.example' });
    const gavin = await createContact(t.deps, { email: 'gavin@hooli.example', firstName: 'Gavin', tags: [] });
    const peter = await createContact(t.deps, { email: 'peter@hooli.example', tags: [] });
    const pipeline = await createPipeline(t.deps, {
      name: 'New business',
      stages: [
        { name: 'Lead', probability: 0.1 },
        { name: 'Won', probability: 1 },
      ],
    });
    const deal = await createDeal(t.deps, {
      title: 'Hooli XYZ',
      amount: 5000,
      currency: 'EUR',
      pipelineId: pipeline.id,
      stage: 'Lead',
      contactId: gavin.id,
    });
    await setStage(t.deps, gavin.id, { stage: 'sales_qualified_lead' });
    await setStage(t.deps, peter.id, { stage: 'lead' });
    await deliver();
    const view = await companyView(t.deps, hooli.id);
    assert.equal(view.stage, 'sales_qualified_lead');
    assert.deepEqual(
      view.people.map((p) => [p.email, p.firstName, p.stage]),
      [
        ['gavin@hooli.example', 'Gavin', 'sales_qualified_lead'],
        ['peter@hooli.example', undefined, 'lead'],
      ],
    );
    assert.deepEqual(
      view.deals.map((d) => [d.id, d.title, d.contactId]),
      [[deal.id, 'Hooli XYZ', gavin.id]],
    );
    assert.equal(view.morePeople, false);
  });

  it('change a domain: contacts of the old one leave, those of the new one join', async () => {
    const c = await createCompany(t.deps, { name: 'Umbrella', domain: 'umbrella.example' });
    const a = await createContact(t.deps, { email: 'a@umbrella.example', tags: [] });
    const b = await createContact(t.deps, { email: 'b@umbrella-corp.example', tags: [] });
    await deliver();
    assert.equal(await companyOf(a.id), c.id);
    assert.equal(await companyOf(b.id), undefined);
    await updateCompany(t.deps, c.id, { domain: 'umbrella-corp.example' }, c.version);
    await deliver();
    assert.equal(await companyOf(a.id), undefined);
    assert.equal(await companyOf(b.id), c.id);
  });
});
