/**
 * The company page's deals, custom fields and timeline in a real browser against `npm start`, from
 * the keyboard: a deal with no contact is linked with the deal picker (found by words of its title),
 * shown beside a person's deal with totals per currency kept apart, then unlinked; a number field is
 * defined and a value typed inline (a misfit said beside the field, then saved); a note is logged;
 * the timeline shows them newest first under "Today". The timeline failing to load shows an error
 * with Retry. axe-core finds nothing at 1440 and 390 px; screenshots at both widths.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { adminClient, eventually, type LocalServer } from '#test/support/local-server.js';
import { checkBothSizes, expectFocus } from './a11y.js';
import { browserSession, shotBothSizes } from './session.js';

let server: LocalServer;
let page: Page;
browserSession('company-page', {}, (session) => {
  ({ server, page } = session);
});
const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);

describe('the company page', () => {
  it('links deals, edits custom fields and keeps a timeline', { timeout: 180_000 }, async () => {
    const company = await api('POST', '/v1/companies', {
      name: 'Wayne Enterprises',
      domain: 'wayne.example',
    });
    assert.equal(company.status, 201);
    const bruce = await api('POST', '/v1/contacts', { email: 'bruce@gmail.com', firstName: 'Bruce' });
    assert.equal(bruce.status, 201);
    const put = await api('PUT', `/v1/companies/${company.json.id}/contacts/${bruce.json.id}`);
    assert.equal(put.status, 200);
    const pipeline = await api('POST', '/v1/pipelines', {
      name: 'Enterprise',
      stages: [
        { name: 'Qualified', probability: 0.3 },
        { name: 'Won', probability: 1 },
      ],
    });
    const deal = (body: Record<string, unknown>) =>
      api('POST', '/v1/deals', { pipelineId: pipeline.json.id, stage: 'Qualified', ...body });
    assert.equal((await deal({ title: 'Batmobile fleet', amount: 90000, currency: 'USD' })).status, 201);
    assert.equal((await deal({ title: 'Cave lighting', amount: 1200, currency: 'USD' })).status, 201);
    const his = await deal({
      title: 'Gotham sponsorship',
      amount: 5000,
      currency: 'EUR',
      contactId: bruce.json.id,
    });
    assert.equal(his.status, 201);

    await page.goto(`${server.url}/#/companies/${company.json.id}`);
    await page.getByLabel('Admin token').fill(server.token);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Wayne Enterprises' }).waitFor();
    // The person's deal comes through the consumer's index of a contact's deals.
    await eventually(async () => {
      const view = await api('GET', `/v1/companies/${company.json.id}`);
      return view.json.deals.length === 1 ? true : undefined;
    }, 30_000);
    await page.reload();
    const deals = page.getByRole('list', { name: 'Deals' });
    await deals.getByRole('link', { name: 'Gotham sponsorship' }).waitFor();

    // Link a deal from the keyboard: the picker, narrowed by a word of the title.
    await page.getByRole('button', { name: 'Link a deal' }).press('Enter');
    await expectFocus(page, '#link-deal-title');
    await page.locator('#link-deal-words').focus();
    await page.keyboard.type('batmobile');
    const pick = page.getByRole('list', { name: 'Deals to link' });
    await pick.getByRole('button', { name: 'Link Batmobile fleet' }).waitFor();
    assert.equal(
      await pick.getByRole('button', { name: 'Link Cave lighting' }).count(),
      0,
      'narrowed by title',
    );
    await checkBothSizes(page, 'the deal picker');
    await pick.getByRole('button', { name: 'Link Batmobile fleet' }).press('Enter');
    await page.getByRole('status').getByText('Batmobile fleet linked to Wayne Enterprises.').waitFor();
    await expectFocus(page, '#company-link-deal');
    await deals.getByRole('link', { name: 'Batmobile fleet' }).waitFor();
    const totals = page.getByLabel('Deal totals by currency');
    await totals.getByText(/€5,000\.00 in 1 deal/).waitFor();
    await totals.getByText(/\$90,000\.00 in 1 deal/).waitFor();

    // A custom field, defined then edited inline.
    await page.getByRole('button', { name: 'Define a field' }).press('Enter');
    await expectFocus(page, '#define-field-label');
    await page.keyboard.type('Employees');
    await page.locator('#define-field-name').fill('employees');
    await page.locator('#define-field-type').selectOption('number');
    await page.getByRole('button', { name: 'Define field' }).press('Enter');
    await page.getByRole('status').getByText('Field Employees defined.').waitFor();
    await page.getByRole('button', { name: 'Edit Employees' }).press('Enter');
    await expectFocus(page, '#company-field-employees');
    await page.keyboard.type('12e');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').getByText('Employees must be a number').waitFor();
    await page.locator('#company-field-employees').fill('1200');
    await page.keyboard.press('Enter');
    await page.getByRole('status').getByText('Employees saved.').waitFor();
    await expectFocus(page, '#company-field-employees-edit');
    const saved = await api('GET', `/v1/companies/${company.json.id}`);
    assert.deepEqual(saved.json.company.fields, { employees: 1200 });

    // A note on the timeline.
    await page.locator('#company-note').focus();
    await page.keyboard.type('Lunch with Lucius about the fleet.');
    await page.getByRole('button', { name: 'Log note' }).press('Enter');
    const timeline = page.getByRole('list', { name: 'Company timeline' });
    await timeline.getByText('Lunch with Lucius about the fleet.').waitFor();
    await page.getByRole('heading', { level: 3, name: 'Today' }).waitFor();
    const heads = await timeline.locator('.timeline-head strong').allTextContents();
    assert.deepEqual(heads.slice(0, 4), ['Note', 'Edited', 'Deal linked', 'Person joined'], 'newest first');
    assert.equal(heads.at(-1), 'Created');
    await timeline.getByText('Batmobile fleet').waitFor();
    await checkBothSizes(page, 'a company page with deals, fields and a timeline');
    await shotBothSizes(page, 'company-page');

    // Unlinked.
    await page.getByRole('button', { name: 'Unlink Batmobile fleet from Wayne Enterprises' }).press('Enter');
    await page.getByRole('status').getByText('Batmobile fleet unlinked from Wayne Enterprises.').waitFor();
    await deals.getByRole('link', { name: 'Batmobile fleet' }).waitFor({ state: 'detached' });
    await expectFocus(page, '#company-deals-title');
    await timeline.getByText('Deal unlinked').waitFor();

    // The timeline failing: an error with Retry.
    await page.route('**/timeline?*', (route) =>
      route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>Bad gateway</h1>' }),
    );
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Wayne Enterprises' }).waitFor();
    const section = page.getByRole('region', { name: 'Timeline' });
    await section.getByText('HTTP 502').waitFor();
    await page.unroute('**/timeline?*');
    await section.getByRole('button', { name: 'Retry' }).press('Enter');
    await timeline.getByText('Lunch with Lucius about the fleet.').waitFor();
  });
});
