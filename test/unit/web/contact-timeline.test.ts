/** The contact timeline's days (web/src/screens/contact-timeline.ts): Today, Yesterday, then dates. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { byDay, dayLabel } from '../../../web/src/screens/timeline-pages.js';

const at = (y: number, m: number, d: number, h = 12) => new Date(y, m - 1, d, h).toISOString();
const entry = (id: string, occurredAt: string) => ({
  id,
  contactId: 'c',
  type: 'note' as const,
  body: id,
  occurredAt,
  recordedAt: occurredAt,
});

describe('contact timeline days', () => {
  it('names today, yesterday (across a month and a year) and older days by their date', () => {
    const now = new Date(2027, 0, 1, 9);
    assert.equal(dayLabel(at(2027, 1, 1, 0), now), 'Today');
    assert.equal(dayLabel(at(2026, 12, 31, 23), now), 'Yesterday');
    const older = dayLabel(at(2026, 12, 30), now);
    assert.ok(!['Today', 'Yesterday'].includes(older));
    assert.match(older, /30/);
    assert.match(older, /2026/, 'another year is said');
    assert.doesNotMatch(dayLabel(at(2027, 1, 3), new Date(2027, 5, 1)), /2027/, 'this year is not');
  });

  it('groups entries by day in the order given, newest first', () => {
    const now = new Date();
    const today = new Date(now.getFullYear(), now.getMonth(), now.getDate(), 0, 30);
    const yesterday = new Date(today);
    yesterday.setDate(today.getDate() - 1);
    const items = [
      entry('a', new Date(today.getTime() + 60_000).toISOString()),
      entry('b', today.toISOString()),
      entry('c', new Date(yesterday.getTime() + 3_600_000).toISOString()),
      entry('d', new Date(yesterday.getTime() - 7 * 86_400_000).toISOString()),
    ];
    assert.deepEqual(
      byDay(items).map((g) => [
        g.label === 'Today' || g.label === 'Yesterday' ? g.label : 'date',
        g.items.map((i) => i.id),
      ]),
      [
        ['Today', ['a', 'b']],
        ['Yesterday', ['c']],
        ['date', ['d']],
      ],
    );
  });
});
