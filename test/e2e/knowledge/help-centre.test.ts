/**
 * The knowledge base on the local system, as an admin and a reader would use it: an article written
 * and published through the API is found by a word of its body (the help centre's search form and the
 * admin search), its page is served as plain HTML (no script, a POST form for feedback), the reader's
 * "Yes" is counted, an unknown address is a friendly HTML 404, and ArticlePublished reaches the bus.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { adminClient, eventually, type LocalServer, startLocalServer } from '#test/support/local-server.js';

let server: LocalServer;
before(async () => {
  server = await startLocalServer(mkdtempSync(join(tmpdir(), 'tendril-knowledge-')));
});
after(async () => {
  await server?.stop();
});
const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);
const page = async (path: string) => {
  const res = await fetch(`${server.url}${path}`, { headers: { accept: 'text/html' } });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    csp: res.headers.get('content-security-policy'),
    html: await res.text(),
  };
};

describe('the help centre', () => {
  it('publishes an article that search finds by a word of its body, served without JavaScript, with feedback counted', {
    timeout: 60_000,
  }, async () => {
    const created = await api('POST', '/v1/articles', {
      title: 'Change your billing address',
      body: '## Steps\n\nOpen **Settings**, then *Billing*. Invoices follow the new address from the next cycle.\n\n<script>alert(1)</script>',
      category: 'Billing',
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const { id, slug } = created.json as { id: string; slug: string };
    assert.equal(slug, 'change-your-billing-address');
    // A draft is not on the help centre.
    assert.equal((await page(`/help/articles/${slug}`)).status, 404);

    const published = await api('POST', `/v1/articles/${id}/publish`);
    assert.equal(published.status, 200, JSON.stringify(published.json));

    const admin = await api('GET', '/v1/articles/search?q=invoices');
    assert.deepEqual(
      (admin.json.items as Array<{ id: string }>).map((i) => i.id),
      [id],
    );
    const results = await page('/help/search?q=invoic');
    assert.equal(results.status, 200);
    assert.match(
      results.html,
      new RegExp(`<a href="/help/articles/${slug}">Change your billing address</a>`),
    );

    const home = await page('/help');
    assert.equal(home.status, 200);
    assert.match(String(home.type), /^text\/html/);
    assert.match(home.html, /<form class="search" method="get" action="\/help\/search"/);
    assert.match(home.html, /Billing <span class="meta">\(1\)<\/span>/);

    const article = await page(`/help/articles/${slug}`);
    assert.equal(article.status, 200);
    assert.doesNotMatch(article.html, /<script/i, 'no script at all');
    assert.match(String(article.csp), /default-src 'none'/);
    assert.doesNotMatch(String(article.csp), /script-src/);
    assert.match(article.html, /<h2>Steps<\/h2>/);
    assert.match(article.html, /<main id="main">/);
    const form = /<form method="post" action="([^"]+)">/.exec(article.html);
    assert.equal(form?.[1], `/help/articles/${slug}/feedback`);

    // The reader answers Yes as a browser posts the form.
    const answered = await fetch(`${server.url}${form?.[1]}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams({ helpful: 'yes' }),
    });
    assert.equal(answered.status, 200);
    assert.match(await answered.text(), /Thank you for your feedback/);
    const counted = await api('GET', `/v1/articles/${id}`);
    assert.deepEqual([counted.json.helpful, counted.json.notHelpful], [1, 0]);

    const refused = await fetch(`${server.url}${form?.[1]}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: new URLSearchParams({ helpful: 'maybe' }),
    });
    assert.equal(refused.status, 400);
    assert.match(await refused.text(), /Please answer Yes or No/);

    const missing = await page('/help/articles/no-such-article');
    assert.equal(missing.status, 404);
    assert.match(missing.html, /We could not find that article/);
    assert.equal((await page('/help/articles/NOT%20A%20SLUG')).status, 404);

    await eventually(async () => {
      const text = JSON.stringify((await api('GET', '/_local/events')).json);
      return text.includes('ArticlePublished') && text.includes(id) ? true : undefined;
    });
  });

  it('answers bad admin input with a clear 4xx, never a 500', async () => {
    const bad = await api('POST', '/v1/articles', { title: '', body: 5, slug: 'Not A Slug' });
    assert.equal(bad.status, 400);
    const paths = (bad.json.error.details as Array<{ path: string }>).map((d) => d.path).sort();
    assert.deepEqual(paths, ['body', 'slug', 'title']);
    assert.equal((await api('GET', '/v1/articles/not-an-id')).status, 400);
    assert.equal((await api('POST', '/v1/articles/01JF0000000000000000000000/publish')).status, 404);
    const stale = await api('POST', '/v1/articles', { title: 'Versioned', body: 'x' });
    const put = await api('PUT', `/v1/articles/${stale.json.id}`, {
      title: 'Versioned',
      body: 'y',
      version: 7,
    });
    assert.equal(put.status, 409);
    assert.equal(put.json.error.code, 'version_conflict');
  });
});
