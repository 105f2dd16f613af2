/**
 * The knowledge base in a real browser against `npm start`: the admin's list fails to load and
 * Retry brings it (empty); an article is written from the keyboard with its live preview (the
 * script in its Markdown is not in it), created, published, and found on the public help centre by a
 * visitor with JavaScript turned off, who searches by a word of its body, reads it and answers "Yes"
 * (counted, and shown in the admin list); the article is unpublished and deleted after a confirm.
 * axe-core finds nothing at 1440 and 390 px, on the admin screen and on the help centre pages.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { adminClient, type LocalServer } from '#test/support/local-server.js';
import { checkBothSizes, DESKTOP, expectFocus, PHONE } from './a11y.js';
import { browserSession, SHOTS } from './session.js';

let server: LocalServer;
let page: Page;
let browser: Browser;
browserSession('knowledge-base', {}, (session) => {
  ({ server, page, browser } = session);
});
const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);

let visitorContext: BrowserContext | undefined;
let checkerContext: BrowserContext | undefined;
after(async () => {
  await visitorContext?.close();
  await checkerContext?.close();
});
/** The help centre has no script: axe runs in another browser with JavaScript on. */
async function checkPublicPage(url: string, where: string) {
  checkerContext ??= await browser.newContext({ viewport: DESKTOP });
  const checker = await checkerContext.newPage();
  await checker.goto(url);
  await checkBothSizes(checker, where);
  await checker.close();
}

describe('knowledge base', () => {
  it('lists articles after a failed load and Retry, and writes one from the keyboard with a live preview', {
    timeout: 120_000,
  }, async () => {
    await page.route('**/v1/articles?*', (route) =>
      route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>Bad gateway</h1>' }),
    );
    await page.goto(`${server.url}/#/knowledge`);
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('link', { name: 'Knowledge base' }).waitFor();
    await page.getByRole('alert').getByText('HTTP 502').waitFor();
    await checkBothSizes(page, 'the knowledge base failing to load');
    await page.unroute('**/v1/articles?*');
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.getByText('No articles yet.').waitFor();

    await page.getByRole('button', { name: 'New article' }).press('Enter');
    await expectFocus(page, '#kb-edit-title');
    await page.keyboard.type('Change your billing address');
    assert.equal(await page.locator('#kb-edit-slug').inputValue(), 'change-your-billing-address');
    await page.locator('#kb-edit-category').focus();
    await page.keyboard.type('Billing');
    await page.locator('#kb-edit-body').focus();
    await page.keyboard.type(
      '## Steps\n\nOpen **Settings**, then Billing. Invoices follow the new address.\n\n<script>alert(1)</script>',
    );
    const preview = page.locator('.kb-preview');
    await preview.locator('strong', { hasText: 'Settings' }).waitFor();
    await preview.getByRole('heading', { name: 'Steps' }).waitFor();
    assert.equal(await preview.locator('script').count(), 0, 'the preview is sanitized');
    await page.getByRole('button', { name: 'Create draft' }).press('Enter');
    await page
      .getByRole('status')
      .getByText('Article “Change your billing address” created as a draft.')
      .waitFor();
    const row = page.getByRole('listitem').filter({ hasText: 'Change your billing address' });
    await row.getByText('Draft', { exact: true }).waitFor();
    await checkBothSizes(page, 'the knowledge base with a draft');

    await page.getByRole('button', { name: 'Publish', exact: true }).press('Enter');
    await page.getByRole('status').getByText('“Change your billing address” is published.').waitFor();
    await row.getByText('Published', { exact: true }).waitFor();
    await expectFocus(page, '#kb-unpublish');
    await page.getByRole('link', { name: 'View in the help centre' }).waitFor();
    await checkBothSizes(page, 'the knowledge base with a published article');
    await page.screenshot({ path: join(SHOTS, 'knowledge-base.png'), fullPage: true });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: join(SHOTS, 'knowledge-base-phone.png'), fullPage: true });
    await page.setViewportSize(DESKTOP);
  });

  it('is found, read and answered on the help centre with JavaScript off', { timeout: 90_000 }, async () => {
    visitorContext = await browser.newContext({ javaScriptEnabled: false, viewport: PHONE });
    const visitor = await visitorContext.newPage();
    await visitor.goto(`${server.url}/help`);
    await visitor.getByRole('heading', { name: 'How can we help?' }).waitFor();
    await visitor.getByRole('link', { name: /Billing/ }).waitFor();
    await visitor.screenshot({ path: join(SHOTS, 'help-centre-phone.png'), fullPage: true });
    await visitor.getByLabel('Search the help centre').fill('invoices');
    await visitor.getByRole('button', { name: 'Search' }).click();
    await visitor.getByRole('heading', { name: 'Results for “invoices”' }).waitFor();
    await visitor.getByRole('link', { name: 'Change your billing address' }).click();
    await visitor.getByRole('heading', { level: 1, name: 'Change your billing address' }).waitFor();
    await visitor.getByRole('heading', { name: 'Steps' }).waitFor();
    await visitor.screenshot({ path: join(SHOTS, 'help-article-phone.png'), fullPage: true });
    const articleUrl = visitor.url();
    await visitor
      .getByRole('group', { name: 'Was this helpful?' })
      .getByRole('button', { name: 'Yes' })
      .click();
    await visitor.getByRole('heading', { name: 'Thank you for your feedback' }).waitFor();
    await visitor.screenshot({ path: join(SHOTS, 'help-thanks-phone.png'), fullPage: true });

    const [article] = (await api('GET', '/v1/articles')).json.items as Array<{ helpful: number }>;
    assert.equal(article?.helpful, 1);
    await checkPublicPage(`${server.url}/help`, 'the help centre');
    await checkPublicPage(`${server.url}/help/search?q=invoices`, 'the help centre search');
    await checkPublicPage(articleUrl, 'a help centre article');
    await checkPublicPage(`${server.url}/help/articles/missing`, 'the help centre 404');
    checkerContext ??= await browser.newContext({ viewport: DESKTOP });
    const desk = await checkerContext.newPage();
    await desk.goto(articleUrl);
    await desk.screenshot({ path: join(SHOTS, 'help-article.png'), fullPage: true });
    await desk.close();
  });

  it('shows the feedback, unpublishes, and deletes after a confirm', { timeout: 60_000 }, async () => {
    await page.reload();
    const row = page.getByRole('listitem').filter({ hasText: 'Change your billing address' });
    await row.getByText('1 helpful · 0 not helpful', { exact: false }).waitFor();
    await row.getByRole('button', { name: 'Change your billing address' }).click();
    await expectFocus(page, '#kb-edit-title');
    await page.getByRole('button', { name: 'Unpublish' }).click();
    await page.getByRole('status').getByText('“Change your billing address” is a draft again.').waitFor();
    assert.equal((await fetch(`${server.url}/help/articles/change-your-billing-address`)).status, 404);
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await expectFocus(page, '#kb-keep');
    await checkBothSizes(page, 'the delete confirm');
    await page.getByRole('button', { name: 'Delete now' }).click();
    await page.getByRole('status').getByText('Article “Change your billing address” deleted.').waitFor();
    await page.getByText('No articles yet.').waitFor();
    await expectFocus(page, '#kb-list-title');
  });
});
