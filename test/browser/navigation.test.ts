/**
 * The main navigation on a phone: folded behind a Menu button (one line of header rather than five),
 * opened and closed from the keyboard, closed again by going to a screen; on a desktop the links are
 * all shown and there is no Menu button. axe-core finds nothing either way. With no contact yet, the
 * contacts list offers the first steps (add one, import a CSV, create a form).
 * Each screen names the page's title ("Segments · Tendril"; a contact's page, the contact's name),
 * and going to a screen by keyboard puts the focus on its heading — not on the app's first screen
 * after signing in, where Tab starts at the skip link.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { adminClient, eventually, type LocalServer } from '#test/support/local-server.js';
import { DESKTOP, expectFocus, expectNoAxeViolations, PHONE } from './a11y.js';
import { browserSession, SHOTS } from './session.js';

let server: LocalServer;
let page: Page;
browserSession('navigation', {}, (session) => {
  ({ server, page } = session);
});

describe('the main navigation', () => {
  it('folds behind a Menu button on a phone and is all shown on a desktop', async () => {
    await page.goto(`${server.url}/#/contacts`);
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Deals' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Menu' }).isVisible(), false, 'no Menu on a desktop');

    // No contact yet: the first steps to take, each leading somewhere.
    const steps = page.getByRole('list', { name: /Get your first contacts/ });
    await steps.getByRole('button', { name: 'Add a contact' }).press('Enter');
    await expectFocus(page, '#new-contact-email');
    assert.equal(await steps.getByRole('link', { name: 'Import a CSV' }).getAttribute('href'), '#/imports');
    assert.equal(await steps.getByRole('link', { name: 'Create a form' }).getAttribute('href'), '#/forms');
    await expectNoAxeViolations(page, 'the contacts list, empty');
    await page.screenshot({ path: join(SHOTS, 'contacts-empty.png'), fullPage: true });

    await page.setViewportSize(PHONE);
    const menu = page.getByRole('button', { name: 'Menu' });
    await menu.waitFor();
    assert.equal(await nav.isVisible(), false, 'folded');
    const header = (await page.locator('header').boundingBox())?.height ?? 0;
    assert.ok(header < 130, `the header is ${header} px high`);
    await expectNoAxeViolations(page, 'the folded navigation');
    await menu.press('Enter');
    assert.equal(await menu.getAttribute('aria-expanded'), 'true');
    await nav.getByRole('link', { name: 'Deals' }).waitFor();
    await expectNoAxeViolations(page, 'the open navigation');
    await page.screenshot({ path: join(SHOTS, 'navigation-open-phone.png'), fullPage: true });
    await nav.getByRole('link', { name: 'Deals' }).press('Enter');
    await page.waitForURL(/#\/deals/);
    await nav.waitFor({ state: 'hidden' });
    assert.equal(await menu.getAttribute('aria-expanded'), 'false', 'closed by going to a screen');
    await page.setViewportSize(DESKTOP);
  });

  it('names each screen in the title and moves the focus to its heading', { timeout: 120_000 }, async () => {
    const created = await adminClient(server)('POST', '/v1/contacts', {
      email: 'ada@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
    });
    assert.equal(created.status, 201, JSON.stringify(created.json));
    const title = (expected: string) =>
      eventually(async () => ((await page.title()) === expected ? true : undefined)).catch(async () =>
        assert.fail(`the title is “${await page.title()}”, not “${expected}”`),
      );

    // Signing in: the app's first screen is named, and the focus is not moved (Tab: the skip link).
    await page.goto(`${server.url}/#/contacts`);
    await page.getByRole('button', { name: 'Sign out' }).press('Enter');
    await page.getByLabel('Admin token').fill(server.token);
    await title('Sign in · Tendril');
    await page.getByLabel('Admin token').press('Enter');
    await page.getByRole('link', { name: 'ada@example.com' }).waitFor();
    await title('Contacts · Tendril');
    assert.equal(await page.evaluate('document.activeElement === document.body'), true, 'no focus moved');
    await page.keyboard.press('Tab');
    await expectFocus(page, 'a.skip');

    // By keyboard from the navigation: the screen's title, and the focus on its heading.
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Segments' }).press('Enter');
    await page.waitForURL(/#\/segments/);
    await expectFocus(page, 'h1#segments-title', 15_000);
    await title('Segments · Tendril');
    await nav.getByRole('link', { name: 'Deals' }).press('Enter');
    await expectFocus(page, 'h1#deals-title', 15_000);
    await title('Deals · Tendril');

    // A record's page is named after the record; its heading has the focus once it has loaded.
    await nav.getByRole('link', { name: 'Contacts' }).press('Enter');
    await expectFocus(page, 'h1#contacts-title', 15_000);
    await page.getByRole('link', { name: 'ada@example.com' }).press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Ada Lovelace' }).waitFor();
    await expectFocus(page, 'h1#contact-title', 15_000);
    await title('Ada Lovelace · Tendril');
    await expectNoAxeViolations(page, 'a contact page with its heading focused');

    // An address that is no screen says so, in the title too.
    await page.goto(`${server.url}/#/nowhere`);
    await expectFocus(page, 'h1#not-found-title', 15_000);
    await title('Not found · Tendril');
  });
});
