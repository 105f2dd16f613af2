/**
 * The tasks screen in a real browser against `npm start`: "My tasks" by default (the signed-in
 * user's), filters by owner and status, Enter pressed twice on Done completes exactly one task (the
 * focus goes to the next task's title), editing a task (title, owner, notes) and a stale edit's 409
 * with its reload; axe-core finds nothing at 1440 and 390 px; screenshots at both sizes.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { eventually, type LocalServer } from '#test/support/local-server.js';
import { checkBothSizes, DESKTOP, expectFocus, PHONE } from './a11y.js';
import { browserSession, SHOTS } from './session.js';

let server: LocalServer;
let page: Page;
browserSession('tasks', {}, (session) => {
  ({ server, page } = session);
});

const apiCall = async (method: string, path: string, body?: unknown) => {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: response bodies are checked field by field by the assertions
  const json: any = text ? JSON.parse(text) : undefined;
  return { status: res.status, body: json };
};
const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
const task = async (title: string, hours: number, owner: string, notes?: string) => {
  const res = await apiCall('POST', '/v1/tasks', {
    title,
    dueAt: inHours(hours),
    owner,
    ...(notes ? { notes } : {}),
  });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as { id: string; version: number };
};
const titles = async (listName: string) =>
  (await page.getByRole('list', { name: listName }).locator('.task-title').allTextContents()).map((s) =>
    s.trim(),
  );

async function shots(name: string) {
  for (const size of [DESKTOP, PHONE]) {
    await page.setViewportSize(size);
    await page.screenshot({ path: join(SHOTS, `${name}-${size.width}.png`), fullPage: true });
  }
  await page.setViewportSize(DESKTOP);
}

describe('the tasks screen', () => {
  it('shows my tasks, completes one per Enter, edits, filters, and passes axe', {
    timeout: 180_000,
  }, async () => {
    const sam = (await apiCall('POST', '/v1/users', { name: 'Sam Seller', email: 'sam@example.com' })).body;
    await task('Call Ada', 1, 'local-admin', 'Ask about the renewal');
    const bob = await task('Email Bob', 2, 'local-admin');
    await task('Visit Cy', 50, 'local-admin');
    await task('Sam’s own task', 3, sam.id);

    await page.goto(`${server.url}/#/tasks`);
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const mine = 'My tasks: all open';
    await page.getByRole('list', { name: mine }).getByText('Visit Cy').waitFor();
    assert.deepEqual(await titles(mine), ['Call Ada', 'Email Bob', 'Visit Cy']);
    assert.equal(await page.getByRole('button', { name: 'My tasks' }).getAttribute('aria-pressed'), 'true');
    await checkBothSizes(page, 'my tasks');
    await shots('tasks-mine');

    // Enter twice on Done: one task completed, the focus on the next task's title (not its Done).
    await page.getByRole('button', { name: 'Done: Call Ada' }).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await expectFocus(page, `#task-${bob.id}`);
    await page.getByRole('list', { name: mine }).getByText('Call Ada').waitFor({ state: 'detached' });
    await page.keyboard.press('Enter');
    const done = await apiCall('GET', '/v1/tasks?status=done');
    assert.deepEqual(
      done.body.items.map((t: { title: string }) => t.title),
      ['Call Ada'],
    );
    assert.equal((await apiCall('GET', `/v1/tasks/${bob.id}`)).body.status, 'open');
    assert.deepEqual(await titles(mine), ['Email Bob', 'Visit Cy']);

    // Edit: a new title, notes, and Sam as the owner (so it leaves my tasks; the focus goes to the heading).
    await page.getByRole('button', { name: 'Edit: Email Bob' }).click();
    const form = page.getByRole('form', { name: 'Edit Email Bob' });
    await expectFocus(page, `#edit-${bob.id}-title`);
    await form.getByLabel('Title').fill('Email Bob the contract');
    await form.getByLabel('Owner').selectOption({ label: 'Sam Seller' });
    await form.getByLabel('Notes').fill('Attach the PDF');
    await checkBothSizes(page, 'a task being edited');
    await shots('tasks-edit');
    await form.getByRole('button', { name: 'Save' }).click();
    await expectFocus(page, '#task-list-title');
    assert.deepEqual(await titles(mine), ['Visit Cy']);
    const edited = (await apiCall('GET', `/v1/tasks/${bob.id}`)).body;
    assert.deepEqual(
      [edited.title, edited.owner, edited.notes, edited.version],
      ['Email Bob the contract', sam.id, 'Attach the PDF', 2],
    );

    // Sam's tasks, by the owner filter.
    await page.getByLabel('Owner', { exact: true }).first().selectOption({ label: 'Sam Seller' });
    const sams = 'Tasks of Sam Seller: all open';
    await page.getByRole('list', { name: sams }).getByText('Email Bob the contract').waitFor();
    assert.deepEqual(await titles(sams), ['Email Bob the contract', 'Sam’s own task']);
    await page.getByRole('list', { name: sams }).getByText('Attach the PDF').waitFor();

    // A stale edit: someone saved the task meanwhile; the 409 says so, Reload shows their version.
    await page.getByRole('button', { name: 'Edit: Sam’s own task' }).click();
    const stale = page.getByRole('form', { name: 'Edit Sam’s own task' });
    const current = (await apiCall('GET', `/v1/tasks?owner=${sam.id}`)).body.items.find(
      (t: { title: string }) => t.title === 'Sam’s own task',
    );
    assert.equal(
      (
        await apiCall('PATCH', `/v1/tasks/${current.id}`, {
          version: current.version,
          title: 'Renamed elsewhere',
        })
      ).status,
      200,
    );
    await stale.getByLabel('Title').fill('My rename');
    await stale.getByRole('button', { name: 'Save' }).click();
    await stale.getByRole('alert').getByText('Someone changed this task since you opened it.').waitFor();
    await checkBothSizes(page, 'a stale task edit');
    await stale.getByRole('button', { name: 'Reload task' }).click();
    // Reloaded: the refusal goes with the version it was about.
    await stale.getByRole('alert').waitFor({ state: 'detached' });
    assert.equal(await stale.getByLabel('Title').inputValue(), 'Renamed elsewhere');
    await stale.getByRole('button', { name: 'Cancel' }).click();

    // Back to my tasks; by status: done (with Reopen), upcoming, overdue.
    await page.getByRole('button', { name: 'My tasks' }).click();
    await page.getByRole('list', { name: mine }).getByText('Visit Cy').waitFor();
    await page.getByLabel('Status').selectOption({ label: 'Done' });
    await page
      .getByRole('list', { name: 'My tasks: done' })
      .getByRole('button', { name: 'Reopen: Call Ada' })
      .waitFor();
    await page.getByLabel('Status').selectOption({ label: 'Upcoming' });
    await page.getByRole('list', { name: 'My tasks: upcoming' }).getByText('Visit Cy').waitFor();
    await page.getByLabel('Status').selectOption({ label: 'Overdue' });
    await page.getByText('Nothing overdue.').waitFor();
    await checkBothSizes(page, 'the empty overdue list');
    await shots('tasks-overdue-empty');

    // A new task about a contact, chosen by part of a name from the keyboard: linked to them.
    const ada = (
      await apiCall('POST', '/v1/contacts', {
        email: 'ada@example.com',
        firstName: 'Ada',
        lastName: 'Lovelace',
      })
    ).body;
    // The picker searches the index, which the search consumer fills from the contact's event.
    await eventually(async () => {
      const found = (await apiCall('GET', '/v1/search?q=lovel')).body;
      return JSON.stringify(found).includes(ada.id) ? true : undefined;
    }, 60_000);
    const add = page.getByRole('form', { name: 'New task' });
    await add.getByLabel('Title').fill('Send Ada the proposal');
    await add.getByLabel('Due').fill('2031-05-04T10:00');
    const picker = add.getByRole('combobox', { name: 'Contact' });
    await picker.fill('lovel');
    await add.getByRole('option', { name: /Ada Lovelace/ }).waitFor({ timeout: 30_000 });
    await picker.press('ArrowDown');
    await picker.press('Enter');
    await add.getByRole('button', { name: 'Remove contact Ada Lovelace' }).waitFor();
    await checkBothSizes(page, 'a new task for a contact');
    await add.getByRole('button', { name: 'Add task' }).press('Enter');
    await add.getByRole('combobox', { name: 'Contact' }).waitFor();
    const created = (await apiCall('GET', '/v1/tasks?status=open')).body.items.find(
      (t: { title: string }) => t.title === 'Send Ada the proposal',
    );
    assert.equal(created?.contactId, ada.id);
  });
});
