/**
 * The import wizard in a real browser (Debian's Chromium driven by playwright-core) against
 * `npm start`: a marketer uploads a 300-row CSV (two bad rows), checks the guessed mapping, changes
 * one column, is told by the API that an email column is needed, starts the import, watches it
 * finish, downloads the refused rows; axe-core finds nothing at 1440 and 390 px wide, nothing
 * overflows, and the controls are reached with Tab. A file over 10 MB goes up in parts, a part the
 * storage failed is sent again. Screenshots go to test/e2e/screenshots/.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { adminClient, type LocalServer } from '#test/support/local-server.js';
import { checkBothSizes, DESKTOP, expectFocus, expectNoAxeViolations, PHONE, tabThrough } from './a11y.js';
import { browserSession, SHOTS } from './session.js';

let server: LocalServer;
let page: Page;
/** The page's console errors (a request the browser blocked says why only there). */
const consoleErrors: string[] = [];

browserSession('imports', {}, (session) => {
  ({ server, page } = session);
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
});

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const go = (hash: string) => page.goto(`${server.url}/${hash}`);
const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);

const ROWS = 300;
/** File lines (the header is line 1) of the two rows the import refuses. */
const BAD_EMAIL_LINE = 50;
const BAD_SEATS_LINE = 200;
function contactsCsv(): string {
  const lines = ['E-mail,First Name,Phone Number,Seats,Region,Tags'];
  for (let i = 0; i < ROWS; i++) {
    const line = i + 2;
    const email = line === BAD_EMAIL_LINE ? 'not-an-email' : `buyer${i}@example.com`;
    const seats = line === BAD_SEATS_LINE ? 'many' : String(i % 25);
    lines.push(
      `${email},Buyer ${i},+1 555 01${String(i).padStart(3, '0')},${seats},${i % 2 ? 'north' : 'south'},trade-show`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The number shown under a count's label in the progress view. */
const shownCount = (label: string) =>
  page
    .locator('dl.counts .count')
    .filter({ has: page.getByText(label, { exact: true }) })
    .locator('dd');

describe('import wizard', () => {
  it('shows the empty history, and an error with Retry when the list cannot load', async () => {
    await page.goto(`${server.url}/`);
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Contacts' }).waitFor();

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Import' }).click();
    await page.getByRole('heading', { name: 'Import contacts' }).waitFor();
    await page.getByText('No imports yet.').waitFor();

    // The list's request fails once: its error is shown with Retry, which loads it.
    await page.route('**/v1/imports?*', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'unavailable', message: 'The service is busy', details: [] } }),
      }),
    );
    await page.getByRole('button', { name: 'Refresh' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'The service is busy' });
    await alert.waitFor();
    await page.unroute('**/v1/imports?*');
    await alert.getByRole('button', { name: 'Retry' }).click();
    await page.getByText('No imports yet.').waitFor();

    // From the top of the page, Tab reaches the file input.
    await go('#/imports');
    await page.getByText('No imports yet.').waitFor();
    const reached = await tabThrough(page, '#import-file');
    assert.ok(reached.includes('#import-file'));
    await checkBothSizes(page, 'the empty import screen');
  });

  it('uploads a CSV, maps its columns, refuses a mapping without email, imports and reports the bad rows', {
    timeout: 240_000,
  }, async () => {
    const field = await api('POST', '/v1/fields', { name: 'seats', label: 'Seats', type: 'number' });
    assert.equal(field.status, 201, JSON.stringify(field.json));

    await page.getByLabel('CSV file').setInputFiles({
      name: 'trade-show.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(contactsCsv()),
    });
    // Uploaded to the presigned URL (s3rver, another origin) and read: or the upload's error.
    const mapping = page.getByRole('heading', { name: 'Map columns' });
    const failed = page.getByRole('alert').filter({ hasText: /upload/i });
    await mapping.or(failed).waitFor({ timeout: 30_000 });
    if (await failed.count())
      assert.fail(
        `the upload failed: ${await failed.innerText()}\nbrowser console:\n${consoleErrors.join('\n')}`,
      );
    // The focus moved to the new step's heading.
    await expectFocus(page, '#map-title');

    // The guessed mapping, from the header: synonyms, a typed custom field by its label, a new field.
    const select = (column: string) => page.getByLabel(`Import column “${column}” as`);
    assert.equal(await select('E-mail').inputValue(), 'email');
    assert.equal(await select('First Name').inputValue(), 'property:firstName');
    assert.equal(await select('Phone Number').inputValue(), 'property:phone');
    assert.equal(await select('Seats').inputValue(), 'field:seats');
    assert.equal(await select('Region').inputValue(), 'custom');
    assert.equal(await page.getByLabel('New field name').inputValue(), 'Region');
    assert.equal(await select('Tags').inputValue(), 'tags');
    // Sample values of each column are shown.
    await page.locator('table.mapping').getByText('buyer0@example.com').waitFor();
    // The custom field shows its type.
    assert.match(await select('Seats').locator('option:checked').innerText(), /Seats \(number\)/);

    // Keyboard: from the step's heading, Tab reaches every select, the consent basis and Start.
    const reached = await tabThrough(page, '#import-start');
    for (const id of ['#map-0', '#map-1', '#map-2', '#map-3', '#map-4', '#map-5', '#import-basis'])
      assert.ok(reached.includes(id), `${id} is reached by Tab: ${reached.join(', ')}`);

    // Region becomes the contacts' source instead of a new field.
    await select('Region').selectOption({ label: 'Source' });
    assert.equal(await page.getByLabel('New field name').count(), 0);
    await page.getByLabel('Consent basis for email').selectOption('legitimate_interest');
    await page.getByLabel('Tags to add').fill('spring-list');
    await checkBothSizes(page, 'the mapping step');
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: join(tmpdir(), 'import-mapping-390.png'), fullPage: true });
    await page.setViewportSize(DESKTOP);
    await shot('import-mapping');

    // Without an email column the API refuses the mapping: its message and details are shown.
    await select('E-mail').selectOption({ label: 'Don’t import' });
    await page.getByText('No column is mapped to Email yet').waitFor();
    await page.getByRole('button', { name: 'Start import' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'the column mapping does not fit the file' });
    await refusal.waitFor();
    await refusal.getByText('one column must be mapped to email').waitFor();
    await expectNoAxeViolations(page, 'the mapping step with the API’s refusal');
    await select('E-mail').selectOption('email');

    await page.getByRole('button', { name: 'Start import' }).click();
    await page.waitForURL(/#\/imports\/[0-9A-Z]{26}$/);
    const importId = page.url().split('/').pop() as string;
    await page.getByRole('heading', { name: 'Import of trade-show.csv', level: 1 }).waitFor();
    await page.locator('progress#import-bar').waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: /^Completed$/ })
      .waitFor({ timeout: 180_000 });

    assert.equal(await shownCount('Created').innerText(), '298');
    assert.equal(await shownCount('Updated').innerText(), '0');
    assert.equal(await shownCount('Unchanged').innerText(), '0');
    assert.equal(await shownCount('Failed').innerText(), '2');
    assert.match(await page.locator('#import-bar-text').innerText(), /300 of 300 rows \(100%\)/);
    await page.getByText(/298 contacts created/).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Cancel import' }).count(), 0);
    const bar = await page
      .locator('progress#import-bar')
      .evaluate((p) => [Number(p.getAttribute('value')), Number(p.getAttribute('max'))]);
    assert.deepEqual(bar, [300, 300]);

    // What was written: the mapping and options as chosen.
    const found = await api('GET', '/v1/contacts?email=buyer3%40example.com');
    const contact = found.json.items[0];
    assert.equal(contact.source, 'north');
    assert.equal(contact.fields.seats, 3);
    assert.equal(contact.fields.Region, undefined);
    assert.deepEqual(contact.tags, ['spring-list', 'trade-show']);
    assert.equal(contact.emailBasis, 'legitimate_interest');

    // The refused rows as CSV: both bad lines, with their reasons.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download error report' }).click(),
    ]);
    assert.match(download.suggestedFilename(), /\.csv$/);
    const report = readFileSync(await download.path(), 'utf8')
      .trim()
      .split(/\r?\n/);
    assert.equal(report[0], 'line,email,reasons');
    assert.equal(report.length, 3, report.join('\n'));
    assert.ok(
      report.some((l) => l.startsWith(`${BAD_EMAIL_LINE},not-an-email,`) && l.includes('email')),
      report.join('\n'),
    );
    assert.ok(
      report.some((l) => l.startsWith(`${BAD_SEATS_LINE},buyer198@example.com,`) && l.includes('seats')),
      report.join('\n'),
    );

    await checkBothSizes(page, 'the finished import');
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: join(tmpdir(), 'import-progress-390.png'), fullPage: true });
    await page.setViewportSize(DESKTOP);
    await shot('import-progress');

    // The history lists it; its link reopens the progress view.
    await go('#/imports');
    const row = page.getByRole('row').filter({ hasText: 'trade-show.csv' });
    await row.getByText('Completed').waitFor();
    assert.match(await row.innerText(), /300\s+298\s+0\s+0\s+2/);
    await checkBothSizes(page, 'the import history');
    await row.getByRole('link', { name: 'trade-show.csv' }).click();
    await page.waitForURL(new RegExp(`#/imports/${importId}$`));
    assert.equal(await shownCount('Created').innerText(), '298');
  });

  it('uploads a file over 10 MB in parts, sending a part the storage failed again', {
    timeout: 300_000,
  }, async () => {
    const ROWS_WIDE = 1100;
    const notes = 'n'.repeat(10_000);
    const lines = ['Email,Notes'];
    for (let i = 0; i < ROWS_WIDE; i++) lines.push(`wide${i}@example.com,${notes}`);
    const buffer = Buffer.from(`${lines.join('\n')}\n`);
    assert.ok(buffer.length > 10 * 1024 * 1024);
    // The storage fails the first PUT of part 2: the browser sends that part again.
    const puts = new Map<string, number>();
    await page.route(
      (url) => url.searchParams.has('partNumber'),
      async (route) => {
        const part = new URL(route.request().url()).searchParams.get('partNumber') as string;
        if (route.request().method() !== 'PUT') return route.continue();
        puts.set(part, (puts.get(part) ?? 0) + 1);
        if (part === '2' && puts.get(part) === 1)
          return route.fulfill({
            status: 503,
            headers: { 'access-control-allow-origin': '*' },
            body: 'SlowDown',
          });
        return route.continue();
      },
    );
    await go('#/imports');
    // Handed over as a file on disk: a 10 MB buffer sent through the browser protocol can take
    // longer than the default wait on a busy machine.
    const wide = join(mkdtempSync(join(tmpdir(), 'tendril-import-')), 'wide.csv');
    writeFileSync(wide, buffer);
    await page.getByLabel('CSV file').setInputFiles(wide, { timeout: 60_000 });
    const mapping = page.getByRole('heading', { name: 'Map columns' });
    const failed = page.getByRole('alert').filter({ hasText: /upload/i });
    await mapping.or(failed).waitFor({ timeout: 120_000 });
    if (await failed.count()) assert.fail(`the upload failed: ${await failed.innerText()}`);
    await page.unroute((url) => url.searchParams.has('partNumber'));
    assert.deepEqual(
      [...puts].sort(),
      [
        ['1', 1],
        ['2', 2],
        ['3', 1],
      ],
      'three parts, the failed one sent twice',
    );
    const select = (column: string) => page.getByLabel(`Import column “${column}” as`);
    assert.equal(await select('Email').inputValue(), 'email');
    await select('Notes').selectOption({ label: 'Don’t import' });
    await page.getByLabel('Consent basis for email').selectOption('consent');
    await page.getByRole('button', { name: 'Start import' }).click();
    await page.getByRole('heading', { name: 'Import of wide.csv', level: 1 }).waitFor();
    await page
      .getByRole('status')
      .filter({ hasText: /^Completed$/ })
      .waitFor({ timeout: 240_000 });
    assert.equal(await shownCount('Created').innerText(), ROWS_WIDE.toLocaleString('en-US'));
  });

  it('previews a semicolon-separated draft from history, and discards it', { timeout: 60_000 }, async () => {
    const csv = 'E-mail;First Name;City\neuro@example.com;Zoë;"Köln; Altstadt"\n';
    const created = await api('POST', '/v1/imports', {
      fileName: 'excel-de.csv',
      size: Buffer.byteLength(csv),
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    await fetch(created.json.upload.url, { method: 'PUT', headers: created.json.upload.headers, body: csv });
    await page.goto(`${server.url}/#/imports/${created.json.import.id}`);
    const select = (column: string) => page.getByLabel(`Import column “${column}” as`);
    await page.getByRole('heading', { name: 'Map columns' }).waitFor();
    assert.equal(await select('E-mail').inputValue(), 'email');
    assert.equal(await select('First Name').inputValue(), 'property:firstName');
    await page.locator('table.mapping').getByText('Köln; Altstadt').waitFor();
    // Discarding asks first; Escape keeps the draft and gives the focus back to the button.
    await page.getByRole('button', { name: 'Discard this import' }).click();
    await page.getByRole('group', { name: 'Discard this import?' }).waitFor();
    await expectNoAxeViolations(page, 'the discard question');
    await page.keyboard.press('Escape');
    await expectFocus(page, '#discard-import');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Discard', exact: true }).click();
    await page.waitForURL(/#\/imports$/);
    const row = page.getByRole('row').filter({ hasText: 'excel-de.csv' });
    await row.getByText('Cancelled').waitFor();
    await expectNoAxeViolations(page, 'the history with a discarded draft');
  });
});
