/**
 * The contact page in a real browser against `npm start`, as a salesperson works in it: the page
 * fails to load and Retry brings it; an unknown contact is a 404 page; the name is edited in place
 * (the heading follows), a bad email is refused beside its field, a save refused because someone
 * saved the contact meanwhile keeps the value typed and says so; a number and a select custom field
 * are set by their labels; a call is logged with its outcome and length and shows first under
 * "Today"; the contact's deal, open task and case show by name (the deal and the case with their links); the contact's data is exported
 * as JSON; it is deleted after typing its email, and the list says so. axe-core finds nothing at 1440
 * and 390 px; screenshots at both widths.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { adminClient, type LocalServer } from '#test/support/local-server.js';
import { checkBothSizes, DESKTOP, expectFocus, PHONE } from './a11y.js';
import { browserSession, SHOTS } from './session.js';

let server: LocalServer;
let page: Page;
browserSession('contact-page', {}, (session) => {
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

/** Reloads the page until `text` shows (a consumer works after the request answered). */
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

describe('the contact page', () => {
  it('edits in place, logs a call, shows deals and cases by name, exports and deletes', {
    timeout: 240_000,
  }, async () => {
    assert.equal(
      (await api('POST', '/v1/fields', { name: 'seats', label: 'Seats', type: 'number' })).status,
      201,
    );
    assert.equal(
      (
        await api('POST', '/v1/fields', {
          name: 'plan',
          label: 'Plan',
          type: 'select',
          options: ['Free', 'Pro'],
        })
      ).status,
      201,
    );
    const created = await api('POST', '/v1/contacts', {
      email: 'ada@acme.example',
      firstName: 'Ada',
      lastName: 'Lovelace',
    });
    assert.equal(created.status, 201);
    const id = created.json.id as string;
    const pipeline = await api('POST', '/v1/pipelines', {
      name: 'Sales',
      stages: [
        { name: 'Qualified', probability: 0.2 },
        { name: 'Won', probability: 1 },
      ],
    });
    const deal = await api('POST', '/v1/deals', {
      title: 'Acme renewal',
      amount: 12000,
      currency: 'EUR',
      pipelineId: pipeline.json.id,
      stage: 'Qualified',
      contactId: id,
    });
    assert.equal(deal.status, 201);
    const opened = await api('POST', '/v1/cases', {
      subject: 'Invoice shows the wrong address',
      email: 'ada@acme.example',
      text: 'Please fix the address.',
    });
    assert.equal(opened.status, 201);
    const task = await api('POST', '/v1/tasks', {
      title: 'Send the renewal quote',
      dueAt: new Date(Date.now() + 3 * 86_400_000).toISOString(),
      contactId: id,
    });
    assert.equal(task.status, 201);

    // Unknown: a page that says so.
    await page.goto(`${server.url}/#/contacts/01JF0000000000000000000000`);
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Contact not found' }).waitFor();

    // A failed load, then Retry.
    await page.route(`**/v1/contacts/${id}`, (route) =>
      route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>Bad gateway</h1>' }),
    );
    await page.goto(`${server.url}/#/contacts/${id}`);
    await page.getByRole('alert').getByText('HTTP 502').waitFor();
    await page.unroute(`**/v1/contacts/${id}`);
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.getByRole('heading', { level: 1, name: 'Ada Lovelace' }).waitFor();
    await page.getByRole('link', { name: 'ada@acme.example' }).waitFor();

    // The name, edited in place; the heading follows.
    const props = page.getByRole('region', { name: 'About this contact' });
    await props.getByRole('button', { name: 'Edit First name' }).click();
    await expectFocus(page, '#prop-firstName');
    await page.keyboard.press('Control+a');
    await page.keyboard.type('Augusta');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Augusta Lovelace' }).waitFor();
    await props.getByRole('status').getByText('First name saved.').waitFor();
    await expectFocus(page, '#prop-firstName-edit');

    // A bad email is refused beside its field.
    await props.getByRole('button', { name: 'Edit Email' }).click();
    await props.getByLabel('Email').fill('not-an-email');
    await props.getByRole('button', { name: 'Save', exact: true }).click();
    await props
      .locator('#prop-email-error')
      .getByText(/^Email /)
      .waitFor();
    assert.equal(await props.getByLabel('Email').getAttribute('aria-invalid'), 'true');
    await props.getByRole('button', { name: 'Cancel' }).click();

    // Typed custom fields by their labels: a number and a select.
    await props.getByRole('button', { name: 'Edit Seats' }).click();
    await props.getByLabel('Seats').fill('12');
    await props.getByRole('button', { name: 'Save', exact: true }).click();
    await props.getByRole('status').getByText('Seats saved.').waitFor();
    await props.getByRole('button', { name: 'Edit Plan' }).click();
    await props.getByLabel('Plan').selectOption('Pro');
    await props.getByRole('button', { name: 'Save', exact: true }).click();
    await props.getByRole('status').getByText('Plan saved.').waitFor();

    // Two quick edits while the page is still reading the contact again after the first: the
    // second goes with the version the first made (not refused as stale by our own save).
    const slowRead = `**/v1/contacts/${id}`;
    await page.route(slowRead, async (route) => {
      if (route.request().method() === 'GET') await new Promise((r) => setTimeout(r, 3_000));
      // A read still held back when the route is taken away has been let through by then.
      await route.continue().catch(() => {});
    });
    await props.getByRole('button', { name: 'Edit Seats' }).click();
    await props.getByLabel('Seats').fill('14');
    await props.getByRole('button', { name: 'Save', exact: true }).click();
    await props.getByRole('status').getByText('Seats saved.').waitFor();
    await props.getByRole('button', { name: 'Edit Plan' }).click();
    await props.getByLabel('Plan').selectOption('Free');
    await props.getByRole('button', { name: 'Save', exact: true }).click();
    await props.getByRole('status').getByText('Plan saved.').waitFor();
    await page.unroute(slowRead);
    let stored = (await api('GET', `/v1/contacts/${id}`)).json;
    assert.deepEqual([stored.firstName, stored.fields.seats, stored.fields.plan], ['Augusta', 14, 'Free']);

    // Someone saves the contact meanwhile: refused, shown as it is now, the value typed kept.
    await props.getByRole('button', { name: 'Edit Last name' }).click();
    await props.getByLabel('Last name').fill('King');
    const other = await api('PATCH', `/v1/contacts/${id}`, {
      version: stored.version,
      phone: '+44 20 7946 0000',
    });
    assert.equal(other.status, 200);
    await props.getByRole('button', { name: 'Save', exact: true }).click();
    await props
      .getByRole('alert')
      .getByText(/Someone changed this contact meanwhile/)
      .waitFor();
    await props.getByText('+44 20 7946 0000').waitFor();
    assert.equal(await props.getByLabel('Last name').inputValue(), 'King');
    assert.equal((await api('GET', `/v1/contacts/${id}`)).json.lastName, 'Lovelace', 'nothing overwritten');
    await props.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Augusta King' }).waitFor();
    stored = (await api('GET', `/v1/contacts/${id}`)).json;
    assert.deepEqual([stored.lastName, stored.phone], ['King', '+44 20 7946 0000']);

    // A call with its outcome and length, first under Today.
    await page.getByRole('button', { name: 'Log activity' }).click();
    await expectFocus(page, '#composer-body');
    const composer = page.getByRole('region', { name: 'Log activity' });
    await composer.getByRole('radio', { name: 'Call' }).check();
    await composer.getByLabel('Call notes').fill('Talked through the renewal');
    await composer.getByLabel('Outcome').selectOption({ label: 'Connected' });
    await composer.getByLabel('Duration (minutes)').fill('14');
    await composer.getByRole('button', { name: 'Log call' }).click();
    await composer.getByRole('status').getByText('Call logged.').waitFor();
    const timeline = page.getByRole('list', { name: 'Timeline' });
    const today = timeline.getByRole('list', { name: 'Today' });
    await today.getByText('Talked through the renewal').waitFor();
    const first = today.getByRole('listitem').first();
    await first.getByText('Connected · 14 min').waitFor();
    await first.getByText('Talked through the renewal').waitFor();
    assert.equal(await timeline.getByRole('heading', { level: 3 }).first().textContent(), 'Today');
    const calls = (await api('GET', `/v1/contacts/${id}/activities`)).json.items.filter(
      (a: { type: string }) => a.type === 'call',
    );
    assert.deepEqual(
      calls.map((a: { outcome: string; durationMinutes: number }) => [a.outcome, a.durationMinutes]),
      [['connected', 14]],
    );

    // The deal (indexed by the companies consumer) and the case, by name, with their links.
    await reloadUntil('Acme renewal');
    const deals = page.getByRole('region', { name: 'Deals' });
    const dealLink = deals.getByRole('link', { name: 'Acme renewal' });
    assert.equal(await dealLink.getAttribute('href'), `#/pipelines/${pipeline.json.id}`);
    await deals.getByText('Qualified').waitFor();
    await page.getByRole('region', { name: 'Open tasks' }).getByText('Send the renewal quote').waitFor();
    const cases = page.getByRole('region', { name: 'Cases' });
    const caseLink = cases.getByRole('link', { name: 'Invoice shows the wrong address' });
    assert.equal(await caseLink.getAttribute('href'), `#/cases/${opened.json.id}`);
    await page.getByRole('heading', { level: 1, name: 'Augusta King' }).waitFor();
    await checkBothSizes(page, 'the contact page');
    await shots('contact-page');

    // The contact's data as JSON.
    await page.getByRole('button', { name: 'Download all data (GDPR)' }).click();
    const link = page.getByRole('link', { name: 'Download JSON' });
    await link.waitFor({ timeout: 60_000 });
    const file = await fetch((await link.getAttribute('href')) as string);
    assert.equal(file.status, 200);
    const data = JSON.stringify(await file.json());
    assert.ok(data.includes('"email":"ada@acme.example"'));
    assert.ok(data.includes('Talked through the renewal'));

    // Deleted after typing its email; the list says so.
    await page.getByRole('button', { name: 'Delete…' }).first().click();
    const dialog = page.getByRole('dialog', { name: 'Delete Augusta King?' });
    await dialog.waitFor();
    const confirm = dialog.getByRole('button', { name: 'Delete permanently' });
    assert.equal(await confirm.isDisabled(), true);
    await dialog.getByLabel('Type ada@acme.example to confirm').fill('ada@acme');
    assert.equal(await confirm.isDisabled(), true);
    await checkBothSizes(page, 'the delete dialog');
    await page.screenshot({ path: join(SHOTS, 'contact-delete.png') });
    await dialog.getByLabel('Type ada@acme.example to confirm').fill('ada@acme.example');
    await confirm.click();
    await page.getByRole('region', { name: 'Notifications' }).getByText('Augusta King was deleted').waitFor();
    await page.waitForURL(/#\/contacts$/);
    await checkBothSizes(page, 'the contacts list after a delete');
    assert.equal((await api('GET', `/v1/contacts/${id}`)).status, 404);
  });
});
