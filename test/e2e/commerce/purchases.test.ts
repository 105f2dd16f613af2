/**
 * A shop reports its orders to the local CRM over HTTP: the buyer becomes a contact, the order is on
 * the contact, a workflow on purchases from that shop emails a thank-you (the SES outbox), and the
 * shop's retry of the same order records nothing more; a report with other contents is a 409.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  adminClient,
  eventually,
  idle,
  type LocalServer,
  outbox,
  startLocalServer,
} from '#test/support/local-server.js';

let server: LocalServer;

before(async () => {
  server = await startLocalServer(mkdtempSync(join(tmpdir(), 'tendril-purchases-')));
});
after(async () => {
  await server?.stop();
});

const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);
const order = {
  source: 'shop',
  externalId: 'SHOP-7781',
  email: 'Buyer@Example.com',
  firstName: 'Lin',
  currency: 'EUR',
  items: [{ name: 'Starter kit', sku: 'SK-1', quantity: 1, unitPrice: 49 }],
};

describe('purchases from another system', () => {
  it('records the order once, on the buyer, and thanks them through a workflow on purchases', async () => {
    const template = await api('POST', '/v1/templates', {
      name: 'Thanks',
      subject: 'Thanks for your order, {{ contact.firstName }}',
      html: '<p>Thanks!</p><a href="{{ unsubscribeUrl }}">Unsubscribe</a>',
    });
    assert.equal(template.status, 201, JSON.stringify(template.json));
    const wf = await api('POST', '/v1/workflows', {
      name: 'Shop buyers',
      trigger: { type: 'purchaseMade', source: 'shop' },
      steps: [{ id: 'thanks', type: 'sendEmail', templateId: template.json.id }],
    });
    assert.equal(wf.status, 201, JSON.stringify(wf.json));
    assert.equal((await api('POST', `/v1/workflows/${wf.json.id}/publish`)).status, 200);

    const first = await api('POST', '/v1/purchases', order);
    assert.equal(first.status, 201, JSON.stringify(first.json));
    assert.equal(first.json.total, 49);
    const mail = await eventually(async () => {
      const sent = await outbox(server, 'buyer@example.com');
      return sent.length > 0 ? sent : undefined;
    }, 30_000);
    assert.equal(mail[0]?.subject, 'Thanks for your order, Lin');

    // The shop retries (its response was lost): the same order, nothing new.
    const retry = await api('POST', '/v1/purchases', order);
    assert.equal(retry.status, 200);
    assert.equal(retry.json.id, first.json.id);
    const changed = await api('POST', '/v1/purchases', {
      ...order,
      items: [{ ...order.items[0], quantity: 2 }],
    });
    assert.equal(changed.status, 409);
    assert.equal(changed.json.error.code, 'purchase_conflict');
    const wrongTotal = await api('POST', '/v1/purchases', { ...order, externalId: 'SHOP-7782', total: 50 });
    assert.equal(wrongTotal.status, 400);
    assert.equal(wrongTotal.json.error.details[0].path, 'total');
    await idle(server);
    assert.equal((await outbox(server, 'buyer@example.com')).length, 1, 'thanked once');

    const purchases = await api('GET', `/v1/contacts/${first.json.contactId}/purchases`);
    assert.equal(purchases.status, 200);
    assert.deepEqual(
      purchases.json.items.map((p: { externalId: string }) => p.externalId),
      ['SHOP-7781'],
    );
    const timeline = await api('GET', `/v1/contacts/${first.json.contactId}/activities`);
    assert.ok(
      timeline.json.items.some(
        (a: { type: string; amount?: number }) => a.type === 'purchase' && a.amount === 49,
      ),
    );
  });

  it('lets a shop with a scoped API key report an order, which starts the workflow; nothing else', async () => {
    const created = await api('POST', '/v1/api-keys', { name: 'Shop', scopes: ['purchases:write'] });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const { key } = created.json as { key: string };
    // The same JSON client, with the key as its bearer token.
    const asShop = adminClient({ ...server, token: key });
    const sale = await asShop('POST', '/v1/purchases', {
      ...order,
      externalId: 'SHOP-9000',
      email: 'machine@example.com',
    });
    assert.equal(sale.status, 201, JSON.stringify(sale.json));
    const mail = await eventually(async () => {
      const sent = await outbox(server, 'machine@example.com');
      return sent.length > 0 ? sent : undefined;
    }, 30_000);
    assert.equal(mail.length, 1);
    // Its scope is purchases:write only: no reading contacts or purchases (the route refuses it,
    // 403), no admin-only routes (their authorizer takes users' tokens only, 401).
    const reading = await asShop('GET', `/v1/contacts/${sale.json.contactId}`);
    assert.deepEqual([reading.status, reading.json.error.code], [403, 'insufficient_scope']);
    assert.equal((await asShop('GET', `/v1/contacts/${sale.json.contactId}/purchases`)).status, 403);
    assert.equal((await asShop('GET', '/v1/api-keys')).status, 401);
    const listed = await api('GET', '/v1/api-keys');
    assert.ok(listed.json.items[0].lastUsedAt, 'its last use is shown');
    assert.equal(JSON.stringify(listed.json).includes(key), false);
    assert.equal((await api('POST', `/v1/api-keys/${created.json.apiKey.id}/revoke`)).status, 200);
    // Refused by the authorizer (API Gateway's 403), so nothing is recorded.
    const refused = await asShop('POST', '/v1/purchases', { ...order, externalId: 'SHOP-9001' });
    assert.equal(refused.status, 403);
    const theirs = await api('GET', `/v1/contacts/${sale.json.contactId}/purchases`);
    assert.deepEqual(
      theirs.json.items.map((p: { externalId: string }) => p.externalId),
      ['SHOP-9000'],
    );
  });
});
