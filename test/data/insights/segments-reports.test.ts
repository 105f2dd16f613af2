/** Segments, the dashboard projection and CSV export on DynamoDB Local. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { exportContacts } from '#contacts/export.js';
import type { Contact } from '#contacts/model.js';
import * as contacts from '#contacts/rules.js';
import { projectEvent } from '#insights/counters.js';
import { dashboard } from '#insights/dashboard.js';
import type { SegmentFilter } from '#insights/model.js';
import {
  createSegment,
  evaluateFilter,
  matchesFilter,
  PREVIEW_LIMIT,
  previewSegment,
  segmentContacts,
} from '#insights/segments.js';
import { DomainError } from '#platform/errors.js';
import { parseEvent } from '#platform/events.js';
import { STATUS_OF } from '#platform/http/handler.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';

let t: TestTable;
const now = new Date();

/** Feeds every outbox event through the dashboard projection (what the bus rule does). */
async function project(table: TestTable) {
  for (const e of await outboxEvents(table))
    await projectEvent(table.deps, parseEvent(e.detailType, e.detail));
}

async function all(table: TestTable): Promise<Contact[]> {
  const out: Contact[] = [];
  let cursor: string | undefined;
  do {
    const page = await table.deps.store.listContacts({ limit: 100, cursor });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

before(async () => {
  t = await createTestTable();
  for (let i = 0; i < 60; i++) {
    const tags = [
      'everyone',
      ...(i % 3 === 0 ? ['fizz'] : []),
      ...(i % 5 === 0 ? ['buzz'] : []),
      ...(i === 7 ? ['rare'] : []),
    ];
    await contacts.createContact(t.deps, {
      email: `p${i}@example.com`,
      fields: { score: i, plan: i % 2 === 0 ? 'pro' : 'free' },
      tags,
      source: i % 4 === 0 ? 'ads' : 'organic',
    });
  }
  await project(t);
});

describe('segments', () => {
  const cases: Array<[string, SegmentFilter]> = [
    ['all of two tags', { tags: { all: ['fizz', 'buzz'] } }],
    ['any tag, without double counting', { tags: { any: ['fizz', 'buzz'] } }],
    [
      'none and a field comparison',
      { tags: { none: ['fizz'] }, fields: [{ field: 'score', op: 'gte', value: 50 }] },
    ],
    ['a string field', { tags: { all: ['everyone'] }, fields: [{ field: 'plan', op: 'eq', value: 'pro' }] }],
    ['created recently', { created: { withinDays: 1 }, tags: { all: ['buzz'] } }],
    [
      'created in the future: nobody',
      { created: { after: new Date(Date.now() + 86_400_000).toISOString() } },
    ],
  ];
  for (const [name, filter] of cases) {
    it(`returns exactly the matching contacts, page by page: ${name}`, async () => {
      const expected = (await all(t))
        .filter((c) => matchesFilter(c, filter, new Date()))
        .map((c) => c.email)
        .sort();
      const got: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await evaluateFilter(t.deps, filter, { limit: 4, cursor });
        got.push(...page.items.map((c) => c.email));
        cursor = page.nextCursor;
        pages++;
      } while (cursor && pages < 100);
      assert.deepEqual(got.sort(), expected);
      assert.equal(new Set(got).size, got.length, 'no contact twice');
    });
  }

  it('previews a filter being built: exact up to the preview limit, "more" beyond', async () => {
    const everyone = await all(t);
    const fizz = everyone.filter((c) => c.tags.includes('fizz')).length;
    assert.deepEqual(await previewSegment(t.deps, { tags: { all: ['fizz'] } }), {
      matched: fizz,
      more: false,
      estimatedCandidates: fizz,
    });
    assert.deepEqual(await previewSegment(t.deps, { tags: { all: ['fizz', 'rare'] } }), {
      matched: 0,
      more: false,
      estimatedCandidates: 1,
    });
    assert.ok(everyone.length > 0 && everyone.length <= PREVIEW_LIMIT);
    const wide = await previewSegment(t.deps, {});
    assert.deepEqual([wide.matched, wide.more], [everyone.length, false]);
  });

  it('starts from the most selective index: the rarest tag, not the table', async () => {
    const page = await evaluateFilter(t.deps, { tags: { all: ['everyone', 'rare'] } }, { limit: 10 });
    assert.deepEqual(page.plan.sources, [{ index: 'tag', tag: 'rare' }]);
    assert.equal(page.plan.estimatedCandidates, 1);
    assert.equal(page.candidatesRead, 1);
    assert.deepEqual(
      page.items.map((c) => c.email),
      ['p7@example.com'],
    );
    const wide = await evaluateFilter(
      t.deps,
      { fields: [{ field: 'plan', op: 'eq', value: 'pro' }] },
      { limit: 100 },
    );
    assert.deepEqual(wide.plan.sources, [{ index: 'all' }]);
  });

  it('refuses a cursor that does not belong to the segment', async () => {
    const segment = await createSegment(t.deps, { name: 'Fizz', filter: { tags: { all: ['fizz'] } } });
    const first = await segmentContacts(t.deps, segment.id, { limit: 2 });
    assert.ok(first.nextCursor);
    const forged = Buffer.from(
      JSON.stringify({ plan: [{ index: 'tag', tag: 'buzz' }], source: 0, at: new Date().toISOString() }),
    ).toString('base64url');
    for (const cursor of [forged, 'garbage', Buffer.from('{"plan":[]}').toString('base64url')]) {
      await assert.rejects(
        segmentContacts(t.deps, segment.id, { limit: 2, cursor }),
        (err) => err instanceof DomainError && STATUS_OF[err.kind] === 400,
      );
    }
  });
});

describe('dashboard projection', () => {
  it('counts leads by day and source, tags and totals from events, each event once', async () => {
    const report = await dashboard(t.deps, {});
    assert.equal(report.contacts.total, 60);
    assert.deepEqual(report.leads.bySource, { ads: 15, organic: 45 });
    assert.equal(report.leads.byDay.at(-1)?.date, now.toISOString().slice(0, 10));
    assert.deepEqual(
      report.tags.slice(0, 3).map((x) => [x.tag, x.count]),
      [
        ['everyone', 60],
        ['fizz', 20],
        ['buzz', 12],
      ],
    );
    // Redelivery of every event changes nothing.
    await project(t);
    const again = await dashboard(t.deps, {});
    assert.deepEqual(again, report);
  });

  it('follows tag removal and contact deletion', async () => {
    const c = await contacts.createContact(t.deps, { email: 'gone@example.com', tags: ['temp', 'fizz'] });
    await contacts.removeTag(t.deps, c.id, 'temp');
    await contacts.deleteContact(t.deps, c.id);
    await project(t);
    const report = await dashboard(t.deps, {});
    assert.equal(report.contacts.total, 60);
    assert.equal(report.tags.find((x) => x.tag === 'fizz')?.count, 20);
    assert.equal(
      report.tags.some((x) => x.tag === 'temp'),
      false,
    );
  });
});

describe('CSV export', () => {
  it('exports formulas as text', async () => {
    const table = await createTestTable();
    await contacts.createContact(table.deps, { email: 'f@example.com', company: '=cmd|"/c calc"!A1' });
    const { csv } = await exportContacts(table.deps, {});
    assert.match(csv, /"'=cmd\|""\/c calc""!A1"/);
  });
});
