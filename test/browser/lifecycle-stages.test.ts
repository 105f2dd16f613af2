/**
 * Lifecycle stages in a real browser against `npm start`: an admin renames a stage (a name another
 * stage has is refused beside its field, which takes the focus), turns the form move off and points
 * the score move elsewhere; the contact page and the dashboard's funnel then call the stage by its
 * new name, and a submitted form no longer makes a lead. axe-core finds nothing at 1440 and 390 px.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { adminClient, idle, type LocalServer } from '#test/support/local-server.js';
import { checkBothSizes, DESKTOP, expectFocus, PHONE } from './a11y.js';
import { browserSession, SHOTS } from './session.js';

let server: LocalServer;
let page: Page;
browserSession('lifecycle-stages', {}, (session) => {
  ({ server, page } = session);
});
const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);

describe('lifecycle stages', () => {
  it('are renamed and their moves set in Settings, a clashing name refused at its field', {
    timeout: 90_000,
  }, async () => {
    await page.goto(`${server.url}/#/settings`);
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const form = page.getByRole('form', { name: 'Lifecycle stages' });
    await form.waitFor();
    // The skip link takes a keyboard user to the screen, and the screen stays.
    await page.evaluate('document.activeElement && document.activeElement.blur()');
    await page.keyboard.press('Tab');
    await expectFocus(page, 'a.skip');
    await page.keyboard.press('Enter');
    await expectFocus(page, '#main');
    assert.match(page.url(), /#\/settings$/);
    await form.waitFor();
    assert.equal(await page.locator('#lc-move-formSubmitted').inputValue(), 'lead');
    assert.equal(await page.locator('#lc-move-scoreReached').inputValue(), 'marketing_qualified_lead');

    await form.getByLabel('Lead', { exact: true }).fill('Client');
    await form.getByLabel('Customer', { exact: true }).fill('client');
    await form.getByRole('button', { name: 'Save lifecycle stages' }).click();
    await form.getByText('Customer: is already the name of Client').waitFor();
    assert.equal(await form.getByRole('alert').count(), 0, 'said beside the field only');
    await expectFocus(page, '#lc-label-customer');
    assert.equal(await page.locator('#lc-label-customer').getAttribute('aria-invalid'), 'true');
    assert.equal((await api('GET', '/v1/scoring')).json.version, 0, 'nothing saved');
    await checkBothSizes(page, 'a lifecycle stage name refused');

    await form.getByLabel('Lead', { exact: true }).fill('');
    await page.locator('#lc-move-formSubmitted').selectOption({ label: 'Nowhere (off)' });
    await page.locator('#lc-move-scoreReached').selectOption({ label: 'Sales qualified lead' });
    await form.getByRole('button', { name: 'Save lifecycle stages' }).press('Enter');
    await page.getByRole('status').getByText('Lifecycle stages saved.').waitFor();
    const saved = (await api('GET', '/v1/scoring')).json;
    assert.deepEqual(saved.lifecycle.labels, { customer: 'client' });
    assert.equal(saved.lifecycle.moves.formSubmitted, null);
    assert.equal(saved.lifecycle.moves.scoreReached, 'sales_qualified_lead');
    assert.equal(saved.rules.length, 4, 'the rules stay as they were');
    // The moves offer the stages by their new names.
    await page.locator('#lc-move-dealWon option', { hasText: 'client' }).waitFor({ state: 'attached' });
    await checkBothSizes(page, 'the lifecycle stages saved');
    await form.scrollIntoViewIfNeeded();
    await form.screenshot({ path: join(SHOTS, 'settings-lifecycle-stages.png') });
    await page.setViewportSize(PHONE);
    await form.screenshot({ path: join(SHOTS, 'settings-lifecycle-stages-phone.png') });
    await page.setViewportSize(DESKTOP);
  });

  it('are called by their new names on the contact page and the dashboard, and a form no longer makes a lead', {
    timeout: 90_000,
  }, async () => {
    const made = await api('POST', '/v1/contacts', { email: 'buyer@example.com' });
    assert.equal(made.status, 201, JSON.stringify(made.json));
    const set = await api('PUT', `/v1/contacts/${made.json.id}/lifecycle-stage`, { stage: 'customer' });
    assert.equal(set.status, 200, JSON.stringify(set.json));
    await page.goto(`${server.url}/#/contacts/${made.json.id}`);
    const card = page.getByRole('region', { name: 'Lead score' });
    await card.getByText(/^client since /).waitFor();
    assert.deepEqual(
      (await page.locator('#standing-stage option').allTextContents()).filter((t) => /client/i.test(t)),
      ['client'],
    );

    const leadForm = await api('POST', '/v1/forms', {
      name: 'Newsletter',
      fields: ['email'],
      spam: { minFillSeconds: 0, requireToken: false },
    });
    const submitted = await fetch(`${server.url}/f/${leadForm.json.id}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'reader@example.com' }),
    });
    assert.equal(submitted.status, 201);
    await idle(server);
    const reader = (await api('GET', '/v1/contacts?email=reader%40example.com')).json.items[0];
    const standing = await api('GET', `/v1/contacts/${reader.id}/standing`);
    assert.equal(standing.json.stage, undefined, 'the form move is off');
    assert.ok(standing.json.score > 0, 'it was scored all the same');

    await page.goto(`${server.url}/#/dashboard`);
    const funnel = page.getByRole('region', { name: 'Lifecycle funnel' });
    await funnel.getByRole('rowheader', { name: 'client' }).waitFor();
    await checkBothSizes(page, 'the dashboard with a renamed stage');
  });
});
