/**
 * The contacts list as a list people work from, in a real browser against `npm start`, from the
 * keyboard only: its total ("27 contacts", a tag's), the order chosen from the Created header (a
 * button with aria-sort) or the Order select, by name from the Name header (A to Z, Z to A; not a tag), the columns chosen (a custom field by its label; kept in
 * the browser), saved views (saved, opened from the select and from the address after a reload,
 * changed, renamed, a stale rename refused, deleted after a confirm step). axe-core finds nothing and
 * nothing overflows at 1440 and 390 px.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { adminClient, eventually, type LocalServer } from '#test/support/local-server.js';
import { checkBothSizes, DESKTOP, expectFocus, PHONE } from './a11y.js';
import { browserSession, SHOTS } from './session.js';

let server: LocalServer;
let page: Page;
browserSession('contact-list', {}, (session) => {
  ({ server, page } = session);
});

const table = () => page.getByRole('table', { name: 'Contacts' });
const count = () => page.locator('#contacts-count');
const headers = async () =>
  (await table().getByRole('columnheader').allInnerTexts()).map((h) => h.replace(/[▲▼]/g, '').trim());
const emails = async () => table().locator('td.email').allInnerTexts();
const viewSelect = () => page.getByLabel('View', { exact: true });
const chosen = async (select: Locator) => (await select.locator('option:checked').innerText()).trim();
/** Waits until the view select shows `name` (the views load beside the list). */
const viewShown = (name: string) =>
  viewSelect()
    .locator('option:checked', { hasText: new RegExp(`^${name}$`) })
    .waitFor({ state: 'attached' });

/** Moves a focused select to the option labelled `label` with the arrow keys (each move applies it). */
async function chooseByKeys(select: Locator, label: string) {
  await select.focus();
  const labels = (await select.locator('option').allInnerTexts()).map((l) => l.trim());
  const target = labels.indexOf(label);
  assert.ok(target >= 0, `${label} is not one of ${labels.join(', ')}`);
  const at = labels.indexOf(await chosen(select));
  for (let i = at; i !== target; i += target > at ? 1 : -1)
    await page.keyboard.press(target > at ? 'ArrowDown' : 'ArrowUp');
  assert.equal(await chosen(select), label);
}

async function shot(name: string) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: join(SHOTS, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(DESKTOP);
}

describe('the contacts list', () => {
  const made: string[] = [];

  it('says how many contacts there are and sorts them from the Created header', {
    timeout: 120_000,
  }, async () => {
    const api = adminClient(server);
    const field = await api('POST', '/v1/fields', {
      name: 'plan',
      label: 'Plan',
      type: 'select',
      options: ['Free', 'Pro'],
    });
    assert.equal(field.status, 201, JSON.stringify(field.json));
    for (let i = 0; i < 27; i++) {
      const email = `person${String(i).padStart(2, '0')}@example.com`;
      const webinar = i % 7 === 0;
      const res = await api('POST', '/v1/contacts', {
        email,
        firstName: `Person ${i}`,
        company: webinar ? 'Acme' : 'Globex',
        ...(webinar ? { tags: ['webinar'], fields: { plan: i === 21 ? 'Pro' : 'Free' } } : {}),
      });
      assert.equal(res.status, 201, JSON.stringify(res.json));
      made.push(email);
    }
    await page.goto(`${server.url}/#/contacts`);
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByLabel('Admin token').press('Enter');
    // The total comes from the counters the events keep: a moment behind the creations.
    await count().getByText('27 contacts', { exact: true }).waitFor({ timeout: 30_000 });
    await table().getByRole('row').nth(25).waitFor();
    assert.deepEqual((await emails()).slice(0, 2), [made[26], made[25]], 'newest first');
    const created = table().getByRole('columnheader', { name: 'Created' });
    assert.equal(await created.getAttribute('aria-sort'), 'descending');
    await checkBothSizes(page, 'the contacts list with its total');

    // The header is a button: Enter sorts oldest first, across pages, and the address keeps it.
    await created.getByRole('button', { name: 'Created' }).press('Enter');
    await table()
      .locator('td.email')
      .first()
      .getByText(made[0] as string)
      .waitFor();
    assert.equal(await created.getAttribute('aria-sort'), 'ascending');
    assert.match(page.url(), /#\/contacts\?sort=created$/);
    assert.equal(await page.getByLabel('Order').inputValue(), 'created');
    await page.getByRole('button', { name: 'Next' }).press('Enter');
    await table()
      .locator('td.email')
      .first()
      .getByText(made[25] as string)
      .waitFor();
    assert.deepEqual(await emails(), [made[25], made[26]]);
    await page.reload();
    await table()
      .locator('td.email')
      .first()
      .getByText(made[0] as string)
      .waitFor();
    // The Order select does the same (the Created column is hidden on a phone).
    await chooseByKeys(page.getByLabel('Order'), 'Newest first');
    await table()
      .locator('td.email')
      .first()
      .getByText(made[26] as string)
      .waitFor();
    assert.equal(await created.getAttribute('aria-sort'), 'descending');
    await shot('contact-list');
  });

  it('sorts every contact by name from the Name header, A to Z then Z to A, but not a tag', {
    timeout: 120_000,
  }, async () => {
    // The order the name index gives (names folded, compared as strings): person 0, 1, 10 … 19, 2, 20 …
    const key = (i: number) => `person ${i}`;
    const byName = made
      .map((email, i) => ({ email, k: key(i) }))
      .sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0))
      .map((x) => x.email);
    const reversed = [...byName].reverse();
    // The search consumer keeps the index a moment behind the creations: wait until it has them all.
    const api = adminClient(server);
    await eventually(async () => {
      const res = await api('GET', '/v1/contacts?sort=name&limit=50');
      return res.json.items.length === made.length ? true : undefined;
    }, 30_000);
    const name = table().getByRole('columnheader', { name: 'Name' });
    const created = table().getByRole('columnheader', { name: 'Created' });
    assert.equal(await name.getAttribute('aria-sort'), null, 'not the order shown');
    await name.getByRole('button', { name: 'Name' }).press('Enter');
    await table()
      .locator('td.email')
      .first()
      .getByText(byName[0] as string)
      .waitFor();
    assert.deepEqual(await emails(), byName.slice(0, 25));
    assert.equal(await name.getAttribute('aria-sort'), 'ascending');
    assert.equal(await created.getAttribute('aria-sort'), null);
    assert.match(page.url(), /#\/contacts\?sort=name$/);
    assert.equal(await page.getByLabel('Order').inputValue(), 'name');
    await page.getByText('By first name, then last name').waitFor();
    await checkBothSizes(page, 'the list by name');
    await shot('contact-list-by-name');

    // Again: Z to A, across pages, kept by a reload.
    await name.getByRole('button', { name: 'Name' }).press('Enter');
    await table()
      .locator('td.email')
      .first()
      .getByText(reversed[0] as string)
      .waitFor();
    assert.equal(await name.getAttribute('aria-sort'), 'descending');
    assert.deepEqual(await emails(), reversed.slice(0, 25));
    await page.getByRole('button', { name: 'Next' }).press('Enter');
    await table()
      .locator('td.email')
      .first()
      .getByText(reversed[25] as string)
      .waitFor();
    assert.deepEqual(await emails(), reversed.slice(25));
    await page.reload();
    await table()
      .locator('td.email')
      .first()
      .getByText(reversed[0] as string)
      .waitFor();
    assert.equal(await page.getByLabel('Order').inputValue(), '-name');

    // A tag's contacts have no name order: newest first, the Name header no button, no name option.
    await page.locator('#search-tag').fill('webinar');
    await page.locator('#search-tag').press('Enter');
    await count().getByText('4 contacts tagged “webinar”').waitFor({ timeout: 30_000 });
    assert.match(page.url(), /#\/contacts\?tag=webinar$/);
    assert.equal(await name.getByRole('button').count(), 0);
    assert.equal(await created.getAttribute('aria-sort'), 'descending');
    assert.equal(await page.getByLabel('Order').locator('option[value="name"]').count(), 0);

    // Back to every contact, newest first, from the Order select.
    await page.goto(`${server.url}/#/contacts?sort=name`);
    await table()
      .locator('td.email')
      .first()
      .getByText(byName[0] as string)
      .waitFor();
    await chooseByKeys(page.getByLabel('Order'), 'Newest first');
    await table()
      .locator('td.email')
      .first()
      .getByText(made[26] as string)
      .waitFor();
    assert.match(page.url(), /#\/contacts$/);
  });

  it('shows the columns chosen, a custom field by its label, and keeps them in the browser', {
    timeout: 60_000,
  }, async () => {
    const button = page.getByRole('button', { name: /^Columns/ });
    assert.equal(await button.getAttribute('aria-expanded'), 'false');
    await button.press('Enter');
    const panel = page.getByRole('group', { name: 'Columns shown' });
    await panel.waitFor();
    assert.equal(await button.getAttribute('aria-expanded'), 'true');
    await panel.getByLabel('Plan').focus();
    await page.keyboard.press('Space');
    await panel.getByLabel('Likelihood').focus();
    await page.keyboard.press('Space');
    await panel.getByLabel('Company').focus();
    await page.keyboard.press('Space');
    await checkBothSizes(page, 'the columns panel');
    await page.screenshot({ path: join(SHOTS, 'contact-list-columns.png') });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: join(SHOTS, 'contact-list-columns-phone.png'), fullPage: true });
    await page.setViewportSize(DESKTOP);
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
    await expectFocus(page, '.columns-control > button');
    assert.deepEqual(await headers(), [
      '',
      'Email',
      'Name',
      'Company',
      'Tags',
      'Score',
      'Stage',
      'Created',
      'Plan',
    ]);
    const pro = table().getByRole('row').filter({ hasText: 'person21@example.com' });
    await pro.getByRole('cell', { name: 'Pro', exact: true }).waitFor();
    assert.equal(await table().locator('td.likelihood').count(), 0);
    // Kept in this browser.
    await page.reload();
    await table().getByRole('row').nth(1).waitFor();
    assert.deepEqual(await headers(), [
      '',
      'Email',
      'Name',
      'Company',
      'Tags',
      'Score',
      'Stage',
      'Created',
      'Plan',
    ]);
  });

  let viewUrl = '';
  it('saves a view of a tag, oldest first, and opens it from the select and the address', {
    timeout: 90_000,
  }, async () => {
    await page.locator('#search-tag').fill('webinar');
    await page.locator('#search-tag').press('Enter');
    await count().getByText('4 contacts tagged “webinar”').waitFor({ timeout: 30_000 });
    await table().getByRole('columnheader', { name: 'Created' }).getByRole('button').press('Enter');
    await table().locator('td.email').first().getByText('person00@example.com').waitFor();
    await page.getByRole('button', { name: 'Save as new view…' }).press('Enter');
    // An empty name is refused by the form; a name saves it.
    await expectFocus(page, '#view-name');
    await page.keyboard.type('Webinar leads');
    await page.keyboard.press('Enter');
    await page.getByRole('status').getByText('View “Webinar leads” saved.').waitFor();
    await expectFocus(page, '#view-select');
    await viewShown('Webinar leads');
    assert.match(page.url(), /#\/contacts\?tag=webinar&sort=created&view=[0-9A-Z]{26}$/);
    viewUrl = page.url();
    await checkBothSizes(page, 'a saved view open');

    // In the view, a column more: the view says it changed, and saves it.
    await page.getByRole('button', { name: /^Columns/ }).press('Enter');
    await page.getByRole('group', { name: 'Columns shown' }).getByLabel('Phone').focus();
    await page.keyboard.press('Space');
    await page.keyboard.press('Escape');
    await page.getByText('Changed since it was saved.').waitFor();
    await page.getByRole('button', { name: 'Save changes' }).press('Enter');
    await page.getByRole('status').getByText('Changes saved to “Webinar leads”.').waitFor();
    assert.equal(await page.getByText('Changed since it was saved.').count(), 0);

    // All contacts: every contact, newest first, the browser's own columns (no Phone).
    await chooseByKeys(viewSelect(), 'All contacts');
    await count().getByText('27 contacts', { exact: true }).waitFor();
    assert.equal(await page.locator('#search-tag').inputValue(), '');
    assert.equal(await table().getByRole('columnheader', { name: 'Phone' }).count(), 0);
    assert.doesNotMatch(page.url(), /view=/);
    // The view again, from the select: its tag, order and columns.
    await chooseByKeys(viewSelect(), 'Webinar leads');
    await count().getByText('4 contacts tagged “webinar”').waitFor();
    await table().getByRole('columnheader', { name: 'Phone' }).waitFor();
    assert.equal(await page.locator('#search-tag').inputValue(), 'webinar');
    assert.equal(await table().locator('td.email').first().innerText(), 'person00@example.com');

    // From the address, after a reload.
    await page.goto(`${server.url}/#/contacts`);
    await count().getByText('27 contacts', { exact: true }).waitFor();
    await page.goto(viewUrl);
    await page.reload();
    await count().getByText('4 contacts tagged “webinar”').waitFor();
    await viewShown('Webinar leads');
    await table().getByRole('columnheader', { name: 'Phone' }).waitFor();
    assert.equal(
      await table().getByRole('columnheader', { name: 'Created' }).getAttribute('aria-sort'),
      'ascending',
    );
    await shot('contact-list-view');
  });

  it('renames a view, refuses a rename over someone else’s change, and deletes it after a confirm step', {
    timeout: 90_000,
  }, async () => {
    await page.getByRole('button', { name: 'Rename…' }).press('Enter');
    await expectFocus(page, '#view-name');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Hot webinar leads');
    await page.keyboard.press('Enter');
    await page.getByRole('status').getByText('View renamed “Hot webinar leads”.').waitFor();
    await viewShown('Hot webinar leads');

    // Someone else changes it meanwhile: the next rename is refused, and Retry loads it again.
    const api = adminClient(server);
    const id = /view=([0-9A-Z]{26})/.exec(page.url())?.[1] as string;
    const theirs = await api('GET', `/v1/contact-views/${id}`);
    const changed = await api('PATCH', `/v1/contact-views/${id}`, {
      version: theirs.json.version,
      name: 'Webinar people',
    });
    assert.equal(changed.status, 200);
    await page.getByRole('button', { name: 'Rename…' }).press('Enter');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Mine now');
    await page.keyboard.press('Enter');
    const refusal = page.getByRole('alert').filter({ hasText: 'reload and retry' });
    await refusal.waitFor();
    await checkBothSizes(page, 'a refused rename');
    await refusal.getByRole('button', { name: 'Retry' }).press('Enter');
    await refusal.waitFor({ state: 'hidden' });
    await page.getByRole('option', { name: 'Webinar people' }).waitFor({ state: 'attached' });
    await viewShown('Webinar people');

    // Delete: a confirm step first (Keep it keeps it), then the view goes and the list shows everyone.
    await page.getByRole('button', { name: 'Delete view…' }).press('Enter');
    const confirm = page.getByRole('group', { name: /Delete the view “Webinar people”\?/ });
    await confirm.waitFor();
    await expectFocus(page, '.views-bar .bulk-confirm');
    await checkBothSizes(page, 'the delete confirm step');
    await page.screenshot({ path: join(SHOTS, 'contact-list-delete-view.png') });
    await confirm.getByRole('button', { name: 'Keep it' }).press('Enter');
    await confirm.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: 'Delete view…' }).press('Enter');
    await confirm.getByRole('button', { name: 'Delete view', exact: true }).press('Enter');
    await page.getByRole('status').getByText('View “Webinar people” deleted.').waitFor();
    await count().getByText('27 contacts', { exact: true }).waitFor();
    await viewShown('All contacts');
    assert.equal(await page.getByRole('option', { name: 'Webinar people' }).count(), 0);
    assert.equal((await api('GET', '/v1/contact-views')).json.items.length, 0);
    // Its address, opened afresh, now says it is gone, and shows the list. (Not a reload after a
    // hash change: the screen may have taken the gone view out of the address before the reload.)
    await page.goto('about:blank');
    await page.goto(viewUrl);
    await page.getByText('The saved view in the address no longer exists').waitFor();
  });

  it('says a search’s size from its pages, never a guessed total', { timeout: 60_000 }, async () => {
    await page.goto(`${server.url}/#/contacts`);
    await page.locator('#search-q').fill('person');
    await page.locator('#search-q').press('Enter');
    await count()
      .getByText(/^\d+\+? results?$/)
      .waitFor({ timeout: 30_000 });
    const text = await count().innerText();
    const rows = await table().locator('td.email').count();
    assert.equal(text, rows === 25 ? '25+ results' : `${rows} results`);
    assert.equal(await page.getByText('In the order of the words found.').count(), 1);
    assert.equal(await page.getByLabel('Order').count(), 0);
    assert.equal(
      await table().getByRole('columnheader', { name: 'Created' }).getAttribute('aria-sort'),
      null,
    );
    await checkBothSizes(page, 'a search');
  });
});
