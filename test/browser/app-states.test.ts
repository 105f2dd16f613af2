/**
 * The admin app when things go wrong, in a real browser against `npm start`: the API unreachable (a
 * network failure) says so in words with a Retry and no empty-state message beside it; a proxy's
 * HTML 502 says the server could not answer; an expired session lands on the sign-in page saying
 * why, and signing in again returns to the same screen. axe-core finds nothing at 1440 and 390 px.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { LocalServer } from '#test/support/local-server.js';
import { checkBothSizes } from './a11y.js';
import { browserSession, SHOTS } from './session.js';

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

    // Retry once the API is back: the empty state, and no error.
    await page.unroute(TEMPLATES);
    await alert.getByRole('button', { name: 'Retry' }).click();
    await page.getByText('No templates yet.').waitFor();
    assert.equal(await page.getByRole('alert').count(), 0);

    // The session ends (the API refuses the token): the sign-in page says so, and signing in again
    // returns to the same screen.
    await page.route(TEMPLATES, (route) =>
      route.fulfill({ status: 401, contentType: 'application/json', body: '{"message":"Unauthorized"}' }),
    );
    await page.goto(`${server.url}/#/forms`);
    await page.getByRole('heading', { name: 'Forms' }).waitFor();
    await page.goto(`${server.url}/#/templates`);
    await page.getByText('Your session has ended. Sign in again to continue where you were.').waitFor();
    await checkBothSizes(page, 'an ended session');
    await page.screenshot({ path: join(SHOTS, 'app-states-session-ended.png'), fullPage: true });
    await page.unroute(TEMPLATES);
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Email templates' }).waitFor();
    assert.equal(new URL(page.url()).hash, '#/templates');

    // Signing out on purpose says nothing about an ended session.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Admin token').waitFor();
    assert.equal(await page.getByText('Your session has ended').count(), 0);
  });
});
