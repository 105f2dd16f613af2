/**
 * In a real browser against `npm start`: a published workflow's step counts list their contacts
 * (pressed with the mouse or the keyboard; here now and entered; an error with Retry; the empty
 * list), one of them followed to the contact's page; and leaving the workflow with unsaved changes
 * (builder or JSON tab) asks first — Stay keeps the change, Leave goes — while a saved workflow
 * leaves without a word. axe-core finds nothing at 1440 and 390 px; screenshots go to
 * test/e2e/screenshots/.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { adminClient, eventually, type LocalServer } from '#test/support/local-server.js';
import { checkBothSizes, expectFocus } from './a11y.js';
import { browserSession, shotBothSizes } from './session.js';

let server: LocalServer;
let page: Page;
browserSession('workflow-step-contacts', {}, (session) => {
  ({ server, page } = session);
});

const shot = (name: string) => shotBothSizes(page, name);

const counts = (step: string) => page.locator(`.wfb-counts[data-step="${step}"]`);
const contactsDialog = () => page.getByRole('dialog', { name: /^Contacts · / });
const leaveDialog = () => page.getByRole('alertdialog', { name: 'Leave without saving?' });
const mainNav = (name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });
/** What a `beforeunload` (closing the tab, reloading) would be told: true when it asks first. */
const unloadAsks = async () =>
  (await page.evaluate(
    "(() => { const e = new Event('beforeunload', { cancelable: true }); window.dispatchEvent(e); return e.defaultPrevented; })()",
  )) as boolean;

let workflowId = '';
const leads: Record<string, string> = {};

describe('the contacts behind a step’s counts', () => {
  it('lists who is at a step and who entered it, and follows one to their page', {
    timeout: 180_000,
  }, async () => {
    const api = adminClient(server);
    const created = await api('POST', '/v1/workflows', {
      name: 'Lead nurture',
      trigger: { type: 'tagAdded', tag: 'lead' },
      steps: [
        { id: 'welcome-tag', type: 'addTag', tag: 'welcomed' },
        { id: 'pause', type: 'wait', duration: 'P2D' },
        { id: 'follow-tag', type: 'addTag', tag: 'followed' },
      ],
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    workflowId = created.json.id;
    assert.equal((await api('POST', `/v1/workflows/${workflowId}/publish`)).status, 200);
    for (const [email, firstName, lastName] of [
      ['ada@example.com', 'Ada', 'Lovelace'],
      ['lin@example.com', 'Lin', 'Chen'],
      ['max@example.com', 'Max', 'Roy'],
    ] as const) {
      const res = await api('POST', '/v1/contacts', { email, firstName, lastName, tags: ['lead'] });
      assert.equal(res.status, 201, JSON.stringify(res.json));
      leads[firstName] = res.json.id;
    }
    // All three wait two days at `pause`.
    await eventually(async () => {
      const view = await api('GET', `/v1/workflows/${workflowId}`);
      return view.json.stats?.steps.pause?.current === 3 ? true : undefined;
    }, 60_000);

    await page.goto(`${server.url}/#/workflows/${workflowId}`);
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await counts('pause').getByText('3 entered · 3 here now').waitFor({ timeout: 30_000 });

    // The "here now" count, clicked: the three contacts there, each a link to their page.
    await counts('pause')
      .getByRole('button', { name: /^3 here now/ })
      .click();
    const dialog = contactsDialog();
    await dialog.waitFor();
    const list = dialog.getByRole('list', { name: 'Contacts at pause' });
    await list.getByRole('link').first().waitFor();
    assert.deepEqual((await list.getByRole('link').allTextContents()).sort(), [
      'Ada Lovelace',
      'Lin Chen',
      'Max Roy',
    ]);
    await dialog.getByText('ada@example.com').waitFor();
    assert.equal(
      await dialog.getByRole('button', { name: 'Here now (3)' }).getAttribute('aria-pressed'),
      'true',
    );
    await checkBothSizes(page, 'the contacts at a step');
    await shot('workflow-step-contacts');

    // Entered: everyone who reached the first step (they all moved on to the wait).
    await dialog.getByRole('button', { name: 'Entered (3)' }).click();
    await dialog.getByRole('list', { name: 'Contacts who entered pause' }).waitFor();
    // Escape closes it; the focus is back on the count.
    await page.keyboard.press('Escape');
    await contactsDialog().waitFor({ state: 'hidden' });
    await expectFocus(page, '#wfb-count-current-pause');

    // From the keyboard: the first step's "here now" count (nobody is there now) says so.
    await page.locator('#wfb-count-current-welcome-tag').focus();
    await page.keyboard.press('Enter');
    await contactsDialog().getByText('No contact is at this step now.').waitFor();
    await contactsDialog().getByRole('button', { name: 'Entered (3)' }).click();
    await contactsDialog().getByRole('link', { name: 'Lin Chen' }).waitFor();
    await contactsDialog().getByRole('button', { name: 'Close' }).click();
    await expectFocus(page, '#wfb-count-current-welcome-tag');

    // A failed load says so with Retry, which loads it again.
    let fail = true;
    await page.route('**/steps/*/contacts*', (route) =>
      fail
        ? route.fulfill({
            status: 503,
            contentType: 'application/json',
            body: JSON.stringify({ error: { code: 'unavailable', message: 'The service is busy' } }),
          })
        : route.fallback(),
    );
    await page.locator('#wfb-count-entered-pause').click();
    await contactsDialog().getByRole('alert').getByText('The service is busy').waitFor();
    await checkBothSizes(page, 'the contacts at a step, failed');
    fail = false;
    await contactsDialog().getByRole('button', { name: 'Retry' }).click();
    await contactsDialog().getByRole('link', { name: 'Max Roy' }).waitFor();
    await page.unroute('**/steps/*/contacts*');

    // A contact followed: their page (no unsaved change, so no question).
    await contactsDialog().getByRole('link', { name: 'Ada Lovelace' }).click();
    await page.waitForURL(`**/#/contacts/${leads.Ada}`);
    await page.getByRole('heading', { level: 1, name: /Ada Lovelace/ }).waitFor();
    assert.equal(await leaveDialog().count(), 0);
  });
});

describe('leaving a workflow with unsaved changes', () => {
  it('asks first; Stay keeps the change, Leave goes; saved, it just leaves', {
    timeout: 120_000,
  }, async () => {
    await page.goto(`${server.url}/#/workflows/${workflowId}`);
    const name = page.getByLabel('Workflow name');
    await name.waitFor();
    assert.equal(await unloadAsks(), false, 'nothing changed: closing the tab does not ask');

    await name.fill('Lead nurture, longer');
    assert.equal(await unloadAsks(), true, 'closing the tab or reloading asks');
    await mainNav('Contacts').click();
    await leaveDialog().waitFor();
    await expectFocus(page, '.leave-dialog button:not(.secondary)');
    await checkBothSizes(page, 'the leave warning');
    await shot('workflow-leave-warning');

    // Stay: the screen and the change are as they were.
    await leaveDialog().getByRole('button', { name: 'Stay' }).click();
    await leaveDialog().waitFor({ state: 'hidden' });
    assert.match(page.url(), new RegExp(`#/workflows/${workflowId}$`));
    assert.equal(await name.inputValue(), 'Lead nurture, longer');

    // An address typed (or Back): held the same way, the address put back.
    await page.evaluate("location.hash = '#/tasks'");
    await leaveDialog().waitFor();
    assert.match(page.url(), new RegExp(`#/workflows/${workflowId}$`));
    await page.keyboard.press('Escape');
    await leaveDialog().waitFor({ state: 'hidden' });
    assert.equal(await name.inputValue(), 'Lead nurture, longer');

    // Leave: the other screen.
    await mainNav('Contacts').click();
    await leaveDialog().getByRole('button', { name: 'Leave without saving' }).click();
    await page.waitForURL('**/#/contacts');
    await page.getByRole('heading', { level: 1, name: 'Contacts' }).waitFor();
    assert.equal(await unloadAsks(), false, 'left: nothing asks any more');

    // The JSON tab's unsaved text asks too.
    await page.goto(`${server.url}/#/workflows/${workflowId}?tab=json`);
    const json = page.getByLabel('Definition (JSON, see docs/workflows.md)');
    await json.waitFor();
    await json.fill((await json.inputValue()).replace('"Lead nurture"', '"Lead nurture, edited"'));
    await mainNav('Tasks').click();
    await leaveDialog().waitFor();
    await leaveDialog().getByRole('button', { name: 'Stay' }).click();
    assert.match(await json.inputValue(), /Lead nurture, edited/);

    // Saved: no question.
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByRole('status').getByText('Draft saved.').waitFor();
    assert.equal(await unloadAsks(), false, 'saved: closing the tab does not ask');
    await mainNav('Tasks').click();
    await page.waitForURL('**/#/tasks');
    assert.equal(await leaveDialog().count(), 0);
  });
});
