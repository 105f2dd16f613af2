/**
 * The template editor in a real browser against `npm start`: a merge field inserted where the cursor
 * is, a live preview of what is being written (for the sample contact, then a chosen one) with its
 * warnings before anything is saved, a syntax error said at once, and a saved template sent as a
 * test to an address (found in the mail outbox). axe-core finds nothing at 1440 and 390 px.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { adminClient, eventually, type LocalServer, outbox } from '#test/support/local-server.js';
import { checkBothSizes } from './a11y.js';
import { browserSession, SHOTS } from './session.js';

let server: LocalServer;
let page: Page;
browserSession('templates', {}, (session) => {
  ({ server, page } = session);
});

describe('the template editor', () => {
  it('inserts merge fields, previews what is written, and sends a test', { timeout: 180_000 }, async () => {
    const api = adminClient(server);
    const ada = await api('POST', '/v1/contacts', {
      email: 'ada@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
    });
    assert.equal(ada.status, 201);
    await page.goto(`${server.url}/#/templates`);
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'New template' }).press('Enter');
    await page.getByLabel('Name').fill('Welcome');

    // A merge field goes where the cursor is in the subject.
    const subject = page.locator('#tpl-subject');
    await subject.fill('Welcome, !');
    await subject.press('End');
    await subject.press('ArrowLeft');
    await page.getByLabel(/Insert a merge field in the subject/).selectOption({ label: 'First name' });
    assert.equal(await subject.inputValue(), 'Welcome, {{ contact.firstName }}!');

    // The preview follows the text, before it is saved: the sample contact first.
    const html = page.getByLabel('HTML (Liquid merge fields)');
    await html.fill('<p>Hello {{ contact.firstName }} from {{ contact.nickname }}</p>');
    await page.getByText('Subject: Welcome, Sam!').waitFor();
    await page.frameLocator('iframe[title="Rendered email"]').getByText('Hello Sam from').waitFor();
    const warnings = page.getByRole('status').filter({ hasText: 'Check before sending' });
    await warnings.getByText(/nickname/).waitFor();
    await warnings.getByText(/unsubscribe/i).waitFor();

    // A syntax error is said while writing.
    await html.fill('<p>{% if %}</p>');
    await page
      .getByRole('alert')
      .getByText(/does not compile/)
      .waitFor();
    await html.fill('<p>Hello {{ contact.firstName }}</p><a href="{{ unsubscribeUrl }}">Unsubscribe</a>');

    // Then for a contact chosen by name.
    const who = page.getByRole('combobox', { name: 'Render for contact' });
    await who.fill('lovel');
    await page.getByRole('option', { name: /Ada Lovelace/ }).waitFor();
    await who.press('ArrowDown');
    await who.press('Enter');
    await page.getByText('Subject: Welcome, Ada!').waitFor();
    assert.equal(await warnings.count(), 0, 'no warning left');
    await checkBothSizes(page, 'a template with its live preview');
    await page.screenshot({ path: join(SHOTS, 'template-live-preview.png'), fullPage: true });

    // Saved, then sent as a test to any address.
    await page.getByRole('button', { name: 'Create template' }).press('Enter');
    await page.getByRole('button', { name: 'Save template' }).waitFor();
    await page.locator('#tpl-test-to').fill('me@example.org');
    await page.getByRole('button', { name: 'Send test' }).press('Enter');
    await page.getByText('Sent “[Test] Welcome, Sam!” to me@example.org.').waitFor();
    const mail = await eventually(async () => (await outbox(server, 'me@example.org'))[0]);
    assert.equal(mail.subject, '[Test] Welcome, Sam!');
    await checkBothSizes(page, 'a test sent');
  });
});
