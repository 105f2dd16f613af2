/**
 * The admin app when things go wrong, in a real browser against `npm start`: the API unreachable (a
 * network failure) says so in words with a Retry and no empty-state message beside it; a proxy's
 * HTML 502 says the server could not answer; a 200 whose body is HTML (not JSON) says the answer was
 * unexpected, never the parser's words; an expired session asks to sign in again in a dialog over
 * the screen, which stays as it was: a note typed and sent when the session ended is kept, and sent
 * once signed in again. axe-core finds nothing at 1440 and 390 px.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { adminClient, type LocalServer } from '#test/support/local-server.js';
import { checkBothSizes } from './a11y.js';
import { browserSession, SHOTS, shotBothSizes } from './session.js';

let server: LocalServer;
let page: Page;
browserSession('app-states', {}, (session) => {
  ({ server, page } = session);
});

const TEMPLATES = '**/v1/templates?*';

describe('the app when things go wrong', () => {
  it('says the API cannot be reached, a 502, and an ended session in words', {
    timeout: 120_000,
  }, async () => {
    await page.route(TEMPLATES, (route) => route.abort('connectionrefused'));
    await page.goto(`${server.url}/#/templates`);
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.getByText('Tendril could not be reached. Check your connection, then retry.').waitFor();
    assert.equal(await page.getByText('No templates yet.').count(), 0, 'no empty state beside the error');
    assert.equal(await page.getByText('Failed to fetch').count(), 0, "not the browser's words");
    await checkBothSizes(page, 'the API unreachable');
    await page.screenshot({ path: join(SHOTS, 'app-states-unreachable.png'), fullPage: true });

    // A proxy's HTML page: the status in words, not a JSON parse error.
    await page.unroute(TEMPLATES);
    await page.route(TEMPLATES, (route) =>
      route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>Bad gateway</h1>' }),
    );
    await alert.getByRole('button', { name: 'Retry' }).click();
    await alert.getByText('Tendril could not answer just now (HTTP 502). Try again in a moment.').waitFor();

    // A 200 whose body is a page, not JSON (a captive portal, a misrouted proxy): said in words.
    await page.unroute(TEMPLATES);
    await page.route(TEMPLATES, (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/html',
        body: '<!doctype html><html><body><h1>Welcome to the hotel Wi-Fi</h1></body></html>',
      }),
    );
    await alert.getByRole('button', { name: 'Retry' }).press('Enter');
    await alert.getByText('The server sent an unexpected answer. Try again.').waitFor();
    assert.equal(await page.getByText(/Unexpected token|JSON/).count(), 0, "not the parser's words");
    assert.equal(await page.getByText('No templates yet.').count(), 0, 'no empty state beside the error');
    await checkBothSizes(page, 'an unexpected answer');

    // Retry once the API is back: the empty state, and no error.
    await page.unroute(TEMPLATES);
    await alert.getByRole('button', { name: 'Retry' }).click();
    await page.getByText('No templates yet.').waitFor();
    assert.equal(await page.getByRole('alert').count(), 0);

    // The session ends (the API refuses the token): a sign-in dialog over the same screen says so;
    // once signed in again, the screen loads what was refused.
    await page.route(TEMPLATES, (route) =>
      route.fulfill({ status: 401, contentType: 'application/json', body: '{"message":"Unauthorized"}' }),
    );
    await page.goto(`${server.url}/#/forms`);
    await page.getByRole('heading', { name: 'Forms' }).waitFor();
    await page.goto(`${server.url}/#/templates`);
    const dialog = page.getByRole('dialog', { name: 'Sign in to continue' });
    await dialog.getByText('Your session has ended. Sign in again to continue where you were.').waitFor();
    await page.getByRole('heading', { level: 1, name: 'Email templates' }).waitFor();
    await checkBothSizes(page, 'an ended session');
    await page.screenshot({ path: join(SHOTS, 'app-states-session-ended.png'), fullPage: true });
    await page.unroute(TEMPLATES);
    await dialog.getByLabel('Admin token').fill(server.token);
    await dialog.getByRole('button', { name: 'Sign in' }).press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText('No templates yet.').waitFor();
    assert.equal(new URL(page.url()).hash, '#/templates');

    // Signing out on purpose says nothing about an ended session.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin token').waitFor();
    assert.equal(await page.getByText('Your session has ended').count(), 0);
  });

  it('keeps a note typed when the session ends, and sends it once signed in again', {
    timeout: 120_000,
  }, async () => {
    const created = await adminClient(server)('POST', '/v1/contacts', {
      email: 'grace@example.com',
      firstName: 'Grace',
      lastName: 'Hopper',
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const id = created.json.id as string;
    await page.goto(`${server.url}/#/contacts/${id}`);
    if (await page.getByLabel('Admin token').isVisible()) {
      await page.getByLabel('Admin token').fill(server.token);
      await page.getByLabel('Admin token').press('Enter');
    }
    await page.getByRole('heading', { level: 1, name: 'Grace Hopper' }).waitFor();
    const composer = page.getByRole('region', { name: 'Log activity' });
    const note = 'Asked for the quote by Friday; send the revised terms';
    await page.locator('#composer-body').fill(note);

    // The session has ended by the time the note is sent: the API refuses it.
    const ACTIVITIES = `**/v1/contacts/${id}/activities`;
    let refused = 0;
    await page.route(ACTIVITIES, (route) => {
      if (route.request().method() !== 'POST') return route.continue();
      refused++;
      return route.fulfill({
        status: 401,
        contentType: 'application/json',
        body: '{"message":"Unauthorized"}',
      });
    });
    await composer.getByRole('button', { name: 'Log note' }).press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Sign in to continue' });
    await dialog.getByText('Your session has ended').waitFor();
    assert.equal(refused, 1);
    // The screen is still there under the dialog, the note as typed; Escape does not dismiss it.
    assert.equal(await page.locator('#composer-body').inputValue(), note);
    await page.keyboard.press('Escape');
    assert.equal(await dialog.isVisible(), true, 'Escape leaves the dialog');
    await checkBothSizes(page, 'the sign-in dialog over a contact page');
    await shotBothSizes(page, 'app-states-session-dialog');

    // Signed in again: the note is sent (once), logged, and the composer empties.
    await page.unroute(ACTIVITIES);
    await dialog.getByLabel('Admin token').fill(server.token);
    await dialog.getByLabel('Admin token').press('Enter');
    await dialog.waitFor({ state: 'hidden' });
    await composer.getByRole('status').getByText('Note logged.').waitFor();
    await page.getByRole('list', { name: 'Timeline' }).getByText(note).waitFor();
    assert.equal(await page.locator('#composer-body').inputValue(), '');
    const notes = (await adminClient(server)('GET', `/v1/contacts/${id}/activities`)).json.items.filter(
      (a: { type: string; body?: string }) => a.type === 'note' && a.body === note,
    );
    assert.equal(notes.length, 1, 'sent once');
    assert.equal(await page.getByLabel('Admin token').count(), 0);
  });
});
