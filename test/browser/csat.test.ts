/**
 * CSAT in a real browser against `npm start`: a resolved case's survey link, opened with JavaScript
 * off, records the rating and shows the thank-you page; the comment is written in its labelled field
 * and sent; a forged link gets a friendly page; a machine (a mail scanner) is asked to confirm and
 * records nothing; the admin case page and the inbox show the rating.
 * axe-core finds nothing at 1440 and 390 px on the public pages and the case page.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { adminClient, eventually, type LocalServer, outbox } from '#test/support/local-server.js';
import { checkBothSizes, DESKTOP, PHONE } from './a11y.js';
import { browserSession, PERSON_CHROME, SHOTS } from './session.js';

let server: LocalServer;
let page: Page;
let browser: Browser;
browserSession('csat', {}, (session) => {
  ({ server, page, browser } = session);
});
const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);

let visitorContext: BrowserContext | undefined;
let checkerContext: BrowserContext | undefined;
after(async () => {
  await visitorContext?.close();
  await checkerContext?.close();
});
/** The CSAT pages have no script: axe runs in another browser with JavaScript on. */
async function checkPublicPage(url: string, where: string) {
  checkerContext ??= await browser.newContext({ viewport: DESKTOP, userAgent: PERSON_CHROME });
  const checker = await checkerContext.newPage();
  await checker.goto(url);
  await checkBothSizes(checker, where);
  await checker.close();
}

describe('CSAT pages', () => {
  it('rate with one click and comment with JavaScript off; the case shows the rating', {
    timeout: 120_000,
  }, async () => {
    const customer = 'barbara@example.com';
    const opened = await api('POST', '/v1/cases', {
      subject: 'Cannot export contacts',
      email: customer,
      text: 'The export button does nothing.',
    });
    assert.equal(opened.status, 201);
    assert.equal((await api('PATCH', `/v1/cases/${opened.json.id}`, { status: 'resolved' })).status, 200);
    const [survey] = await eventually(async () => {
      const sent = await outbox(server, customer);
      return sent.length ? sent : undefined;
    }, 30_000);
    const links = [...String(survey?.body?.text).matchAll(/(http:\/\/\S+\/csat\/\S+)/g)].map((m) =>
      String(m[1]),
    );
    assert.equal(links.length, 5);

    visitorContext = await browser.newContext({
      javaScriptEnabled: false,
      viewport: PHONE,
      userAgent: PERSON_CHROME,
    });
    const visitor = await visitorContext.newPage();
    await visitor.goto(String(links[4]));
    await visitor.getByRole('heading', { name: 'Thank you for your feedback' }).waitFor();
    await visitor.getByText('5 out of 5 (Very happy)').waitFor();
    await visitor.screenshot({ path: join(SHOTS, 'csat-rated-phone.png'), fullPage: true });
    await visitor.getByLabel('Anything you would like to add? (optional)').fill('Fixed within the hour.');
    await visitor.getByRole('button', { name: 'Send comment' }).click();
    await visitor.getByRole('heading', { name: 'Thank you for your comment' }).waitFor();
    await checkPublicPage(String(links[4]), 'the CSAT thank-you page');
    await checkPublicPage(`${String(links[2]).slice(0, -3)}xyz`, 'a forged CSAT link');

    // A mail scanner opening the links (headless Chromium: a machine) is asked to confirm; its visit
    // records nothing.
    const scanner = await browser.newPage({ viewport: DESKTOP });
    await scanner.goto(String(links[1]));
    await scanner.getByRole('heading', { name: 'Confirm your rating' }).waitFor();
    await scanner.getByText('2 out of 5 (Unhappy)').waitFor();
    await checkBothSizes(scanner, 'the CSAT confirm page');
    await scanner.screenshot({ path: join(SHOTS, 'csat-confirm.png') });
    await scanner.close();
    assert.equal((await api('GET', `/v1/cases/${opened.json.id}`)).json.case.rating.score, 5);

    await page.goto(`${server.url}/#/cases/${opened.json.id}`);
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Customer rating:').waitFor();
    assert.match(
      String(await page.locator('.case-rating').textContent()),
      /5\/5 — “Fixed within the hour\.”/,
    );
    await checkBothSizes(page, 'a rated case');
    await page.goto(`${server.url}/#/cases/queue/resolved`);
    await page.locator('.case-row').getByText('Customer rating 5/5').waitFor();
  });
});
