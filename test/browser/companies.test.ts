/**
 * Companies in a real browser against `npm start`: the list fails to load and Retry brings it
 * (empty); a company is created from the keyboard (its web address taken to its domain) and gathers
 * the contact already at that domain (the companies consumer on the local bus), not the free-mail
 * one; that one is added by hand with the picker; a contact's lifecycle stage and deal show on the
 * company page; the contact page's Company card links to it; the company is searched by name
 * prefix, edited, a person removed, and it is deleted after a confirmation. The list shows company
 * fields as columns chosen from the keyboard (values by type), kept after a reload. axe-core finds
 * nothing at 1440 and 390 px on the list (its columns panel open too) and the company page;
 * screenshots at both widths.
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
browserSession('companies', {}, (session) => {
  ({ server, page } = session);
});
const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);

/** Reloads the page until `text` shows (the consumer works after the request answered). */
async function reloadUntil(text: string, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await page.getByText(text).first().isVisible()) return;
    if (Date.now() > end) assert.fail(`“${text}” never showed`);
    await page.waitForTimeout(500);
    await page.reload();
    await page.getByRole('heading', { level: 1 }).waitFor();
  }
}

async function shots(name: string) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: join(SHOTS, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(DESKTOP);
}

describe('companies', () => {
  it('are created, gather their domain’s people, show stage and deals, and are edited and deleted', {
    timeout: 180_000,
  }, async () => {
    const ada = await api('POST', '/v1/contacts', {
      email: 'ada@acme.example',
      firstName: 'Ada',
      lastName: 'Lovelace',
    });
    const bob = await api('POST', '/v1/contacts', { email: 'bob@gmail.com', firstName: 'Bob' });
    assert.equal(ada.status, 201);
    assert.equal(bob.status, 201);

    await page.route('**/v1/companies?*', (route) =>
      route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>Bad gateway</h1>' }),
    );
    await page.goto(`${server.url}/#/companies`);
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('HTTP 502').waitFor();
    await page.unroute('**/v1/companies?*');
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.getByText('No companies yet').waitFor();
    await checkBothSizes(page, 'the companies list, empty');

    // Created from the keyboard.
    await page.locator('#company-name').focus();
    await page.keyboard.type('Acme Rockets');
    await page.keyboard.press('Tab');
    await page.keyboard.type('https://www.ACME.example/about');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Aerospace');
    await page.locator('#company-size').selectOption('51-200');
    await page.getByRole('button', { name: 'Create company' }).press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Acme Rockets' }).waitFor();
    await page.getByText('acme.example', { exact: true }).waitFor();
    await reloadUntil('Ada Lovelace');
    assert.equal(await page.getByText('bob@gmail.com').count(), 0, 'free mail joins nothing by itself');

    // Bob is added by hand with the picker.
    await page.locator('#company-add-person').focus();
    await page.keyboard.type('bob');
    await page.getByRole('option', { name: /Bob/ }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.getByRole('status').getByText('Bob added to Acme Rockets.').waitFor();
    await expectFocus(page, '#company-add-person');
    await page.getByText('bob@gmail.com · added by hand').waitFor();

    // Ada's stage and deal.
    await api('PUT', `/v1/contacts/${ada.json.id}/lifecycle-stage`, { stage: 'opportunity' });
    const pipeline = await api('POST', '/v1/pipelines', {
      name: 'New business',
      stages: [
        { name: 'Qualified', probability: 0.3 },
        { name: 'Won', probability: 1 },
      ],
    });
    assert.equal(pipeline.status, 201);
    const deal = await api('POST', '/v1/deals', {
      title: 'Rocket fuel contract',
      amount: 12000,
      currency: 'EUR',
      pipelineId: pipeline.json.id,
      stage: 'Qualified',
      contactId: ada.json.id,
    });
    assert.equal(deal.status, 201);
    await reloadUntil('Rocket fuel contract');
    await page.getByText('Lifecycle stage: Opportunity').waitFor();
    await checkBothSizes(page, 'a company page with people and a deal');
    await shots('company');

    // The contact page's card.
    await page.goto(`${server.url}/#/contacts/${ada.json.id}`);
    const card = page.getByRole('region', { name: 'Company' });
    await card.getByRole('link', { name: 'Acme Rockets' }).waitFor();
    await card.getByText('By its email’s domain').waitFor();
    await page.screenshot({ path: join(SHOTS, 'contact-company.png'), fullPage: true });
    await card.getByRole('link', { name: 'Acme Rockets' }).click();
    await page.getByRole('heading', { level: 1, name: 'Acme Rockets' }).waitFor();

    // Edited, then Bob removed.
    await page.getByRole('button', { name: 'Edit' }).press('Enter');
    await expectFocus(page, '#edit-name');
    await page.locator('#edit-industry').fill('Space launch');
    await page.getByRole('button', { name: 'Save' }).press('Enter');
    await page.getByRole('status').getByText('Company saved.').waitFor();
    await page.getByText('Space launch').waitFor();

    // Someone else changes the phone while the form is open: the save is refused, and after the
    // reload the form shows their phone and keeps this edit; saving again writes only this edit.
    const companyId = String(page.url().split('/').pop());
    await page.getByRole('button', { name: 'Edit' }).press('Enter');
    const current = (await api('GET', `/v1/companies/${companyId}`)).json.company;
    const other = await api('PATCH', `/v1/companies/${companyId}`, {
      version: current.version,
      phone: '+33 1 23 45 67 89',
    });
    assert.equal(other.status, 200, JSON.stringify(other.json));
    await page.locator('#edit-industry').fill('Rockets');
    await page.getByRole('button', { name: 'Save' }).press('Enter');
    await page.getByText('Someone else changed this company after you opened it.').waitFor();
    await page.getByRole('button', { name: 'Reload the company' }).press('Enter');
    await expectFocus(page, '#edit-name');
    await eventually(async () =>
      (await page.locator('#edit-phone').inputValue()) === '+33 1 23 45 67 89' ? true : undefined,
    );
    assert.equal(await page.locator('#edit-industry').inputValue(), 'Rockets');
    await checkBothSizes(page, 'a company edited meanwhile, reloaded');
    await page.getByRole('button', { name: 'Save' }).press('Enter');
    await page.getByRole('status').getByText('Company saved.').waitFor();
    const saved = (await api('GET', `/v1/companies/${companyId}`)).json.company;
    assert.deepEqual([saved.industry, saved.phone], ['Rockets', '+33 1 23 45 67 89'], 'both changes kept');
    await page.getByRole('button', { name: 'Remove Bob from Acme Rockets' }).press('Enter');
    await page.getByRole('status').getByText('Bob removed from Acme Rockets.').waitFor();
    await page.getByText('bob@gmail.com').waitFor({ state: 'detached' });
    await expectFocus(page, '#company-people-title');

    // The list: a second company, a name search.
    await api('POST', '/v1/companies', { name: 'Globex' });
    await page.goto(`${server.url}/#/companies`);
    await page.getByRole('link', { name: 'Globex' }).waitFor();
    // The whole list (its region and the screen's each named once: axe's landmark-unique).
    await page.getByRole('link', { name: 'Acme Rockets' }).waitFor();
    await checkBothSizes(page, 'the companies list with companies');
    await shots('companies-all');

    // Company fields as columns: two fields defined and set, chosen from the keyboard, shown by
    // their type, and kept after a reload.
    for (const field of [
      { name: 'arr', label: 'Annual revenue', type: 'number' },
      { name: 'partner', label: 'Partner', type: 'boolean' },
    ])
      assert.equal((await api('POST', '/v1/company-fields', field)).status, 201);
    const acme = (await api('GET', `/v1/companies/${companyId}`)).json.company;
    const withFields = await api('PATCH', `/v1/companies/${companyId}`, {
      version: acme.version,
      fields: { arr: '1250000', partner: 'yes' },
    });
    assert.equal(withFields.status, 200, JSON.stringify(withFields.json));
    const listed = await api('GET', '/v1/companies?limit=25');
    assert.deepEqual(
      listed.json.items.find((c: { id: string }) => c.id === companyId)?.fields,
      { arr: 1250000, partner: true },
      'the list API returns the fields',
    );
    await page.reload();
    const companyTable = page.getByRole('region', { name: /^Company list/ }).getByRole('table');
    await companyTable.getByRole('link', { name: 'Acme Rockets' }).waitFor();
    const columns = page.getByRole('button', { name: /^Columns/ });
    assert.equal(await columns.getAttribute('aria-expanded'), 'false');
    await columns.press('Enter');
    const panel = page.getByRole('group', { name: 'Columns shown' });
    await panel.waitFor();
    await panel.getByLabel('Annual revenue').focus();
    await page.keyboard.press('Space');
    await panel.getByLabel('Partner').focus();
    await page.keyboard.press('Space');
    await panel.getByLabel('Industry').focus();
    await page.keyboard.press('Space');
    await checkBothSizes(page, 'the companies list’s columns panel');
    await shots('companies-columns-panel');
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
    await expectFocus(page, '.columns-control > button');
    const headers = async () => (await companyTable.locator('th').allInnerTexts()).map((h) => h.trim());
    assert.deepEqual(await headers(), ['Name', 'Domain', 'Size', 'Annual revenue', 'Partner']);
    const acmeRow = companyTable.getByRole('row').filter({ hasText: 'Acme Rockets' });
    const cells = async (row: typeof acmeRow) =>
      (await row.locator('td').allInnerTexts()).map((c) => c.replace(/\s+/g, ' ').trim());
    assert.deepEqual(await cells(acmeRow), [
      'Acme Rockets',
      'acme.example',
      '51-200',
      (1250000).toLocaleString('en-US'),
      'Yes',
    ]);
    const globexRow = companyTable.getByRole('row').filter({ hasText: 'Globex' });
    assert.deepEqual(await cells(globexRow), ['Globex', '', '', '— not set', '— not set']);
    await page.reload();
    await companyTable.getByRole('link', { name: 'Acme Rockets' }).waitFor();
    assert.deepEqual(await headers(), ['Name', 'Domain', 'Size', 'Annual revenue', 'Partner'], 'kept');
    await checkBothSizes(page, 'the companies list with field columns');
    await shots('companies-columns');
    await page.locator('#company-search').fill('acme r');
    await page.getByRole('link', { name: 'Acme Rockets' }).waitFor();
    await page.getByRole('link', { name: 'Globex' }).waitFor({ state: 'detached' });
    await checkBothSizes(page, 'the companies list, searched');
    await shots('companies');

    // Deleted after a confirmation.
    await page.getByRole('link', { name: 'Acme Rockets' }).click();
    await page.getByRole('button', { name: 'Delete company' }).press('Enter');
    await expectFocus(page, '#company-delete-confirm');
    await page.getByRole('button', { name: 'Keep it' }).press('Enter');
    await expectFocus(page, '#company-delete');
    await page.getByRole('button', { name: 'Delete company' }).press('Enter');
    await page.getByRole('button', { name: 'Yes, delete Acme Rockets' }).press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Companies' }).waitFor();
    await page.getByRole('link', { name: 'Globex' }).waitFor();
    assert.equal(await page.getByRole('link', { name: 'Acme Rockets' }).count(), 0);
    assert.equal((await api('GET', `/v1/contacts/${ada.json.id}/company`)).status, 200);
  });
});
