/**
 * A contact's time zone in a real browser against `npm start`: the hosted form fills it from the
 * visitor's browser (its one script allowed by the page's CSP), and the contact page shows it and
 * changes it, showing a name that is no time zone as the API's error at "Time zone".
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { LocalServer } from '#test/support/local-server.js';
import { checkBothSizes, expectFocus } from './a11y.js';
import { browserSession } from './session.js';

let server: LocalServer;
let browser: Browser;
let page: Page;

browserSession('time-zone', {}, (session) => {
  ({ server, browser, page } = session);
});

const apiCall = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field by the assertions
  const json: any = await res.json();
  return { status: res.status, body: json };
};

describe('a contact’s time zone in the browser', () => {
  it('is filled in by the hosted form from the visitor’s browser, under the page’s CSP', async () => {
    const form = await apiCall('POST', '/v1/forms', {
      name: 'Time zone form',
      fields: ['email'],
      spam: { minFillSeconds: 0 },
    });
    assert.equal(form.status, 201);
    const context = await browser.newContext({ timezoneId: 'Asia/Tokyo' });
    const visitor = await context.newPage();
    const blocked: string[] = [];
    visitor.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) blocked.push(m.text());
    });
    await visitor.goto(`${server.url}/f/${form.body.id}`);
    assert.equal(await visitor.locator('input[name=timeZone]').inputValue(), 'Asia/Tokyo');
    await visitor.getByLabel('email').fill('tokyo@example.com');
    await visitor.getByRole('button', { name: 'Submit' }).click();
    await visitor.getByText(/Thank you/i).waitFor();
    await context.close();
    assert.deepEqual(blocked, [], 'the CSP blocked nothing');

    const found = await apiCall('GET', '/v1/contacts?email=tokyo@example.com');
    assert.equal(found.body.items[0]?.timeZone, 'Asia/Tokyo');
  });

  it('is shown and changed on the contact page, and a name that is none is refused at "Time zone"', async () => {
    const id = (await apiCall('GET', '/v1/contacts?email=tokyo@example.com')).body.items[0].id as string;
    await page.goto(`${server.url}/`);
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Contacts' }).waitFor();
    await page.goto(`${server.url}/#/contacts/${id}`);
    await page.getByRole('heading', { name: 'tokyo@example.com' }).waitFor();
    const card = page.getByRole('form', { name: 'Time zone' });
    await card.getByText('Asia/Tokyo', { exact: true }).waitFor();
    const input = card.getByLabel('Time zone');
    assert.equal(await input.inputValue(), 'Asia/Tokyo');
    // The zones this browser knows are suggested.
    assert.ok((await card.locator('datalist option').count()) > 300);

    await input.fill('Mars/Base');
    await card.getByRole('button', { name: 'Save time zone' }).click();
    await card
      .getByRole('alert')
      .getByText('Time zone must be an IANA time zone such as Europe/Paris')
      .waitFor();

    await input.fill('europe/paris');
    await card.getByRole('button', { name: 'Save time zone' }).click();
    await card.getByText('Europe/Paris', { exact: true }).waitFor();
    assert.equal((await apiCall('GET', `/v1/contacts/${id}`)).body.timeZone, 'Europe/Paris');
    // A keyboard user stays where they were, and is told it was saved.
    await card.getByRole('status').getByText('Time zone saved.').waitFor();
    await expectFocus(page, '#contact-time-zone-input');

    await card.getByLabel('Time zone').fill('');
    await card.getByRole('button', { name: 'Save time zone' }).click();
    await card.getByText('Not set.').waitFor();
    assert.equal((await apiCall('GET', `/v1/contacts/${id}`)).body.timeZone, undefined);

    // The owner card works the same way with a picker of users (owners are users, GET /v1/users).
    const sam = (await apiCall('POST', '/v1/users', { name: 'Sam Seller', email: 'sam@example.com' })).body;
    const kim = (await apiCall('POST', '/v1/users', { name: 'Kim', email: 'kim@example.com' })).body;
    await page.reload();
    const owner = page.getByRole('form', { name: 'Owner' });
    await owner.getByText('Not set.').waitFor();
    await owner.getByLabel('Owner').selectOption({ label: 'Sam Seller' });
    await owner.getByRole('button', { name: 'Save owner' }).click();
    await owner.getByText(sam.id, { exact: true }).waitFor();
    await owner.getByRole('status').getByText('Owner saved.').waitFor();
    await expectFocus(page, '#contact-owner-input');
    assert.equal((await apiCall('GET', `/v1/contacts/${id}`)).body.owner, sam.id);

    // Changed elsewhere meanwhile: refused, read again, the value chosen kept, saved the next time.
    const before = (await apiCall('GET', `/v1/contacts/${id}`)).body;
    const other = await apiCall('PATCH', `/v1/contacts/${id}`, {
      version: before.version,
      lastName: 'Elsewhere',
    });
    assert.equal(other.status, 200);
    await owner.getByLabel('Owner').selectOption({ label: 'Kim' });
    await owner.getByRole('button', { name: 'Save owner' }).click();
    await owner
      .getByRole('alert')
      .getByText(/changed meanwhile/)
      .waitFor();
    await expectFocus(page, '#contact-owner-input');
    assert.equal(await owner.getByLabel('Owner').inputValue(), kim.id);
    await owner.getByRole('button', { name: 'Save owner' }).click();
    await owner.getByRole('status').getByText('Owner saved.').waitFor();
    const after = (await apiCall('GET', `/v1/contacts/${id}`)).body;
    assert.deepEqual([after.owner, after.lastName], [kim.id, 'Elsewhere']);
    await checkBothSizes(page, 'the contact page with its owner');
  });
});
