/**
 * Webhooks in a real browser (Debian's Chromium driven by playwright-core) against `npm start`, with
 * a receiver on 127.0.0.1: an admin subscribes it to new contacts from the settings page (the
 * secret shown once, focused), sends a test event and watches the log; a contact created over the
 * API arrives signed; a failing receiver shows as retrying with its next attempt; the webhook is
 * turned off and on, edited, a delivery sent again, and the webhook deleted. axe-core finds nothing at 1440
 * and 390 px.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { adminClient, eventually, type LocalServer } from '#test/support/local-server.js';
import { startReceiver } from '#test/support/webhook-receiver.js';
import { verifySignature } from '#webhooks/delivery.js';
import { checkBothSizes, expectFocus } from './a11y.js';
import { browserSession, SHOTS } from './session.js';

let server: LocalServer;
let page: Page;
browserSession('webhooks', { env: { TENDRIL_TIME_SCALE: '30' } }, (session) => {
  ({ server, page } = session);
});
const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);

let receiver: Awaited<ReturnType<typeof startReceiver>>;
let answer = 200;
before(async () => {
  receiver = await startReceiver();
  receiver.answer = () => answer;
});
after(() => receiver?.close());
const received = () => receiver.received;

describe('webhooks', () => {
  it('are subscribed, tested, watched, turned off and on, and deleted', { timeout: 240_000 }, async () => {
    await page.goto(`${server.url}/#/settings`);
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const section = page.getByRole('region', { name: 'Webhooks' });
    await section.getByText('No webhooks yet.').waitFor();
    await page.getByLabel('URL').fill(receiver.url);
    await page.getByLabel('Description (optional)').fill('Data warehouse');
    await page.getByRole('checkbox', { name: 'ContactCreated' }).press('Space');
    await page.getByRole('button', { name: 'Create webhook' }).press('Enter');
    await expectFocus(page, '#new-secret');
    const secret = await page.locator('#new-secret').inputValue();
    assert.match(secret, /^whsec_/);
    await section.getByRole('link', { name: 'Data warehouse' }).waitFor();
    await checkBothSizes(page, 'a new webhook');
    await page.screenshot({ path: join(SHOTS, 'webhooks-created.png'), fullPage: true });

    await page.getByRole('link', { name: 'Open the webhook' }).click();
    await page.getByRole('heading', { name: 'Data warehouse' }).waitFor();
    await page.getByText('No deliveries yet').waitFor();
    await page.getByRole('button', { name: 'Send a test event' }).click();
    const log = page.getByRole('region', { name: 'Newest first (kept 30 days)' });
    await log
      .getByRole('row', { name: /WebhookPinged/ })
      .getByText('delivered')
      .waitFor({ timeout: 30_000 });

    const contact = await api('POST', '/v1/contacts', { email: 'warehouse@example.com' });
    assert.equal(contact.status, 201);
    // The log follows deliveries under way by itself; a new one shows on Refresh.
    const refreshUntil = (what: () => Promise<boolean>) =>
      eventually(async () => {
        if (await what()) return true;
        await page.getByRole('button', { name: 'Refresh' }).click();
        return undefined;
      }, 30_000);
    await refreshUntil(
      async () =>
        (await log
          .getByRole('row', { name: /ContactCreated/ })
          .getByText('delivered')
          .count()) > 0,
    );
    const got = received().find((r) => r.type === 'ContactCreated');
    assert.ok(
      got && verifySignature(secret, String(got.headers['tendril-signature']), got.body, new Date()),
      'signed with the secret shown',
    );

    // The receiver fails: the delivery is retrying, with its next attempt.
    answer = 500;
    await api('POST', '/v1/contacts', { email: 'second@example.com' });
    await refreshUntil(async () => (await log.getByText(/^next /).count()) > 0);
    await checkBothSizes(page, 'a webhook’s delivery log');
    await page.screenshot({ path: join(SHOTS, 'webhook-log.png'), fullPage: true });
    answer = 200;
    await eventually(
      async () => (received().filter((r) => r.type === 'ContactCreated').length >= 3 ? true : undefined),
      30_000,
    );

    // From the keyboard: the focus stays on the button pressed.
    await page.getByRole('button', { name: 'Turn off' }).press('Enter');
    await page.getByText('Turned off.').waitFor();
    await expectFocus(page, '#toggle-webhook');
    assert.equal((await api('GET', '/v1/webhooks')).json.items[0].enabled, false);
    await page.getByRole('button', { name: 'Turn on' }).click();
    await page.getByText('Turned on; its failures start over.').waitFor();

    // Edited: the form takes the focus, gives it back to Edit once saved.
    await page.getByRole('button', { name: 'Edit' }).click();
    await expectFocus(page, '#edit-url');
    await page.getByLabel('Description', { exact: true }).fill('Warehouse');
    await page
      .getByRole('form', { name: 'Edit the webhook' })
      .getByRole('checkbox', { name: 'ContactTagged' })
      .check();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('heading', { name: 'Warehouse', exact: true }).waitFor();
    await expectFocus(page, '#edit-webhook');
    assert.deepEqual((await api('GET', '/v1/webhooks')).json.items[0].eventTypes, [
      'ContactCreated',
      'ContactTagged',
    ]);

    const before = received().length;
    await log.getByRole('button', { name: /^Send again: WebhookPinged/ }).press('Enter');
    await expectFocus(page, '#log-title');
    await eventually(async () => (received().length > before ? true : undefined), 30_000);

    await page.getByRole('button', { name: 'Delete' }).press('Enter');
    await expectFocus(page, '#keep-webhook');
    await page.getByRole('button', { name: 'Keep' }).press('Enter');
    await expectFocus(page, '#delete-webhook');
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Delete now' }).click();
    await page.waitForURL(/#\/settings$/);
    await page.getByRole('region', { name: 'Webhooks' }).getByText('No webhooks yet.').waitFor();
  });
});
