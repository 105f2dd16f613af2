/**
 * A random split's choice of path (spread by the percentages, stable for one enrollment) and the rule
 * that brings trigger events to the enroller (clicks, not opens; deal stage moves).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pathStepId, pickPath, takenPath } from '#automation/split.js';
import { ENROLLMENT_TRIGGERS } from '#platform/event-rules.js';
import { matchesPattern } from '#platform/pattern-match.js';

describe('a split’s path', () => {
  it('follows the percentages over many enrollments', () => {
    const counts = [0, 0, 0];
    for (let i = 0; i < 10_000; i++) {
      const path = pickPath(`enrollment-${i}/test`, [20, 30, 50]);
      counts[path] = (counts[path] ?? 0) + 1;
    }
    const [a, b, c] = counts as [number, number, number];
    assert.ok(Math.abs(a - 2000) < 250 && Math.abs(b - 3000) < 250 && Math.abs(c - 5000) < 250, `${counts}`);
  });

  it('is the same for the same enrollment and step, and recorded as a step of its own', () => {
    const key = '01JF0000000000000000000E01/test';
    const first = pickPath(key, [50, 50]);
    for (let i = 0; i < 5; i++) assert.equal(pickPath(key, [50, 50]), first);
    assert.equal(pathStepId('test', 0), 'test/a');
    assert.equal(pathStepId('test', 4), 'test/e');
    assert.equal(takenPath('test', 'test/b'), 1);
    assert.equal(takenPath('test', 'test'), undefined);
    assert.equal(takenPath('test', 'testing/a'), undefined);
    assert.equal(takenPath('test', undefined), undefined);
  });
});

describe('the enrollment rule', () => {
  const event = (source: string, detailType: string, detail: Record<string, unknown>) => ({
    source,
    'detail-type': detailType,
    detail: { version: 1, eventId: 'e', occurredAt: '2026-12-02T10:00:00.000Z', ...detail },
  });
  it('lets clicks through and not opens; deal stage moves; not silent imports', () => {
    const match = (e: unknown) => matchesPattern(ENROLLMENT_TRIGGERS as never, e);
    assert.ok(match(event('tendril.email', 'EmailEngaged', { contactId: 'c', type: 'clicked' })));
    assert.ok(!match(event('tendril.email', 'EmailEngaged', { contactId: 'c', type: 'opened' })));
    assert.ok(!match(event('tendril.email', 'EmailSent', { contactId: 'c' })));
    assert.ok(match(event('tendril.sales', 'DealStageChanged', { dealId: 'd', toStage: 'Won' })));
    assert.ok(match(event('tendril.contacts', 'ContactTagged', { contactId: 'c', tag: 'lead' })));
    assert.ok(!match(event('tendril.contacts', 'ContactTagged', { contactId: 'c', tag: 'x', silent: true })));
  });
});
