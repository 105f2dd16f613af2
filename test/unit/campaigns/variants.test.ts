/**
 * The rules of an A/B test: the test share is the configured part of the audience, split evenly and
 * always the same for a contact; the winner is the best rate, ties to more engaged contacts, then the
 * first; no engagement at all: the first, saying so.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AbTest } from '#campaigns/model.js';
import { abTestOf, bestVariant, testVariantOf } from '#campaigns/variants.js';
import { DomainError } from '#platform/errors.js';

const test = (testPercent: number, n = 3): AbTest =>
  abTestOf({
    variants: Array.from({ length: n }, (_, i) => ({ templateId: `t${i}` })),
    testPercent,
    winnerBy: 'opens',
    waitHours: 4,
  });

describe('A/B test rules', () => {
  it('puts the configured share of contacts in the test, split evenly, the same on every call', () => {
    const ab = test(30);
    const counts = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const v = testVariantOf(ab, 'campaign-1', `contact-${i}`);
      counts.set(v?.id ?? 'rest', (counts.get(v?.id ?? 'rest') ?? 0) + 1);
      assert.equal(testVariantOf(ab, 'campaign-1', `contact-${i}`)?.id, v?.id);
    }
    assert.ok(Math.abs((counts.get('rest') ?? 0) / 20_000 - 0.7) < 0.015, JSON.stringify([...counts]));
    for (const id of ['A', 'B', 'C'])
      assert.ok(Math.abs((counts.get(id) ?? 0) / 20_000 - 0.1) < 0.01, `${id}: ${counts.get(id)}`);
    // Another campaign splits the same contacts differently.
    const moved = Array.from({ length: 200 }, (_, i) => `contact-${i}`).filter(
      (c) => testVariantOf(ab, 'campaign-1', c)?.id !== testVariantOf(ab, 'campaign-2', c)?.id,
    );
    assert.ok(moved.length > 50);
  });

  it('chooses the best rate; a tie goes to more engaged contacts, then the first; nothing engaged: the most sent', () => {
    const ab = test(20);
    const r = (id: 'A' | 'B' | 'C', sent: number, opened: number) => ({ id, sent, opened, clicked: 0 });
    assert.deepEqual(bestVariant(ab, [r('A', 100, 10), r('B', 100, 25), r('C', 50, 12)]), {
      winner: 'B',
      reason: 'opens',
    });
    assert.equal(bestVariant(ab, [r('A', 10, 5), r('B', 20, 10), r('C', 0, 0)]).winner, 'B');
    assert.equal(bestVariant(ab, [r('A', 10, 5), r('B', 10, 5)]).winner, 'A');
    assert.deepEqual(bestVariant(ab, [r('A', 10, 0), r('B', 10, 0)]), { winner: 'A', reason: 'no_data' });
    // A variant that reached nobody (its subject failed to render, say) does not win by default.
    assert.deepEqual(bestVariant(ab, [r('A', 0, 0), r('B', 12, 0), r('C', 3, 0)]), {
      winner: 'B',
      reason: 'no_data',
    });
    assert.deepEqual(bestVariant({ ...ab, winnerBy: 'clicks' }, [r('A', 10, 9), r('B', 10, 1)]), {
      winner: 'A',
      reason: 'no_data',
    });
  });

  it('names variants A, B, … and refuses two that send the same email', () => {
    assert.deepEqual(
      test(10, 4).variants.map((v) => v.id),
      ['A', 'B', 'C', 'D'],
    );
    assert.throws(
      () =>
        abTestOf({
          variants: [
            { templateId: 't', subject: 'Hi' },
            { templateId: 't', subject: ' Hi ' },
          ],
          testPercent: 10,
          winnerBy: 'opens',
          waitHours: 1,
        }),
      (e: unknown) => e instanceof DomainError && e.code === 'variants_alike',
    );
  });
});
