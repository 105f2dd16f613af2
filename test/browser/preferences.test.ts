/**
 * Subscription types and the preference centre in a real browser (Debian's Chromium driven by
 * playwright-core) against `npm start`: an admin adds two types on the settings page (the empty
 * state first) and picks one in the campaign composer; the campaign's email arrives with a one-click
 * link signed with its type; the reader opens it, leaves just that type, then changes their mind on
 * the preference form from the keyboard — rejoins it and leaves the other. The API shows the choice;
 * the contact's page shows it by name; a forged type in the form is a friendly 400 page. axe-core finds nothing at 1440 and 390 px.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { adminClient, eventually, type LocalServer } from '#test/support/local-server.js';
import { checkBothSizes } from './a11y.js';
import { browserSession, SHOTS } from './session.js';

let server: LocalServer;
let page: Page;
browserSession('preferences', {}, (session) => {
  ({ server, page } = session);
});
const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);

describe('subscription types and the preference centre', () => {
  it('adds types, sends a campaign of one, and lets a reader leave just that type', {
    timeout: 180_000,
  }, async () => {
    await page.goto(`${server.url}/#/settings`);
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('No subscription types yet').waitFor();
    await page.getByRole('button', { name: 'Add a type' }).click();
    // The settings page has other forms (API keys): the types' own fields.
    const types = page.getByRole('form', { name: 'Subscription types' });
    await types.getByLabel('Name').last().fill('Newsletter');
    await page.getByLabel('Description (shown on the unsubscribe page)').last().fill('Once a month');
    await page.getByRole('button', { name: 'Add a type' }).click();
    await types.getByLabel('Name').last().fill('Product news');
    await page.getByRole('button', { name: 'Save types' }).click();
    await page.getByRole('group', { name: 'Type 2 (product-news)' }).waitFor();
    await checkBothSizes(page, 'the subscription types');
    await page.screenshot({ path: join(SHOTS, 'settings-subscription-types.png'), fullPage: true });
    const settings = await api('GET', '/v1/settings/email');
    assert.deepEqual(
      settings.json.subscriptionTypes.map((t: { id: string }) => t.id),
      ['newsletter', 'product-news'],
    );

    const template = await api('POST', '/v1/templates', {
      name: 'Monthly',
      subject: 'This month',
      html: '<p>Hi</p><a href="{{ unsubscribeUrl }}">Unsubscribe</a>',
    });
    assert.equal(template.status, 201, JSON.stringify(template.json));
    const reader = await api('POST', '/v1/contacts', { email: 'reader@example.com', tags: ['monthly'] });
    assert.equal(reader.status, 201, JSON.stringify(reader.json));

    await page.goto(`${server.url}/#/campaigns`);
    await page.getByRole('button', { name: 'New campaign' }).click();
    await page.getByLabel('Name').fill('November letter');
    await page.getByRole('textbox', { name: 'Tag' }).fill('monthly');
    await page.getByLabel('Subscription type').selectOption({ label: 'Newsletter' });
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL(/#\/campaigns\/[0-9A-Z]{26}$/);
    const campaignId = /([0-9A-Z]{26})$/.exec(page.url())?.[1] ?? '';
    await page.getByText(/^Subscription type: Newsletter/).waitFor();
    assert.equal(
      (await api('GET', `/v1/campaigns/${campaignId}`)).json.campaign.subscriptionType,
      'newsletter',
    );
    assert.equal((await api('POST', `/v1/campaigns/${campaignId}/send`)).status, 202);

    const email = await eventually(async () => {
      const store = (await (await fetch(`${server.sesUrl}/store`)).json()) as {
        emails: Array<{ subject: string; headers: Array<{ name: string; value: string }> }>;
      };
      return store.emails.find((e) => e.subject === 'This month');
    }, 60_000);
    const link = /<([^>]+)>/.exec(email.headers.find((h) => h.name === 'List-Unsubscribe')?.value ?? '')?.[1];
    assert.ok(link, 'the email has a List-Unsubscribe link');

    await page.goto(link);
    await page.getByRole('heading', { name: 'Email preferences' }).waitFor();
    await checkBothSizes(page, 'the preference page');
    await page.screenshot({ path: join(SHOTS, 'preference-page.png'), fullPage: true });
    await page.getByRole('button', { name: 'Unsubscribe from Newsletter' }).click();
    await page.getByRole('heading', { name: 'You are unsubscribed from Newsletter' }).waitFor();
    await checkBothSizes(page, 'the page after leaving a type');
    await page.getByRole('link', { name: 'Manage your email preferences' }).click();

    const newsletter = page.getByRole('checkbox', { name: 'Newsletter' });
    const product = page.getByRole('checkbox', { name: 'Product news' });
    assert.equal(await newsletter.isChecked(), false);
    assert.equal(await product.isChecked(), true);
    // From the keyboard: Space toggles the focused box, Enter on the button saves.
    await newsletter.focus();
    await page.keyboard.press('Space');
    await product.focus();
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Save preferences' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Your preferences are saved' }).waitFor();
    await page.getByText('You receive: Newsletter.').waitFor();
    await checkBothSizes(page, 'the saved preferences');

    // A reload of the page an action answered with shows the preferences again (a GET changes nothing).
    await page.goto(`${link}/preferences`);
    await page.getByRole('heading', { name: 'Email preferences' }).waitFor();
    await page.getByText('For reader@example.com').waitFor();
    const contact = await api('GET', `/v1/contacts/${reader.json.id}`);
    assert.deepEqual(contact.json.unsubscribedFrom, ['product-news']);
    assert.equal(contact.json.unsubscribedAt, undefined);
    // The admin sees the choice on the contact's page, by name, and on its timeline.
    await page.goto(`${server.url}/#/contacts/${reader.json.id}`);
    await page.getByText('Left Product news (a subscription type) · still receives the others').waitFor();
    await page.getByText('Resubscribed to Newsletter with their own link').waitFor();
    const forged = await fetch(`${link}/preferences`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
      body: 'types=newsletter&types=vip-only',
    });
    assert.equal(forged.status, 400);
    assert.match(await forged.text(), /unknown subscription type/);
    // Every box unticked is a choice too (the form is never an empty body): none of these emails.
    await page.goto(link);
    await page.getByRole('checkbox', { name: 'Newsletter' }).uncheck();
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByText('You receive none of these emails now.').waitFor();
    assert.deepEqual((await api('GET', `/v1/contacts/${reader.json.id}`)).json.unsubscribedFrom, [
      'newsletter',
      'product-news',
    ]);
    // The campaign's report counts the reader who left its type through its link.
    await eventually(async () => {
      const view = await api('GET', `/v1/campaigns/${campaignId}`);
      return view.json.report?.unsubscribed === 1 ? true : undefined;
    });
  });
});
