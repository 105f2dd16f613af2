import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DUPLICATE_GUARD_SECONDS, makeEvent, parseEvent, REPLAY_WINDOW_DAYS } from '#platform/events.js';

const meta = { eventId: '01JF0000000000000000000001', occurredAt: '2026-06-01T12:00:00.000Z' };

describe('the event contract', () => {
  it('keeps email addresses out of new contact events (version 2), and still reads version 1', () => {
    const created = makeEvent('ContactCreated', { contactId: 'c1', source: 'form' }, meta);
    assert.equal(created.detail.version, 2);
    assert.equal(JSON.stringify(created).includes('@'), false);
    const suppressed = makeEvent('ContactSuppressed', { contactId: 'c1', reason: 'bounce' }, meta);
    assert.equal(suppressed.detail.version, 2);
    const old = parseEvent('ContactCreated', { version: 1, ...meta, contactId: 'c1', email: 'a@b.co' });
    assert.equal(old.detailType, 'ContactCreated');
    assert.throws(() => parseEvent('ContactCreated', { version: 3, ...meta, contactId: 'c1' }));
  });
  it('keeps every duplicate guard longer than the archive can replay', () => {
    assert.ok(DUPLICATE_GUARD_SECONDS > REPLAY_WINDOW_DAYS * 86_400);
  });
});
