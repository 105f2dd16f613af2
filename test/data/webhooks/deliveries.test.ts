/**
 * Webhook deliveries on DynamoDB Local, with a recording queue and subscriber: one delivery per
 * subscription that wants an event (type and filter); each attempt claimed with a lease, signed,
 * retried later on failure and failed after the last; duplicates and redelivered events send
 * nothing twice; a subscription failing for a day is disabled; redelivery and test pings.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { DomainError } from '#platform/errors.js';
import { makeEvent } from '#platform/events.js';
import { createTestTable, type TestTable } from '#test/support/dynamo.js';
import { attemptDelivery, fanOut, verifySignature } from '#webhooks/delivery.js';
import { MAX_ATTEMPTS, MAX_WEBHOOKS } from '#webhooks/model.js';
import { createWebhook, deleteWebhook, redeliver, sendTest, updateWebhook } from '#webhooks/rules.js';
import type { DeliveryQueue, WebhookPoster } from '#webhooks/store.js';

let t: TestTable;
let now = new Date('2026-12-01T10:00:00.000Z');
before(async () => {
  t = await createTestTable(() => now);
});
const policy = { allowPrivate: false };

type Sent = { webhookId: string; deliveryId: string; attempt: number; delay?: number | undefined };
function recordingQueue() {
  const sent: Sent[] = [];
  const queue: DeliveryQueue = {
    async send(messages, delaySeconds) {
      for (const m of messages) sent.push({ ...m, delay: delaySeconds });
    },
  };
  return { sent, queue };
}
function subscriber(answer: () => number | Error) {
  const posts: Array<{ url: string; body: string; headers: Record<string, string> }> = [];
  const poster: WebhookPoster = {
    async post(url, body, headers) {
      posts.push({ url, body, headers });
      const a = answer();
      return a instanceof Error ? { error: a.message, latencyMs: 3 } : { status: a, latencyMs: 3 };
    },
  };
  return { posts, poster };
}
const contactCreated = (contactId: string) =>
  makeEvent('ContactCreated', { contactId, source: 'api' } as never, {
    eventId: t.deps.ids.next(),
    occurredAt: now.toISOString(),
  });

describe('webhook deliveries', () => {
  it('go to the subscriptions that want the event, once, signed; a duplicate message sends nothing', async () => {
    const { webhook, secret } = await createWebhook(t.deps, policy, {
      url: 'https://crm-sync.example.com/hook',
      eventTypes: ['ContactCreated'],
    });
    const shop = await createWebhook(t.deps, policy, {
      url: 'https://shop.example.com/hook',
      eventTypes: ['PurchaseMade'],
      filter: { source: ['shop'] },
    });
    const { sent, queue } = recordingQueue();
    const event = contactCreated('01JCONTACT0000000000000001');
    assert.equal(await fanOut(t.deps, queue, event), 1);
    assert.deepEqual(sent, [
      { webhookId: webhook.id, deliveryId: event.detail.eventId, attempt: 1, delay: undefined },
    ]);

    const { posts, poster } = subscriber(() => 200);
    const message = sent[0] as Sent;
    assert.deepEqual(await attemptDelivery(t.deps, { queue, poster }, message), { outcome: 'delivered' });
    const [post] = posts;
    assert.equal(post?.url, webhook.url);
    assert.equal(post?.headers['tendril-event-type'], 'ContactCreated');
    assert.equal(
      verifySignature(secret, post?.headers['tendril-signature'] ?? '', post?.body ?? '', now),
      true,
    );
    assert.deepEqual(JSON.parse(post?.body ?? '{}').data.contactId, '01JCONTACT0000000000000001');
    // The same message again (SQS delivers at least once), and the event again (EventBridge too).
    assert.equal((await attemptDelivery(t.deps, { queue, poster }, message)).outcome, 'stale');
    assert.equal(await fanOut(t.deps, queue, event), 0);
    assert.equal(posts.length, 1);
    const logged = (await t.deps.store.listDeliveries(webhook.id, { limit: 10 })).items;
    assert.deepEqual(
      logged.map((d) => [d.status, d.attempts, d.responseStatus]),
      [['delivered', 1, 200]],
    );
    assert.equal((await t.deps.store.listDeliveries(shop.webhook.id, { limit: 10 })).items.length, 0);
  });

  it('match a filter on the event’s detail', async () => {
    const { sent, queue } = recordingQueue();
    const purchase = (source: string) =>
      makeEvent(
        'PurchaseMade',
        { purchaseId: 'p', contactId: 'c', source, total: 1, currency: 'EUR', created: false } as never,
        { eventId: t.deps.ids.next(), occurredAt: now.toISOString() },
      );
    assert.equal(await fanOut(t.deps, queue, purchase('pos')), 0);
    assert.equal(await fanOut(t.deps, queue, purchase('shop')), 1);
    assert.equal(sent.length, 1);
  });

  it('retry a failure later, in order, and fail after the last attempt; a held claim waits for its lease', async () => {
    const { webhook } = await createWebhook(t.deps, policy, {
      url: 'https://down.example.com/',
      eventTypes: ['ContactCreated'],
    });
    await updateWebhook(t.deps, policy, (await t.deps.store.listWebhooks())[0]?.id ?? '', {
      enabled: false,
      version: 1,
    });
    const { sent, queue } = recordingQueue();
    const event = contactCreated('01JCONTACT0000000000000002');
    await fanOut(t.deps, queue, event);
    let answer: number | Error = new Error('connect ECONNREFUSED');
    const { posts, poster } = subscriber(() => answer);
    const mine = () => sent.filter((m) => m.webhookId === webhook.id);
    assert.equal((await attemptDelivery(t.deps, { queue, poster }, mine()[0] as Sent)).outcome, 'retrying');
    assert.deepEqual(mine()[1], {
      webhookId: webhook.id,
      deliveryId: event.detail.eventId,
      attempt: 2,
      delay: 30,
    });
    const retrying = await t.deps.store.getDelivery(webhook.id, event.detail.eventId);
    assert.deepEqual([retrying?.status, retrying?.error], ['retrying', 'connect ECONNREFUSED']);
    assert.equal((await t.deps.store.getWebhook(webhook.id))?.webhook.consecutiveFailures, 1);

    // A worker that claimed attempt 2 and died: the delivery waits for its lease, then goes on.
    const claimed = await t.deps.store.getDelivery(webhook.id, event.detail.eventId);
    if (!claimed) throw new Error('no delivery');
    await t.deps.store.commit([
      {
        kind: 'putDelivery',
        delivery: {
          ...claimed,
          status: 'sending',
          leaseUntil: new Date(now.getTime() + 45_000).toISOString(),
          version: claimed.version + 1,
        },
        expectedVersion: claimed.version,
      },
    ]);
    const attemptMessage = (n: number) =>
      mine()
        .filter((m) => m.attempt === n)
        .at(-1) as Sent;
    assert.equal((await attemptDelivery(t.deps, { queue, poster }, attemptMessage(2))).outcome, 'deferred');
    assert.deepEqual(mine().at(-1), { ...attemptMessage(2), delay: 45 }, 'back when the lease is over');
    now = new Date(now.getTime() + 60_000);
    answer = 503;
    for (let attempt = 2; attempt <= MAX_ATTEMPTS; attempt++) {
      const outcome = (await attemptDelivery(t.deps, { queue, poster }, attemptMessage(attempt))).outcome;
      assert.equal(outcome, attempt === MAX_ATTEMPTS ? 'failed' : 'retrying', `attempt ${attempt}`);
    }
    assert.equal(Math.max(...mine().map((m) => m.attempt)), MAX_ATTEMPTS, 'no attempt after the last');
    assert.equal(posts.length, MAX_ATTEMPTS);
    const failed = await t.deps.store.getDelivery(webhook.id, event.detail.eventId);
    assert.deepEqual(
      [failed?.status, failed?.attempts, failed?.responseStatus],
      ['failed', MAX_ATTEMPTS, 503],
    );

    // Redelivered by hand: a new series of attempts; not while one is under way.
    const again = await redeliver(t.deps, queue, webhook.id, event.detail.eventId);
    assert.deepEqual([again.status, again.retryFrom], ['pending', MAX_ATTEMPTS]);
    await assert.rejects(
      redeliver(t.deps, queue, webhook.id, event.detail.eventId),
      (e: DomainError) => e.code === 'delivery_in_flight',
    );
    answer = 204;
    assert.equal(
      (await attemptDelivery(t.deps, { queue, poster }, mine().at(-1) as Sent)).outcome,
      'delivered',
    );
    assert.equal(
      (await t.deps.store.getWebhook(webhook.id))?.webhook.consecutiveFailures,
      0,
      'a success clears the failures',
    );
  });

  it('count failures without changing the version a user edits at, nor losing a count to an edit', async () => {
    const { webhook } = await createWebhook(t.deps, policy, {
      url: 'https://edit.example.com/',
      eventTypes: ['ContactCreated'],
    });
    const { sent, queue } = recordingQueue();
    await fanOut(t.deps, queue, contactCreated('01JCONTACT0000000000000004'));
    const { poster } = subscriber(() => 500);
    assert.equal(
      (await attemptDelivery(t.deps, { queue, poster }, sent.find((m) => m.webhookId === webhook.id) as Sent))
        .outcome,
      'retrying',
    );
    // The user's page still says version 1: the change is taken, the failure kept.
    const changed = await updateWebhook(t.deps, policy, webhook.id, {
      version: 1,
      description: 'Edited',
      filter: { source: ['api'] },
    });
    assert.deepEqual([changed.version, changed.description, changed.consecutiveFailures], [2, 'Edited', 1]);
    const cleared = await updateWebhook(t.deps, policy, webhook.id, { version: 2, filter: null });
    assert.equal(cleared.filter, undefined);
    assert.equal(
      (await updateWebhook(t.deps, policy, webhook.id, { version: 3, description: null })).description,
      undefined,
    );
    await assert.rejects(
      updateWebhook(t.deps, policy, webhook.id, { version: 3, description: 'Stale' }),
      (e: DomainError) => e.code === 'version_conflict',
    );
  });

  it('are at most 20 subscriptions, also created 30 at once', async () => {
    const fresh = await createTestTable(() => now);
    const made = await Promise.allSettled(
      Array.from({ length: 30 }, (_, i) =>
        createWebhook(fresh.deps, policy, {
          url: `https://h${i}.example.com/`,
          eventTypes: ['ContactCreated'],
        }),
      ),
    );
    assert.equal(made.filter((m) => m.status === 'fulfilled').length, MAX_WEBHOOKS);
    assert.ok(
      made.every((m) => m.status === 'fulfilled' || (m.reason as DomainError).code === 'too_many_webhooks'),
    );
    assert.equal((await fresh.deps.store.listWebhooks()).length, MAX_WEBHOOKS);
    const [first] = await fresh.deps.store.listWebhooks();
    await deleteWebhook(fresh.deps, first?.id ?? '');
    await createWebhook(fresh.deps, policy, {
      url: 'https://again.example.com/',
      eventTypes: ['ContactCreated'],
    });
  });

  it('take over an attempt whose worker died after claiming it, once its lease is over', async () => {
    const { webhook } = await createWebhook(t.deps, policy, {
      url: 'https://late.example.com/',
      eventTypes: ['ContactCreated'],
    });
    const { sent, queue } = recordingQueue();
    const event = contactCreated('01JCONTACT0000000000000003');
    await fanOut(t.deps, queue, event);
    const first = sent.find((m) => m.webhookId === webhook.id) as Sent;
    // The worker claimed attempt 1 and was killed before the POST's outcome was recorded.
    const pending = await t.deps.store.getDelivery(webhook.id, event.detail.eventId);
    if (!pending) throw new Error('no delivery');
    await t.deps.store.commit([
      {
        kind: 'putDelivery',
        delivery: {
          ...pending,
          status: 'sending',
          attempts: 1,
          leaseUntil: new Date(now.getTime() + 45_000).toISOString(),
          version: 2,
        },
        expectedVersion: 1,
      },
    ]);
    const { posts, poster } = subscriber(() => 200);
    assert.equal((await attemptDelivery(t.deps, { queue, poster }, first)).outcome, 'deferred');
    now = new Date(now.getTime() + 46_000);
    assert.equal((await attemptDelivery(t.deps, { queue, poster }, first)).outcome, 'delivered');
    assert.equal((await attemptDelivery(t.deps, { queue, poster }, first)).outcome, 'stale');
    assert.equal(posts.length, 1);
  });

  it('disable a subscription that failed every attempt for a day; a test ping still reaches it', async () => {
    const { webhook } = await createWebhook(t.deps, policy, {
      url: 'https://gone.example.com/',
      eventTypes: ['ContactTagged'],
    });
    const { sent, queue } = recordingQueue();
    const { poster } = subscriber(() => 410);
    let disabledAt: string | undefined;
    for (let i = 0; i < 30 && !disabledAt; i++) {
      const event = makeEvent('ContactTagged', { contactId: 'c', tag: `t${i}` } as never, {
        eventId: t.deps.ids.next(),
        occurredAt: now.toISOString(),
      });
      await fanOut(t.deps, queue, event);
      const result = await attemptDelivery(t.deps, { queue, poster }, sent.at(-1) as Sent);
      if (result.disabled) disabledAt = now.toISOString();
      now = new Date(now.getTime() + 3600_000);
    }
    const stored = (await t.deps.store.getWebhook(webhook.id))?.webhook;
    assert.equal(stored?.enabled, false);
    assert.match(stored?.disabledReason ?? '', /failed for 24 hours/);
    assert.ok((stored?.consecutiveFailures ?? 0) >= 20);
    const before = sent.length;
    await fanOut(
      t.deps,
      queue,
      makeEvent('ContactTagged', { contactId: 'c', tag: 'late' } as never, {
        eventId: t.deps.ids.next(),
        occurredAt: now.toISOString(),
      }),
    );
    assert.equal(sent.length, before, 'a disabled subscription gets nothing');

    const ping = await sendTest(t.deps, queue, webhook.id);
    const { posts, poster: ok } = subscriber(() => 200);
    assert.equal(
      (await attemptDelivery(t.deps, { queue, poster: ok }, sent.at(-1) as Sent)).outcome,
      'delivered',
    );
    assert.equal(JSON.parse(posts[0]?.body ?? '{}').type, 'WebhookPinged');
    assert.equal(ping.eventType, 'WebhookPinged');
    // Enabled again: its failures start over.
    const enabled = await updateWebhook(t.deps, policy, webhook.id, {
      enabled: true,
      version: (await t.deps.store.getWebhook(webhook.id))?.webhook.version ?? 0,
    });
    assert.deepEqual(
      [enabled.enabled, enabled.consecutiveFailures, enabled.disabledReason],
      [true, 0, undefined],
    );
  });
});
