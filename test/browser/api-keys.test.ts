/**
 * API keys in a real browser (Debian's Chromium driven by playwright-core) against `npm start`: an
 * admin on the settings page sees the empty state and, with the list failing, an error with a
 * working Retry; creates a key for a shop from the keyboard, which is shown once with the focus on
 * it; the shop reports an order with it (and may not read contacts); the list shows its last use;
 * revoking it (after a confirm) refuses its next request. axe-core finds nothing at 1440 and 390 px.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { LocalServer } from '#test/support/local-server.js';
import { checkBothSizes, expectFocus } from './a11y.js';
import { browserSession, SHOTS } from './session.js';

let server: LocalServer;
let page: Page;
browserSession('api-keys', {}, (session) => {
  ({ server, page } = session);
});

const asMachine = async (key: string, method: string, path: string, body?: unknown) => {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
};
const order = (externalId: string) => ({
  source: 'shop',
  externalId,
  email: 'buyer@example.com',
  currency: 'EUR',
  items: [{ name: 'Starter kit', quantity: 1, unitPrice: 49 }],
});

describe('API keys', () => {
  it('are created, shown once, used by another system, and revoked', { timeout: 180_000 }, async () => {
    // The list fails first (a 502 page from a proxy): the error and its Retry.
    await page.route('**/v1/api-keys?*', (route) =>
      route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>Bad gateway</h1>' }),
    );
    await page.goto(`${server.url}/#/settings`);
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const keys = page.getByRole('region', { name: 'API keys' });
    await keys.getByRole('alert').waitFor();
    await page.unroute('**/v1/api-keys?*');
    await keys.getByRole('button', { name: 'Retry' }).click();
    await keys.getByText('No API keys yet.').waitFor();

    // Created from the keyboard.
    await page.getByLabel('Name', { exact: true }).last().focus();
    await page.keyboard.type('Shop');
    await page.keyboard.press('Tab');
    await expectFocus(page, 'input[type=checkbox]');
    await page.getByRole('checkbox', { name: /Report purchases/ }).press('Space');
    await page.getByRole('button', { name: 'Create key' }).press('Enter');
    await expectFocus(page, '#new-key');
    const key = await page.locator('#new-key').inputValue();
    assert.match(key, /^tdk_[0-9A-Z]{26}_/);
    await keys.getByRole('row', { name: /Shop/ }).getByText('Never').waitFor();
    await checkBothSizes(page, 'a new API key');
    await page.screenshot({ path: join(SHOTS, 'api-keys-created.png'), fullPage: true });

    // The shop reports an order; it may not read contacts.
    const sale = await asMachine(key, 'POST', '/v1/purchases', order('A-1'));
    assert.equal(sale.status, 201, JSON.stringify(sale.json));
    const reading = await asMachine(key, 'GET', `/v1/contacts/${sale.json.contactId}`);
    assert.equal(reading.status, 403);

    // Shown once: after Done (or a reload) only its hint is left, and its last use.
    await page.getByRole('button', { name: 'Done' }).press('Enter');
    await expectFocus(page, '#key-name');
    await page.reload();
    await keys.getByRole('row', { name: /Shop/ }).waitFor();
    assert.equal(await page.locator('#new-key').count(), 0);
    assert.equal((await page.content()).includes(key), false, 'the key is not shown again');
    assert.equal(await keys.getByRole('row', { name: /Shop/ }).getByText('Never').count(), 0, 'last used');

    // Revoked after a confirm; its next request is refused.
    await keys.getByRole('button', { name: 'Revoke Shop' }).click();
    await keys.getByRole('button', { name: 'Keep' }).press('Enter');
    await expectFocus(page, 'button[aria-label="Revoke Shop"]');
    await keys.getByRole('button', { name: 'Revoke Shop' }).click();
    await keys.getByRole('button', { name: 'Revoke now' }).click();
    await keys
      .getByRole('row', { name: /Shop/ })
      .getByText(/^Revoked /)
      .waitFor();
    await expectFocus(page, '#keys-caption');
    await checkBothSizes(page, 'a revoked API key');
    await page.screenshot({ path: join(SHOTS, 'api-keys-revoked.png'), fullPage: true });
    assert.equal((await asMachine(key, 'POST', '/v1/purchases', order('A-2'))).status, 403);
  });
});
