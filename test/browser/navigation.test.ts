/**
 * The main navigation on a phone: folded behind a Menu button (one line of header rather than five),
 * opened and closed from the keyboard, closed again by going to a screen; on a desktop the links are
 * all shown and there is no Menu button. axe-core finds nothing either way.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { LocalServer } from '#test/support/local-server.js';
import { DESKTOP, expectNoAxeViolations, PHONE } from './a11y.js';
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
});
