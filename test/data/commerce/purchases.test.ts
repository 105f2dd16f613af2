/**
 * Purchases on DynamoDB Local: recorded once per (source, external id) — also when reported twice
 * at once — on the contact with that email (created when unknown, never overwritten), on its
 * timeline, as PurchaseMade, which enrolls into the workflows on purchases; bad amounts are refused
 * at their field with nothing written.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { enrollFromEvent, triggersOf } from '#automation/enrollment.js';
import { listPurchases, type NewPurchase, recordPurchase } from '#commerce/rules.js';
import * as contacts from '#contacts/rules.js';
import { createTemplate } from '#messaging/templates.js';
import { DomainError } from '#platform/errors.js';
import { parseEvent } from '#platform/events.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';
import { RecordingEngine, workflowKit } from '#test/support/workflows.js';

let t: TestTable;
let engine: RecordingEngine;
const order = (over: Partial<NewPurchase> = {}): NewPurchase => ({
  source: 'shop',
  externalId: 'ORD-1001',
  email: 'buyer@example.com',
  firstName: 'Grace',
  currency: 'EUR',
  items: [
    { name: 'Notebook', sku: 'NB-1', quantity: 2, unitPrice: 4.9 },
    { name: 'Pen', quantity: 1, unitPrice: 0.3 },
  ],
  ...over,
});
const rejects = async (p: Promise<unknown>, code: string, path?: string) => {
  await assert.rejects(p, (err: DomainError) => {
    assert.ok(err instanceof DomainError, String(err));
    assert.equal(err.code, code);
    if (path)
      assert.deepEqual(
        (err.details as Array<{ path: string }>).map((d) => d.path),
        [path],
      );
    return true;
  });
};
const purchaseEvents = async () => (await outboxEvents(t)).filter((e) => e.detailType === 'PurchaseMade');

before(async () => {
  t = await createTestTable();
  engine = new RecordingEngine();
});

describe('purchases', () => {
  it('records an order on a new contact, its timeline and one PurchaseMade, the total summed exactly', async () => {
    const { purchase, created } = await recordPurchase(t.deps, order());
    assert.equal(created, true);
    assert.equal(purchase.total, 10.1, '2 × 4.90 + 0.30, not 10.100000000000001');
    const contact = await contacts.getContact(t.deps, purchase.contactId);
    assert.deepEqual(
      [contact.email, contact.firstName, contact.source],
      ['buyer@example.com', 'Grace', 'purchase:shop'],
    );
    assert.deepEqual((await listPurchases(t.deps, contact.id, { limit: 10 })).items, [purchase]);
    const timeline = await contacts.listActivities(t.deps, contact.id, { limit: 10 });
    const entry = timeline.items.find((a) => a.type === 'purchase');
    assert.deepEqual([entry?.amount, entry?.currency, entry?.data?.purchaseId], [10.1, 'EUR', purchase.id]);
    const [event] = await purchaseEvents();
    assert.deepEqual(
      { ...event?.detail, eventId: undefined, occurredAt: undefined },
      {
        version: 1,
        eventId: undefined,
        occurredAt: undefined,
        purchaseId: purchase.id,
        contactId: contact.id,
        source: 'shop',
        total: 10.1,
        currency: 'EUR',
        created: true,
      },
    );
  });

  it('answers a repeated report with what was recorded, and refuses one with other contents', async () => {
    const before = await t.items();
    const again = await recordPurchase(t.deps, order());
    assert.equal(again.created, false);
    assert.equal((await purchaseEvents()).length, 1);
    await rejects(
      recordPurchase(t.deps, order({ items: [{ name: 'Pen', quantity: 9, unitPrice: 0.3 }] })),
      'purchase_conflict',
    );
    await rejects(recordPurchase(t.deps, order({ email: 'someone-else@example.com' })), 'purchase_conflict');
    await rejects(
      recordPurchase(t.deps, order({ purchasedAt: '2020-01-01T00:00:00Z' })),
      'purchase_conflict',
    );
    assert.deepEqual(await t.items(), before, 'nothing written');
  });

  it('records an order reported 20 times at once exactly once', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        recordPurchase(t.deps, order({ externalId: 'ORD-RACE', email: 'race@example.com' })),
      ),
    );
    assert.equal(results.filter((r) => r.created).length, 1);
    assert.equal(new Set(results.map((r) => r.purchase.id)).size, 1);
    const contactId = results[0]?.purchase.contactId ?? '';
    assert.equal((await listPurchases(t.deps, contactId, { limit: 10 })).items.length, 1);
    assert.equal((await purchaseEvents()).filter((e) => e.detail.contactId === contactId).length, 1);
  });

  it('adds to a known contact without overwriting it, newest purchase first', async () => {
    const known = await contacts.createContact(t.deps, { email: 'known@example.com', firstName: 'Ada' });
    await recordPurchase(
      t.deps,
      order({
        externalId: 'K-1',
        email: 'Known@Example.com',
        firstName: 'Nope',
        purchasedAt: '2026-01-01T10:00:00+01:00',
      }),
    );
    const { purchase } = await recordPurchase(
      t.deps,
      order({
        externalId: 'K-2',
        email: 'known@example.com',
        currency: 'JPY',
        items: [{ name: 'Tea', quantity: 3, unitPrice: 1200 }],
        total: 3600,
      }),
    );
    assert.equal(purchase.contactId, known.id);
    assert.equal((await contacts.getContact(t.deps, known.id)).firstName, 'Ada');
    const list = await listPurchases(t.deps, known.id, { limit: 10 });
    assert.deepEqual(
      list.items.map((p) => [p.externalId, p.total, p.currency]),
      [
        ['K-2', 3600, 'JPY'],
        ['K-1', 10.1, 'EUR'],
      ],
    );
    assert.equal(list.items[1]?.purchasedAt, '2026-01-01T09:00:00.000Z');
    const events = (await purchaseEvents()).filter((e) => e.detail.contactId === known.id);
    assert.deepEqual(
      events.map((e) => e.detail.created),
      [false, false],
    );
  });

  it('refuses amounts the currency cannot have, and a wrong total, at their field, writing nothing', async () => {
    const before = await t.items();
    await rejects(
      recordPurchase(t.deps, order({ externalId: 'B-1', total: 10 })),
      'validation_error',
      'total',
    );
    await rejects(
      recordPurchase(
        t.deps,
        order({ externalId: 'B-2', currency: 'JPY', items: [{ name: 'Tea', quantity: 1, unitPrice: 12.5 }] }),
      ),
      'validation_error',
      'items.0.unitPrice',
    );
    await rejects(
      recordPurchase(
        t.deps,
        order({ externalId: 'B-3', items: [{ name: 'x', quantity: 1, unitPrice: 1.005 }] }),
      ),
      'validation_error',
      'items.0.unitPrice',
    );
    await rejects(
      recordPurchase(
        t.deps,
        order({ externalId: 'B-4', items: [{ name: 'x', quantity: 100_000, unitPrice: 999_999_999.99 }] }),
      ),
      'validation_error',
      'items',
    );
    await rejects(
      recordPurchase(t.deps, order({ externalId: 'B-5', purchasedAt: '9999-12-31T23:59:59Z' })),
      'validation_error',
      'purchasedAt',
    );
    await rejects(
      recordPurchase(t.deps, order({ externalId: 'B-6', purchasedAt: '0000-01-01T00:00:00Z' })),
      'validation_error',
      'purchasedAt',
    );
    await rejects(listPurchases(t.deps, '01JAAAAAAAAAAAAAAAAAAAAAAA', { limit: 10 }), 'not_found');
    assert.deepEqual(await t.items(), before);
  });

  it('takes large prices to the cent, though floating point cannot scale them exactly', async () => {
    const { purchase } = await recordPurchase(
      t.deps,
      order({
        externalId: 'L-1',
        email: 'large@example.com',
        currency: 'USD',
        items: [
          { name: 'Plant', quantity: 1, unitPrice: 309_248_247.34 },
          { name: 'Fee', quantity: 1, unitPrice: 0.01 },
        ],
      }),
    );
    assert.equal(purchase.total, 309_248_247.35);
  });

  it('answers a retry of an order whose buyer was erased since with the recorded purchase', async () => {
    const first = await recordPurchase(t.deps, order({ externalId: 'E-1', email: 'erased@example.com' }));
    await contacts.deleteContact(t.deps, first.purchase.contactId);
    const again = await recordPurchase(t.deps, order({ externalId: 'E-1', email: 'erased@example.com' }));
    assert.deepEqual([again.created, again.purchase.id], [false, first.purchase.id]);
    await rejects(
      recordPurchase(
        t.deps,
        order({
          externalId: 'E-1',
          email: 'erased@example.com',
          items: [{ name: 'Pen', quantity: 2, unitPrice: 0.3 }],
        }),
      ),
      'purchase_conflict',
    );
    assert.equal(
      await t.deps.store.findContactIdByEmail('erased@example.com'),
      undefined,
      'no contact re-created',
    );
  });

  it('enrolls the buyer in the workflows on any purchase and on purchases from that source', async () => {
    const templateId = (
      await createTemplate(t.deps, {
        name: 'Thanks',
        subject: 'Thanks',
        html: '<p>Thanks</p><a href="{{ unsubscribeUrl }}">u</a>',
      })
    ).id;
    const kit = workflowKit(t, engine);
    const any = await kit.publishedWorkflow({
      name: 'Any buyer',
      trigger: { type: 'purchaseMade' },
      steps: [{ id: 'a', type: 'wait', duration: 'P1D' }],
    });
    const shop = await kit.publishedWorkflow({
      name: 'Shop buyer',
      trigger: { type: 'purchaseMade', source: 'shop' },
      steps: [{ id: 's', type: 'sendEmail', templateId }],
    });
    const billing = await kit.publishedWorkflow({
      name: 'Billing',
      trigger: { type: 'purchaseMade', source: 'billing' },
      steps: [{ id: 'b', type: 'wait', duration: 'P1D' }],
    });
    const { purchase } = await recordPurchase(
      t.deps,
      order({ externalId: 'W-1', email: 'flow@example.com' }),
    );
    const event = (await purchaseEvents()).find((e) => e.detail.purchaseId === purchase.id);
    assert.ok(event);
    const triggers = triggersOf(parseEvent('PurchaseMade', event.detail));
    assert.deepEqual(
      triggers.map((x) => x.triggerKey),
      ['purchase', 'purchase:shop'],
    );
    const enrolled = [];
    for (const trigger of triggers) enrolled.push(...(await enrollFromEvent(t.deps, engine, trigger)));
    assert.deepEqual(enrolled.map((e) => e.workflowId).sort(), [any.id, shop.id].sort());
    assert.ok(!enrolled.some((e) => e.workflowId === billing.id));
    assert.ok(enrolled.every((e) => e.contactId === purchase.contactId));
  });
});
