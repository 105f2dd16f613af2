/**
 * Search in a real browser against `npm start`: `/` focuses the header's box, typing “love” lists Ada
 * Lovelace (indexed by the companies function from her events) and ↓ + Enter open her page, the
 * keyboard only; Escape closes the list; Enter with no option opens the results screen; a failed
 * search says so and Retry brings the results; the contacts list searches by company; the contact
 * page's Company card puts a contact in a company chosen by name (the CompanyPicker). axe-core finds
 * nothing at 1440 and 390 px with the list open and on the results screen; screenshots at both widths.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { adminClient, eventually, type LocalServer } from '#test/support/local-server.js';
import { checkBothSizes, DESKTOP, expectFocus, PHONE } from './a11y.js';
import { browserSession, SHOTS } from './session.js';

let server: LocalServer;
let page: Page;
browserSession('search', {}, (session) => {
  ({ server, page } = session);
});
const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);

async function shots(name: string) {
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: join(SHOTS, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(DESKTOP);
}

const box = () => page.locator('#global-search');
const list = () => page.getByRole('listbox', { name: 'Search contacts and companies: results' });

describe('search', () => {
  it('reaches a contact from the header with the keyboard only', { timeout: 180_000 }, async () => {
    const company = await api('POST', '/v1/companies', {
      name: 'Analytical Engines',
      domain: 'engines.example',
    });
    assert.equal(company.status, 201);
    const ada = await api('POST', '/v1/contacts', {
      email: 'ada@engines.example',
      firstName: 'Ada',
      lastName: 'Lovelace',
      phone: '+44 20 7946 0958',
    });
    assert.equal(ada.status, 201);
    for (const body of [
      { email: 'ada.byron@example.com', firstName: 'Ada', lastName: 'Byron' },
      { email: 'charles@gmail.com', firstName: 'Charles', lastName: 'Babbage' },
      { email: 'lovell@example.com', firstName: 'Jim', lastName: 'Lovell' },
    ])
      assert.equal((await api('POST', '/v1/contacts', body)).status, 201);
    // The index is kept by the companies function, after the requests answered.
    await eventually(async () => {
      const r = await api('GET', '/v1/search?q=love');
      return r.json.items.some((i: { company?: string }) => i.company === 'Analytical Engines') &&
        r.json.items.length === 2
        ? r
        : undefined;
    }, 30_000);

    await page.goto(`${server.url}/#/contacts`);
    await page.getByLabel('Admin token').fill(server.token);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Contacts' }).waitFor();
    await page.locator('body').focus();

    await page.keyboard.press('/');
    await expectFocus(page, '#global-search');
    await page.keyboard.type('love');
    await list()
      .getByRole('option', { name: /Ada Lovelace/ })
      .waitFor();
    await list()
      .getByRole('option', { name: /Jim Lovell/ })
      .waitFor();
    assert.equal(await box().getAttribute('aria-expanded'), 'true');
    const options = await list().getByRole('option').allTextContents();
    assert.equal(options.length, 3, `two contacts and “All results”: ${options.join(' | ')}`);
    assert.match(options.join(' '), /ada@engines\.example · Analytical Engines/);
    await page.keyboard.press('ArrowDown');
    const active = await box().getAttribute('aria-activedescendant');
    assert.ok(active, 'an option is active');
    assert.equal(await page.locator(`#${active}`).getAttribute('aria-selected'), 'true');
    await checkBothSizes(page, 'the header search, its list open');
    await shots('search-header');
    // Ada Lovelace is first: results come in token order (“lovelace” < “lovell”).
    assert.match((await page.locator(`#${active}`).textContent()) ?? '', /Ada Lovelace/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Ada Lovelace' }).waitFor();
    assert.match(page.url(), new RegExp(`#/contacts/${ada.json.id}$`));
    assert.equal(await box().inputValue(), '', 'the box is cleared after a choice');

    // Escape closes the list; Enter with no option active opens the results screen.
    await page.evaluate('document.activeElement?.blur()');
    await page.keyboard.press('/');
    await expectFocus(page, '#global-search');
    await page.keyboard.type('ada');
    await list()
      .getByRole('option', { name: /Ada Byron/ })
      .waitFor();
    await page.keyboard.press('Escape');
    await list().waitFor({ state: 'hidden' });
    assert.equal(await box().getAttribute('aria-expanded'), 'false');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Search: “ada”' }).waitFor();
    const results = page.locator('.search-results');
    await results.getByRole('link', { name: 'Ada Byron' }).waitFor();
    await results.getByRole('link', { name: 'Ada Lovelace' }).waitFor();
    await checkBothSizes(page, 'the results screen');
    await shots('search-results');
  });

  it('says when a search failed, and Retry finds', { timeout: 60_000 }, async () => {
    await page.route('**/v1/search?*', (route) =>
      route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>Bad gateway</h1>' }),
    );
    await box().focus();
    await page.keyboard.type('babbage');
    await page.getByRole('alert').getByText('Search failed').waitFor();
    await page.unroute('**/v1/search?*');
    await page.keyboard.press('Tab');
    await expectFocus(page, '.combobox-note button');
    await page.keyboard.press('Enter');
    await expectFocus(page, '#global-search');
    await list()
      .getByRole('option', { name: /Charles Babbage/ })
      .waitFor();
    await box().fill('');
  });

  it('searches the contacts list by company, and picks a contact’s company by name', {
    timeout: 90_000,
  }, async () => {
    await page.goto(`${server.url}/#/contacts`);
    await page.getByLabel('Name, company, email or phone').fill('analytical');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'ada@engines.example' }).waitFor();
    assert.equal(await page.locator('.contacts-table tbody tr').count(), 1);
    await page.getByLabel('Name, company, email or phone').fill('7946 0958');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'ada@engines.example' }).waitFor();

    // Charles (free mail: no company) is put in one chosen by name.
    const charles = await api('GET', '/v1/contacts?email=charles@gmail.com');
    await page.goto(`${server.url}/#/contacts/${charles.json.items[0].id}`);
    const picker = page.getByRole('combobox', { name: 'Put in a company' });
    await picker.focus();
    await page.keyboard.type('analyt');
    const companyList = page.getByRole('listbox', { name: 'Put in a company: results' });
    await companyList.getByRole('option', { name: /Analytical Engines/ }).waitFor();
    assert.equal(await companyList.getByRole('option').count(), 1, 'companies only');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    await expectFocus(page, 'button[type=submit]');
    await page.keyboard.press('Enter');
    await page.getByRole('link', { name: 'Analytical Engines' }).waitFor();
    await page.getByText('Added by hand').waitFor();
  });
});
