/**
 * Bulk actions on the contacts list, and a contact's GDPR data export, in a real browser (Debian's
 * Chromium driven by playwright-core) against `npm start`: a marketer selects rows (by mouse and by
 * keyboard), tags them, exports the page as CSV through the presigned link, enrolls two into a
 * published workflow, deletes two after the
 * confirm step, removes a tag from every contact with it (beyond the page shown), and downloads one
 * contact's data as JSON; axe-core finds nothing at 1440 and 390 px wide and nothing overflows.
 * Screenshots go to test/e2e/screenshots/.
 */
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { adminClient, type LocalServer } from '#test/support/local-server.js';
import { checkBothSizes, DESKTOP, expectFocus, expectNoAxeViolations, PHONE } from './a11y.js';
import { browserSession, SHOTS } from './session.js';

const CONTACTS = 30;
let server: LocalServer;
let page: Page;

browserSession('bulk', {}, (session) => {
  ({ server, page } = session);
});

const go = (hash: string) => page.goto(`${server.url}/${hash}`);
const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);

interface ApiContact {
  id: string;
  email: string;
  firstName?: string;
  lastName?: string;
  tags: string[];
}
/** Every contact (with the tag, if given), through the API. */
async function allContacts(tag?: string): Promise<ApiContact[]> {
  const res = await api('GET', `/v1/contacts?limit=100${tag ? `&tag=${encodeURIComponent(tag)}` : ''}`);
  assert.equal(res.status, 200, JSON.stringify(res.json));
  return res.json.items;
}

const table = () => page.locator('table.contacts-table');
const rowBox = (email: string) => page.getByRole('checkbox', { name: `Select ${email}`, exact: true });
/** The emails of the rows shown, in order. */
const shownEmails = async () =>
  (await table().locator('tbody td.email').allInnerTexts()).map((t) => t.trim());
const bulkBar = () => page.getByRole('region', { name: 'Bulk actions' });
const progress = () => page.locator('section.bulk-progress');
/** Waits for the running job's panel to say Completed, and (unless it is now empty) the list to be shown again. */
async function completed(list = true) {
  await progress().getByRole('status').getByText('Completed', { exact: true }).waitFor({ timeout: 60_000 });
  if (list) await table().waitFor();
}

describe('bulk actions on contacts', () => {
  it('signs in to a list of 30 contacts; a failed load is shown with Retry', async () => {
    for (let i = 0; i < CONTACTS; i++) {
      const res = await api('POST', '/v1/contacts', {
        email: `bulk${String(i).padStart(2, '0')}@example.com`,
        firstName: `Bulk ${i}`,
        tags: ['bulk-test', ...(i === 0 ? [] : ['newsletter'])],
      });
      assert.equal(res.status, 201, JSON.stringify(res.json));
    }
    // The first load fails once: its error with Retry, which loads the list.
    await page.route('**/v1/contacts?*', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'unavailable', message: 'The service is busy', details: [] } }),
      }),
    );
    await page.goto(`${server.url}/`);
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'The service is busy' });
    await alert.waitFor();
    await page.unroute('**/v1/contacts?*');
    await alert.getByRole('button', { name: 'Retry' }).click();
    await table().waitFor();
    assert.equal((await shownEmails()).length, 25);
    // Nothing selected: no bulk bar.
    assert.equal(await bulkBar().count(), 0);
  });

  it('adds a tag to 3 rows selected by mouse and keyboard, with a refused tag shown first', {
    timeout: 120_000,
  }, async () => {
    const emails = (await shownEmails()).slice(0, 3);
    await rowBox(emails[0] as string).click();
    await rowBox(emails[1] as string).check();
    // Keyboard: Space on the focused checkbox.
    await rowBox(emails[2] as string).focus();
    await page.keyboard.press('Space');
    assert.ok(await rowBox(emails[2] as string).isChecked());
    await bulkBar().getByText('3 selected').waitFor();
    // The select-all box shows a partial selection.
    assert.equal(
      await page
        .locator('#select-page')
        .evaluate((el) => (el as unknown as { indeterminate: boolean }).indeterminate),
      true,
    );

    await bulkBar().getByRole('button', { name: 'Add tag…' }).click();
    const input = bulkBar().getByLabel('Tag to add');
    // The form's input has the focus; a tag the API refuses shows its message.
    await expectFocus(page, '#bulk-tag');
    await input.fill('!!');
    await page.keyboard.press('Enter');
    await bulkBar().getByRole('alert').filter({ hasText: 'the request body is not valid' }).waitFor();
    await expectNoAxeViolations(page, 'the bulk bar with the API’s refusal');
    await input.fill('vip');
    // Typing again clears the refusal, which was about the previous tag.
    assert.equal(await bulkBar().getByRole('alert').count(), 0);
    await checkBothSizes(page, 'the list with the bulk bar open');
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: join(tmpdir(), 'contacts-bulk-390.png'), fullPage: true });
    await page.setViewportSize(DESKTOP);
    await page.screenshot({ path: join(SHOTS, 'contacts-bulk.png'), fullPage: true });
    await bulkBar().getByRole('button', { name: 'Add tag to 3 contacts' }).click();

    await progress().getByRole('heading', { name: 'Adding tag “vip” to 3 contacts' }).waitFor();
    await completed();
    await progress().getByText('Done: tag “vip” added to 3 contacts (0 had it already).').waitFor();
    const counts = await progress().locator('dl.counts dd').allInnerTexts();
    assert.deepEqual(counts, ['3', '0', '0']);
    const bar = await progress()
      .locator('progress')
      .evaluate((p) => [Number(p.getAttribute('value')), Number(p.getAttribute('max'))]);
    assert.deepEqual(bar, [3, 3]);
    // The selection is cleared, and the list reloaded shows the tag.
    assert.equal(await bulkBar().count(), 0);
    assert.equal(await page.getByRole('checkbox', { checked: true }).count(), 0);
    await checkBothSizes(page, 'the finished bulk action');
    await page.screenshot({ path: join(tmpdir(), 'contacts-bulk-progress.png') });

    const vip = await allContacts('vip');
    assert.deepEqual(vip.map((c) => c.email).sort(), [...emails].sort());
    await progress().getByRole('button', { name: 'Close' }).click();
    assert.equal(await progress().count(), 0);
  });

  it('exports the page selected with select-all as CSV, through the download link', {
    timeout: 120_000,
  }, async () => {
    const emails = await shownEmails();
    await page.getByLabel('Select all contacts on this page').check();
    await bulkBar().getByText(`${emails.length} selected`).waitFor();
    await bulkBar().getByRole('button', { name: 'Export CSV' }).click();
    await progress()
      .getByRole('heading', { name: `Exporting ${emails.length} contacts as CSV` })
      .waitFor();
    // While it runs (or just finished): the panel passes axe too.
    await expectNoAxeViolations(page, 'the progress panel');
    await completed();
    const link = progress().getByRole('link', { name: 'Download CSV' });
    await link.waitFor();
    await checkBothSizes(page, 'the finished export');
    const href = (await link.getAttribute('href')) as string;
    assert.match(href, /^http/);
    const file = await fetch(href);
    assert.equal(file.status, 200);
    const lines = (await file.text()).trim().split(/\r?\n/);
    assert.match(lines[0] as string, /email/);
    assert.equal(lines.length, emails.length + 1, lines.join('\n'));
    for (const email of emails)
      assert.ok(
        lines.some((l) => l.includes(email)),
        `${email} is in the CSV`,
      );
    await progress().getByRole('button', { name: 'Close' }).click();
  });

  it('enrolls 2 selected contacts into a published workflow picked from a list', {
    timeout: 120_000,
  }, async () => {
    const created = await api('POST', '/v1/workflows', {
      name: 'Bulk nurture',
      trigger: { type: 'tagAdded', tag: 'bulk-nurture' },
      steps: [{ id: 'pause', type: 'wait', duration: 'P1D' }],
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const published = await api('POST', `/v1/workflows/${created.json.id}/publish`);
    assert.equal(published.status, 200, JSON.stringify(published.json));
    const emails = (await shownEmails()).slice(5, 7);
    for (const email of emails) await rowBox(email).check();
    await bulkBar().getByRole('button', { name: 'Enroll in workflow…' }).click();
    const picker = bulkBar().getByLabel('Workflow');
    await picker.waitFor();
    await expectFocus(page, '#bulk-workflow');
    assert.deepEqual(await picker.locator('option').allInnerTexts(), ['Bulk nurture (v1)']);
    await expectNoAxeViolations(page, 'the enroll form');
    await bulkBar().getByRole('button', { name: 'Enroll 2 contacts' }).click();
    await progress().getByRole('heading', { name: 'Enrolling 2 contacts in a workflow' }).waitFor();
    await completed();
    await progress()
      .getByText(/^Done: 2 contacts enrolled \(0 left out/)
      .waitFor();
    for (const email of emails) {
      const contact = (await allContacts()).find((c) => c.email === email) as ApiContact;
      const enrollments = await api('GET', `/v1/contacts/${contact.id}/enrollments`);
      assert.deepEqual(
        enrollments.json.items.map((e: { workflowId: string }) => e.workflowId),
        [created.json.id],
      );
    }
    await progress().getByRole('button', { name: 'Close' }).click();
  });

  it('deletes 2 selected contacts after the confirm step', { timeout: 120_000 }, async () => {
    const emails = (await shownEmails()).slice(3, 5);
    for (const email of emails) await rowBox(email).check();
    await bulkBar().getByRole('button', { name: 'Delete', exact: true }).click();
    const confirm = bulkBar().getByRole('group', { name: 'Delete 2 contacts? This cannot be undone.' });
    await confirm.waitFor();
    // Keep them closes the step, deleting nothing.
    await confirm.getByRole('button', { name: 'Keep them' }).click();
    assert.equal(await confirm.count(), 0);
    await bulkBar().getByRole('button', { name: 'Delete', exact: true }).click();
    await expectNoAxeViolations(page, 'the delete confirm step');
    await confirm.getByRole('button', { name: 'Delete 2 contacts' }).click();
    await completed();
    await progress().getByText('Done: 2 contacts deleted.').waitFor();
    const left = (await allContacts()).map((c) => c.email);
    assert.equal(left.length, CONTACTS - 2);
    for (const email of emails) assert.ok(!left.includes(email), `${email} is deleted`);
    assert.ok(!(await shownEmails()).includes(emails[0] as string));
    await progress().getByRole('button', { name: 'Close' }).click();
  });

  it('removes a tag from every contact with it, beyond the page shown', { timeout: 120_000 }, async () => {
    const tagged = await allContacts('newsletter');
    assert.ok(tagged.length > 25, `${tagged.length} contacts tagged newsletter: more than a page`);
    await page.getByLabel('Tag', { exact: true }).fill('newsletter');
    await page.getByRole('button', { name: 'Search' }).click();
    await bulkBar().getByText('0 selected').waitFor();
    await table().waitFor();
    await page.getByLabel('Apply to all contacts tagged “newsletter”').check();
    await bulkBar().getByText('All contacts tagged “newsletter”', { exact: true }).waitFor();
    await bulkBar().getByRole('button', { name: 'Remove tag…' }).click();
    // The tag filtered by is suggested.
    assert.equal(await bulkBar().getByLabel('Tag to remove').inputValue(), 'newsletter');
    await expectNoAxeViolations(page, 'the bulk bar for every tagged contact');
    await bulkBar().getByRole('button', { name: 'Remove tag from all contacts tagged “newsletter”' }).click();
    await progress()
      .getByRole('heading', { name: 'Removing tag “newsletter” from all contacts tagged “newsletter”' })
      .waitFor();
    // The filtered list is empty once the tag is gone.
    await completed(false);
    await progress().getByText(`Done: tag “newsletter” removed from ${tagged.length} contacts`).waitFor();
    await page.getByText('No contacts match.').waitFor();
    assert.equal((await allContacts('newsletter')).length, 0);
    assert.equal((await allContacts('bulk-test')).length, CONTACTS - 2);
  });

  it('downloads all of a contact’s data as JSON from the contact page', { timeout: 120_000 }, async () => {
    const contact = (await allContacts('vip'))[0] as ApiContact;
    await go(`#/contacts/${contact.id}`);
    // The page's heading is the contact's name (the email when it has none).
    await page
      .getByRole('heading', {
        name: [contact.firstName, contact.lastName].filter(Boolean).join(' ') || contact.email,
        level: 1,
      })
      .waitFor();
    await page.getByRole('button', { name: 'Download all data (GDPR)' }).click();
    const panel = progress();
    await panel.getByRole('heading', { name: 'Exporting all of this contact’s data' }).waitFor();
    await panel.getByRole('status').getByText('Completed', { exact: true }).waitFor({ timeout: 60_000 });
    const link = panel.getByRole('link', { name: 'Download JSON' });
    await link.waitFor();
    await checkBothSizes(page, 'the contact page with its data export');
    await link.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'contact-gdpr.png'), fullPage: true });
    const file = await fetch((await link.getAttribute('href')) as string);
    assert.equal(file.status, 200);
    const data = (await file.json()) as { contact: { id: string; email: string; tags: string[] } };
    assert.equal(data.contact.id, contact.id);
    assert.equal(data.contact.email, contact.email);
    assert.ok(data.contact.tags.includes('vip'));
  });
});
