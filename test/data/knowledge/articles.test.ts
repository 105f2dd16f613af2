/**
 * Knowledge base articles on DynamoDB Local: drafts with unique addresses, version-guarded edits that
 * keep readers' counts, publishing (rendered and sanitized HTML, the search document, the stored
 * index and ArticlePublished in one transaction), a search that loads the stored index, unpublishing
 * and deleting (out of the index, chunks of a smaller index removed), and feedback counted only on a
 * published article.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  createArticle,
  deleteArticle,
  getArticle,
  listArticles,
  publishArticle,
  recordFeedback,
  unpublishArticle,
  updateArticle,
} from '#knowledge/articles.js';
import { searchArticles, suggestArticles } from '#knowledge/suggest.js';
import { DomainError } from '#platform/errors.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';

let t: TestTable;
before(async () => {
  t = await createTestTable(() => new Date('2026-12-02T10:00:00.000Z'));
});
const kindOf = (kind: string, code?: string) => (err: unknown) =>
  err instanceof DomainError && err.kind === kind && (code === undefined || err.code === code);
const ids = (hits: Array<{ id: string }>) => hits.map((h) => h.id).sort();

describe('knowledge base articles', () => {
  it('are drafts at an address made of the title, unique, edited at their version', async () => {
    const a = await createArticle(t.deps, { title: 'Reset your password', body: 'Use the link.' });
    assert.equal(a.slug, 'reset-your-password');
    assert.equal(a.status, 'draft');
    await assert.rejects(
      createArticle(t.deps, { title: 'Reset your password!', body: 'x' }),
      kindOf('conflict', 'slug_taken'),
    );
    const b = await createArticle(t.deps, { title: 'Other', slug: 'other-one', body: 'x', category: 'Misc' });
    await assert.rejects(
      updateArticle(t.deps, b.id, { title: 'Other', slug: 'reset-your-password', body: 'x' }, 1),
      kindOf('conflict', 'slug_taken'),
    );
    const moved = await updateArticle(t.deps, b.id, { title: 'Other', slug: 'moved', body: 'y' }, 1);
    assert.equal(moved.version, 2);
    assert.equal(moved.category, undefined, 'the category was cleared');
    assert.equal((await getArticle(t.deps, b.id)).category, undefined);
    await assert.rejects(
      updateArticle(t.deps, b.id, { title: 'Stale', body: 'z' }, 1),
      kindOf('conflict', 'version_conflict'),
    );
    // The old address is free again.
    await createArticle(t.deps, { title: 'Other one', slug: 'other-one', body: 'x' });
    const listed = await listArticles(t.deps, { limit: 10 });
    assert.equal(listed.items.length, 3);
    assert.ok(
      listed.items.every((i) => !('body' in i)),
      'a list has no bodies',
    );
    await assert.rejects(getArticle(t.deps, '01JF0000000000000000000000'), kindOf('not_found'));
  });

  it('are published with sanitized HTML, searchable through the stored index, announced once per publish', async () => {
    const a = await createArticle(t.deps, {
      title: 'Export contacts',
      body: 'Download a **spreadsheet** of every contact.\n\n<script>alert(1)</script><a href="javascript:x" onclick="y">z</a>',
      category: 'Data',
    });
    const published = await publishArticle(t.deps, a.id);
    assert.equal(published.status, 'published');
    assert.match(published.html ?? '', /<strong>spreadsheet<\/strong>/);
    assert.doesNotMatch(published.html ?? '', /script|javascript|onclick/);
    assert.deepEqual(ids(await searchArticles(t.deps, 'spreadsh', { limit: 5 })), [a.id]);
    const events = (await outboxEvents(t)).filter((e) => e.detailType === 'ArticlePublished');
    assert.equal(events.length, 1);
    assert.equal(events[0]?.detail.articleId, a.id);
    assert.equal(events[0]?.detail.first, true);

    // A published article's edit is live: the index follows it.
    await updateArticle(
      t.deps,
      a.id,
      { title: 'Export contacts', body: 'Get a CSV file.', category: 'Data' },
      2,
    );
    assert.deepEqual(await searchArticles(t.deps, 'spreadsheet', { limit: 5 }), []);
    assert.deepEqual(ids(await searchArticles(t.deps, 'csv', { limit: 5 })), [a.id]);
    const suggested = await suggestArticles(t.deps, 'How do I get a CSV of my contacts?', 3);
    assert.equal(suggested[0]?.url, '/help/articles/export-contacts');

    await unpublishArticle(t.deps, a.id);
    assert.deepEqual(await searchArticles(t.deps, 'csv', { limit: 5 }), []);
    await assert.rejects(unpublishArticle(t.deps, a.id), kindOf('conflict', 'not_published'));
    const again = await publishArticle(t.deps, a.id);
    assert.equal(
      (await outboxEvents(t)).filter((e) => e.detailType === 'ArticlePublished').at(-1)?.detail.first,
      false,
    );
    await deleteArticle(t.deps, again.id);
    assert.deepEqual(await searchArticles(t.deps, 'csv', { limit: 5 }), []);
    await assert.rejects(getArticle(t.deps, a.id), kindOf('not_found'));
  });

  it('rebuilds the index of two articles published at once with both in it', async () => {
    const [x, y] = await Promise.all([
      createArticle(t.deps, { title: 'Flamingo care', body: 'Pink birds.' }),
      createArticle(t.deps, { title: 'Pelican care', body: 'Big beaks.' }),
    ]);
    await Promise.all([publishArticle(t.deps, x.id), publishArticle(t.deps, y.id)]);
    assert.deepEqual(ids(await searchArticles(t.deps, 'care', { limit: 5 })), [x.id, y.id].sort());
    const meta = await t.deps.store.getIndexMeta();
    assert.equal(meta?.articles, 2);
  });

  it('counts readers’ feedback on published articles only, and keeps it through an edit', async () => {
    const a = await createArticle(t.deps, { title: 'Refunds', body: 'Within thirty days.' });
    await assert.rejects(recordFeedback(t.deps, 'refunds', true, '192.0.2.1'), kindOf('not_found'));
    const p = await publishArticle(t.deps, a.id);
    await recordFeedback(t.deps, 'refunds', true, '192.0.2.1');
    await recordFeedback(t.deps, 'refunds', true, '192.0.2.1');
    await recordFeedback(t.deps, 'refunds', false, '192.0.2.1');
    const edited = await updateArticle(
      t.deps,
      a.id,
      { title: 'Refunds', body: 'Within 30 days.' },
      p.version,
    );
    assert.equal(edited.version, p.version + 1);
    const now = await getArticle(t.deps, a.id);
    assert.deepEqual([now.helpful, now.notHelpful], [2, 1]);
    await assert.rejects(recordFeedback(t.deps, 'no-such-article', true, '192.0.2.1'), kindOf('not_found'));
  });

  it('keeps the stored index in chunks of its current version only', async () => {
    const items = (await t.items()).filter((i) => i.PK === 'KB_INDEX');
    const meta = items.find((i) => i.SK === 'META');
    const chunks = items.filter((i) => String(i.SK).startsWith('CHUNK#'));
    assert.equal(chunks.length, Number(meta?.chunks));
    assert.ok(chunks.every((c) => c.version === meta?.version));
  });
});
