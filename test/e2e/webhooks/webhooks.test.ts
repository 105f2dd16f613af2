/**
 * Webhooks against `npm start`, delivered to a receiver on 127.0.0.1: a contact created over the API
 * arrives as a signed ContactCreated POST; a receiver failing once gets the event again later (the
 * log shows both attempts), also across a kill -9 and a restart in between; a test ping and a manual
 * redelivery reach it; bad subscriptions are refused at their field with nothing written.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { adminClient, eventually, type LocalServer, startLocalServer } from '#test/support/local-server.js';
import { type Received, startReceiver } from '#test/support/webhook-receiver.js';
import { verifySignature } from '#webhooks/delivery.js';

let server: LocalServer;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let receiverUrl = '';
let received: Received[] = [];
/** Status to answer next for an event type (then 200). */
const failNext = new Map<string, number>();
const dataDir = mkdtempSync(join(tmpdir(), 'tendril-webhooks-'));
// Retry pauses (30 s and up) pass 30 times faster.
const env = { TENDRIL_TIME_SCALE: '30' };

before(async () => {
  receiver = await startReceiver();
  receiver.answer = (type) => {
    const status = failNext.get(type) ?? 200;
    failNext.delete(type);
    return status;
  };
  ({ url: receiverUrl, received } = receiver);
  server = await startLocalServer(dataDir, env);
});
after(async () => {
  await server?.stop();
  receiver?.close();
});

const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);

describe('webhooks', () => {
  let webhookId = '';
  let secret = '';

  it('refuses bad subscriptions at their field and writes nothing', async () => {
    for (const [body, path] of [
      [{ url: 'not a url', eventTypes: ['ContactCreated'] }, 'url'],
      [{ url: receiverUrl, eventTypes: ['ImportStarted'] }, 'eventTypes.0'],
      [{ url: receiverUrl, eventTypes: [] }, 'eventTypes'],
      [{ url: receiverUrl, eventTypes: ['ContactCreated'], filter: { source: 'api' } }, 'filter.source'],
      [{ url: receiverUrl, eventTypes: ['ContactCreated'], secret: 'mine' }, 'secret'],
    ] as const) {
      const res = await api('POST', '/v1/webhooks', body);
      assert.equal(res.status, 400, JSON.stringify(res.json));
      assert.ok(
        res.json.error.details.some((d: { path: string }) => d.path === path),
        `${path}: ${JSON.stringify(res.json.error.details)}`,
      );
    }
    assert.deepEqual((await api('GET', '/v1/webhooks')).json.items, []);
  });

  it('delivers a new contact as a signed POST', { timeout: 90_000 }, async () => {
    const created = await api('POST', '/v1/webhooks', {
      url: receiverUrl,
      description: 'CRM sync',
      eventTypes: ['ContactCreated', 'ContactTagged'],
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    ({ secret } = created.json);
    webhookId = created.json.webhook.id;
    assert.match(secret, /^whsec_/);
    assert.equal(
      JSON.stringify((await api('GET', `/v1/webhooks/${webhookId}`)).json).includes(secret),
      false,
    );

    const contact = await api('POST', '/v1/contacts', { email: 'hooked@example.com', tags: [] });
    assert.equal(contact.status, 201);
    const got = await eventually(async () => received.find((r) => r.type === 'ContactCreated'), 60_000);
    assert.equal(
      verifySignature(secret, String(got.headers['tendril-signature']), got.body, new Date()),
      true,
    );
    assert.equal(JSON.parse(got.body).data.contactId, contact.json.id);
    assert.equal(got.headers['tendril-event-id'], got.id);
  });

  it('retries a failed delivery later, also across a kill -9 and a restart', {
    timeout: 180_000,
  }, async () => {
    failNext.set('ContactTagged', 503);
    const contact = (await api('GET', '/v1/contacts?email=hooked@example.com')).json.items[0];
    assert.equal((await api('POST', `/v1/contacts/${contact.id}/tags`, { tags: ['vip'] })).status, 200);
    await eventually(
      async () => received.find((r) => r.type === 'ContactTagged' && r.answered === 503),
      60_000,
    );
    // The next attempt is queued (30 s, a second here) when the CRM dies.
    await server.kill9();
    server = await startLocalServer(dataDir, env);
    const delivered = await eventually(
      async () => received.find((r) => r.type === 'ContactTagged' && r.answered === 200),
      90_000,
    );
    // Attempt 2, or attempt 1 again when the CRM died before it queued the next one (its claim's
    // lease over, the first message delivered again takes it over).
    assert.match(String(delivered.headers['tendril-delivery-attempt']), /^[12]$/);
    const log = await eventually(async () => {
      const items = (await api('GET', `/v1/webhooks/${webhookId}/deliveries`)).json.items as Array<{
        eventType: string;
        status: string;
        attempts: number;
        responseStatus?: number;
      }>;
      const tagged = items.find((d) => d.eventType === 'ContactTagged');
      return tagged?.status === 'delivered' ? items : undefined;
    }, 30_000);
    assert.deepEqual(
      log.map((d) => [d.eventType, d.status, d.responseStatus]),
      [
        ['ContactTagged', 'delivered', 200],
        ['ContactCreated', 'delivered', 200],
      ],
    );
    assert.equal(received.filter((r) => r.type === 'ContactTagged' && r.answered === 200).length, 1);
  });

  it('sends a test ping and redelivers a delivery by hand', { timeout: 90_000 }, async () => {
    const ping = await api('POST', `/v1/webhooks/${webhookId}/test`);
    assert.equal(ping.status, 202, JSON.stringify(ping.json));
    await eventually(async () => received.find((r) => r.type === 'WebhookPinged'), 60_000);
    const created = received.find((r) => r.type === 'ContactCreated');
    const again = await api('POST', `/v1/webhooks/${webhookId}/deliveries/${created?.id}/redeliver`);
    assert.equal(again.status, 202, JSON.stringify(again.json));
    await eventually(async () => {
      const copies = received.filter((r) => r.type === 'ContactCreated');
      return copies.length === 2 ? copies : undefined;
    }, 60_000);
    assert.equal(
      received.filter((r) => r.type === 'ContactCreated')[1]?.body,
      created?.body,
      'the same event',
    );
    const missing = await api(
      'POST',
      `/v1/webhooks/${webhookId}/deliveries/01JAAAAAAAAAAAAAAAAAAAAAAA/redeliver`,
    );
    assert.equal(missing.status, 404);
  });
});
