/**
 * The knowledge base's pure parts: Markdown rendered and sanitized (no script, no event handler, no
 * `javascript:` link, whatever the author wrote), addresses made of titles, the search index built,
 * stored in chunks and loaded back (prefix and fuzzy matches, categories), and the help centre's
 * pages escaping what they show.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { slugFromTitle } from '#knowledge/articles.js';
import { renderArticlePage, renderSearchPage } from '#knowledge/help-page.js';
import { excerptOf, plainText, renderMarkdown } from '#knowledge/markdown.js';
import type { Article, IndexDoc } from '#knowledge/model.js';
import {
  buildIndex,
  deserializeIndex,
  MAX_CHUNKS,
  metaOf,
  searchIndex,
  serializeIndex,
} from '#knowledge/search-index.js';
import { suggestArticles } from '#knowledge/suggest.js';
import { DomainError } from '#platform/errors.js';

describe('Markdown rendering', () => {
  it('renders headings, lists, code, tables and task lists', async () => {
    const html = await renderMarkdown(
      '## Steps\n\n1. Open **Settings**\n2. Click `Reset`\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\n```sh\nls -l\n```',
    );
    assert.match(html, /<h2>Steps<\/h2>/);
    assert.match(html, /<ol>\s*<li>Open <strong>Settings<\/strong><\/li>/);
    assert.match(html, /<code>Reset<\/code>/);
    assert.match(html, /<table>/);
    assert.match(html, /<input checked disabled type="checkbox" \/>/);
    assert.match(html, /<code class="language-sh">ls -l/);
  });

  it('drops scripts, styles, frames, event handlers and javascript: links', async () => {
    const html = await renderMarkdown(
      [
        'Hello <script>alert(1)</script>',
        '',
        '[click](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD4=) [ok](https://example.com/a)',
        '',
        '<a href="JaVaScRiPt:alert(2)" onclick="alert(3)">x</a> <img src="https://example.com/i.png" onerror="alert(4)">',
        '',
        '<iframe src="https://evil.example"></iframe><style>body{display:none}</style><svg onload="alert(5)"></svg>',
        '',
        '<p style="color:red" onmouseover="alert(6)">styled</p> <input type="text" value="x"> <form action="/x"><button>go</button></form>',
      ].join('\n'),
    );
    assert.doesNotMatch(html, /<script|<style|<iframe|<svg|<form|type="text"/i);
    assert.doesNotMatch(html, /\son\w+=/i, 'no event handler attribute');
    assert.doesNotMatch(html, /javascript:|data:text/i);
    assert.doesNotMatch(html, /style=/);
    assert.match(html, /<a href="https:\/\/example.com\/a" rel="noopener noreferrer">ok<\/a>/);
    assert.match(html, /<img src="https:\/\/example.com\/i.png" \/>/);
  });

  it('keeps only https images and lets no author set rel', async () => {
    const html = await renderMarkdown(
      '![a](http://example.com/x.png) ![b](x.png) <img src="/i.png" onerror="alert(1)"> <img alt="none"> <a href="/help" rel="opener">in</a>',
    );
    assert.doesNotMatch(html, /http:\/\/example.com/);
    assert.doesNotMatch(html, /<img/, 'an image without an https address is dropped, a relative one too');
    assert.match(html, /<a href="\/help">in<\/a>/);
  });

  it('gives plain text and a short excerpt for the search index', async () => {
    const text = await plainText(await renderMarkdown('# Title\n\nFish &amp; chips <b>bold</b> 1 < 2'));
    assert.equal(text, 'Title Fish & chips bold 1 < 2');
    assert.equal(excerptOf('one two three four', 10), 'one two…');
    assert.equal(excerptOf('short', 10), 'short');
  });
});

describe('article addresses', () => {
  it('are made of the title: lower case, accents dropped, dashes, never ending in one', () => {
    assert.equal(slugFromTitle('How do I reset my password?'), 'how-do-i-reset-my-password');
    assert.equal(slugFromTitle('Événements & Rückerstattung'), 'evenements-ruckerstattung');
    assert.equal(slugFromTitle('!!!'), 'article');
    const long = slugFromTitle(`${'word '.repeat(15)}x`);
    assert.ok(long.length <= 80 && !long.endsWith('-'), long);
  });
});

const doc = (id: string, title: string, text: string, category?: string): IndexDoc => ({
  id,
  slug: slugFromTitle(title),
  title,
  ...(category ? { category } : {}),
  text,
  excerpt: excerptOf(text),
  publishedAt: `2026-11-${id.padStart(2, '0')}T10:00:00.000Z`,
});
const DOCS = [
  doc('1', 'Reset your password', 'Use the forgot password link on the sign in page.', 'Account'),
  doc('2', 'Change your billing address', 'Invoices are sent to the billing contact every month.', 'Billing'),
  doc('3', 'Export contacts', 'Download every contact as a CSV spreadsheet from the contacts list.', 'Data'),
  doc('4', 'Refunds', 'We refund annual subscriptions within thirty days.', 'Billing'),
];

describe('the search index', () => {
  it('finds by a word of the body, by a prefix and despite a typo', () => {
    const index = buildIndex(DOCS);
    assert.deepEqual(
      searchIndex(index, 'spreadsheet', { limit: 5 }).map((h) => h.id),
      ['3'],
    );
    assert.equal(searchIndex(index, 'passw', { limit: 5 })[0]?.id, '1', 'prefix');
    assert.equal(searchIndex(index, 'invoicse', { limit: 5 })[0]?.id, '2', 'fuzzy');
    assert.deepEqual(searchIndex(index, 'nothing-like-this', { limit: 5 }), []);
  });

  it('needs every word in a search box, falling back to any when none has all', () => {
    const index = buildIndex(DOCS);
    assert.deepEqual(
      searchIndex(index, 'billing invoices', { limit: 5 }).map((h) => h.id),
      ['2'],
    );
    assert.deepEqual(
      searchIndex(index, 'refund spreadsheet', { limit: 5 })
        .map((h) => h.id)
        .sort(),
      ['3', '4'],
    );
  });

  it('lists a category, newest first, when there are no words', () => {
    const index = buildIndex(DOCS);
    assert.deepEqual(
      searchIndex(index, '', { limit: 5, category: 'Billing' }).map((h) => h.id),
      ['4', '2'],
    );
    assert.deepEqual(
      searchIndex(index, '', { limit: 2 }).map((h) => h.id),
      ['4', '3'],
    );
  });

  it('survives its stored form: gzipped chunks loaded back search the same', () => {
    const many = Array.from({ length: 300 }, (_, i) =>
      doc(String(i + 10), `Article number ${i}`, `Body ${i} mentions token${i} and ${'filler '.repeat(30)}`),
    );
    const index = buildIndex([...DOCS, ...many]);
    const chunks = serializeIndex(index, 2_000);
    assert.ok(chunks.length > 1, `several chunks (${chunks.length})`);
    assert.ok(chunks.every((c) => c.byteLength <= 2_000));
    const loaded = deserializeIndex(chunks);
    // Equal scores may come in another order: compared as sets of (score, id).
    const found = (i: typeof index, q: string) =>
      searchIndex(i, q, { limit: 400 })
        .map((h) => `${h.score}:${h.id}:${h.slug}`)
        .sort();
    for (const q of ['spreadsheet', 'token123', 'passw', 'invoicse']) {
      assert.ok(found(index, q).length > 0, q);
      assert.deepEqual(found(loaded, q), found(index, q), q);
    }
    assert.equal(searchIndex(loaded, 'token123', { limit: 1 })[0]?.id, '133', 'the exact word first');
    const meta = metaOf([...DOCS, ...many], chunks, 7, '2026-12-02T00:00:00.000Z');
    assert.equal(meta.chunks, chunks.length);
    assert.equal(meta.articles, 304);
    assert.deepEqual(meta.categories, [
      { name: 'Account', count: 1 },
      { name: 'Billing', count: 2 },
      { name: 'Data', count: 1 },
    ]);
  });

  it('refuses to grow past what one transaction can write', () => {
    const index = buildIndex(DOCS);
    assert.throws(
      () => serializeIndex(index, 10),
      (err) =>
        err instanceof DomainError && err.kind === 'too_large' && err.message.includes(String(MAX_CHUNKS)),
    );
  });
});

describe('suggestions for a text', () => {
  const chunks = serializeIndex(buildIndex(DOCS));
  const meta = metaOf(DOCS, chunks, 1, '2026-12-02T00:00:00.000Z');
  let chunkReads = 0;
  const store = {
    getIndexMeta: async () => meta,
    getIndexChunks: async () => {
      chunkReads++;
      return chunks;
    },
  };

  it('names the articles sharing most words with a customer’s message, with their help centre links', async () => {
    const found = await suggestArticles(
      { store, publicUrl: 'https://crm.example.com/' },
      'Hi, I forgot my password and cannot sign in. Please help!',
      2,
    );
    assert.equal(found[0]?.id, '1');
    assert.deepEqual(found[0], {
      id: '1',
      slug: 'reset-your-password',
      title: 'Reset your password',
      url: 'https://crm.example.com/help/articles/reset-your-password',
    });
    assert.ok(found.length <= 2);
    assert.deepEqual(await suggestArticles({ store }, '?!', 3), [], 'no words, no suggestions');
    assert.equal((await suggestArticles({ store }, 'refund', 1))[0]?.url, '/help/articles/refunds');
    assert.equal(chunkReads, 1, 'the index is loaded once while its version stays');
  });
});

describe('help centre pages', () => {
  it('escape what they show and keep the article’s sanitized HTML', () => {
    const article: Article = {
      id: '01JF0000000000000000000000',
      title: '<b>Reset</b> "now"',
      slug: 'reset',
      body: '',
      category: 'A & B',
      status: 'published',
      html: '<p>Safe <strong>text</strong></p>',
      publishedAt: '2026-12-01T00:00:00.000Z',
      helpful: 0,
      notHelpful: 0,
      version: 2,
      createdAt: '2026-12-01T00:00:00.000Z',
      updatedAt: '2026-12-01T00:00:00.000Z',
    };
    const page = renderArticlePage(article);
    assert.match(page, /<h1 id="title">&lt;b&gt;Reset&lt;\/b&gt; &quot;now&quot;<\/h1>/);
    assert.match(page, /<p>Safe <strong>text<\/strong><\/p>/);
    assert.match(page, /<main id="main">/);
    assert.match(page, /<form method="post" action="\/help\/articles\/reset\/feedback">/);
    assert.match(page, /<legend>Was this helpful\?<\/legend>/);
    assert.doesNotMatch(page, /<script/);
    const results = renderSearchPage('<script>', undefined, []);
    assert.doesNotMatch(results, /<script>/);
    assert.match(results, /No articles found for “&lt;script&gt;”/);
  });
});
