/** Outbox → stream → publisher → bus, with the local stream poller standing in for the event-source mapping. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import * as contacts from '#contacts/rules.js';
import { LocalEventBus } from '#local/event-bus.js';
import { StreamPoller } from '#local/stream-poller.js';
import { OUTBOX_STREAM_FILTER } from '#platform/event-rules.js';
import type { Pattern } from '#platform/pattern-match.js';
import { createTestTable, type TestTable } from '#test/support/dynamo.js';

/** A bus that refuses the first `failures` entries it is given, as a throttled EventBridge would. */
class FlakyBus extends LocalEventBus {
  failures = 0;
  override async put(entries: Parameters<LocalEventBus['put']>[0]) {
    const results = [];
    for (const entry of entries) {
      if (this.failures > 0) {
        this.failures--;
        results.push({ ErrorCode: 'ThrottlingException', ErrorMessage: 'slow down' });
      } else results.push(...(await super.put([entry])));
    }
    return results;
  }
}

let t: TestTable;
let bus: FlakyBus;
let poller: StreamPoller;
let closeBus: () => void;

before(async () => {
  t = await createTestTable();
  bus = new FlakyBus('test-bus');
  const endpoint = await bus.listen();
  closeBus = () => endpoint.server.close();
  Object.assign(process.env, {
    EVENT_BUS_NAME: 'test-bus',
    AWS_ENDPOINT_URL_EVENTBRIDGE: endpoint.url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  const { handler } = await import('#handlers/outbox-publisher.js');
  const table = await t.client.send(new DescribeTableCommand({ TableName: t.tableName }));
  poller = new StreamPoller({
    endpoint: String(process.env.TENDRIL_TEST_DYNAMODB_ENDPOINT),
    streamArn: String(table.Table?.LatestStreamArn),
    filter: OUTBOX_STREAM_FILTER as unknown as Pattern,
    handler,
    intervalMs: 20,
  });
  await poller.start();
});

after(async () => {
  await poller.stop();
  closeBus();
});

describe('the outbox publisher', () => {
  it('publishes each committed event once, with its contract, and nothing else from the table', async () => {
    const c = await contacts.createContact(t.deps, { email: 'pub@example.com', tags: ['one', 'two'] });
    await contacts.recordActivity(t.deps, c.id, { type: 'note', body: 'hello' });
    await poller.caughtUp();
    const mine = bus.events().filter((e) => e.detail.contactId === c.id);
    assert.deepEqual(
      mine.map((e) => `${e.source} ${e['detail-type']} ${e.detail.tag ?? ''}`.trim()),
      [
        'tendril.contacts ContactCreated',
        'tendril.contacts ContactTagged one',
        'tendril.contacts ContactTagged two',
        'tendril.contacts ActivityRecorded',
      ],
    );
    for (const e of mine) {
      assert.equal(e.detail.version, e['detail-type'] === 'ContactCreated' ? 2 : 1);
      assert.equal(JSON.stringify(e.detail).includes('pub@example.com'), false, 'no email address in events');
      assert.match(String(e.detail.eventId), /^[0-9A-Z]{26}$/);
    }
  });

  it('retries entries the bus refused until every event has arrived', async () => {
    bus.failures = 2;
    const c = await contacts.createContact(t.deps, { email: 'retry@example.com', tags: ['a', 'b', 'c'] });
    await poller.caughtUp();
    await poller.caughtUp();
    const types = bus
      .events()
      .filter((e) => e.detail.contactId === c.id)
      .map((e) => `${e['detail-type']}${e.detail.tag ? `:${e.detail.tag}` : ''}`);
    // At-least-once and, as with EventBridge itself, unordered: a redelivered event may repeat
    // (consumers dedupe on eventId), but none is lost.
    assert.deepEqual([...new Set(types)].sort(), [
      'ContactCreated',
      'ContactTagged:a',
      'ContactTagged:b',
      'ContactTagged:c',
    ]);
    assert.ok(types.length > 4, 'the refused entries were sent again');
    const ids = bus
      .events()
      .filter((e) => e.detail.contactId === c.id)
      .map((e) => e.detail.eventId);
    assert.equal(new Set(ids).size, 4);
  });
});
