/**
 * Support forms in the admin UI, in a real browser against `npm start`: the forms screen's "Support
 * form" option offers the form's own fields for the subject and the message (selects, nothing typed)
 * and the priority; the created form says it opens cases, its hosted page has the message as a text
 * area, and a visitor's submission (JavaScript off) opens a case with channel form. axe-core finds
 * nothing at 1440 and 390 px.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { adminClient, eventually, type LocalServer } from '#test/support/local-server.js';
import { checkBothSizes, PHONE } from './a11y.js';
import { browserSession, SHOTS } from './session.js';

let server: LocalServer;
let browser: Browser;
let page: Page;
browserSession('case-forms', {}, (session) => {
  ({ server, browser, page } = session);
});
const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);
const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });

describe('support forms in the admin UI', () => {
  it('creates a support form with field pickers; its submission opens a case', {
    timeout: 120_000,
  }, async () => {
    await page.goto(`${server.url}/#/forms`);
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Forms' }).waitFor();

    await page.locator('#form-name').fill('Contact support');
    await page.locator('#form-fields').fill('email, firstName, topic, details');
    await page.getByLabel('Support form: each submission opens a case').check();
    const subject = page.getByLabel('Subject field');
    const message = page.getByLabel('Message field');
    // The form's own fields (not email) are offered.
    assert.deepEqual(await subject.locator('option').allTextContents(), ['firstName', 'topic', 'details']);
    await subject.selectOption('topic');
    await message.selectOption('details');
    assert.deepEqual(await message.locator('option').allTextContents(), ['firstName', 'details']);
    await page.getByLabel('Case priority').selectOption('urgent');
    await checkBothSizes(page, 'the forms screen with the support form option');
    await shot('forms-support-option');
    await page.setViewportSize(PHONE);
    await shot('forms-support-option-phone');
    await page.setViewportSize({ width: 1440, height: 900 });

    await page.getByRole('button', { name: 'Create form' }).click();
    const card = page.locator('article.card').filter({ hasText: 'Contact support' });
    await card.getByText('Support form: each submission opens a case (priority urgent)').waitFor();
    await checkBothSizes(page, 'the forms screen with a support form');
    await shot('forms-support-created');

    const forms = await api('GET', '/v1/forms');
    const form = (
      forms.json.items as Array<{ id: string; name: string; case?: unknown; fields: unknown[] }>
    ).find((f) => f.name === 'Contact support');
    assert.deepEqual(form?.case, { subjectField: 'topic', messageField: 'details', priority: 'urgent' });

    // A visitor, JavaScript off: the hosted form with the message in a text area.
    const visitorContext = await browser.newContext({ javaScriptEnabled: false, viewport: PHONE });
    const visitor = await visitorContext.newPage();
    await visitor.goto(`${server.url}/f/${form?.id}`);
    const openedAt = Date.now();
    await visitor.getByLabel('Email').fill('katherine@example.com');
    await visitor.getByLabel('topic').fill('Trajectory export');
    const details = visitor.locator('textarea#f-details');
    await details.fill('The export is missing the last column.');
    await visitor.screenshot({ path: join(SHOTS, 'support-form-hosted-phone.png'), fullPage: true });
    // The form's spam defence drops a submission sent within 3 s of opening it: a person takes longer.
    await visitor.waitForTimeout(Math.max(0, openedAt + 3_100 - Date.now()));
    await visitor.getByRole('button', { name: 'Submit' }).click();
    await visitor.getByRole('heading', { name: 'Thank you' }).waitFor();
    await visitorContext.close();

    const opened = await eventually(async () => {
      const cases = (await api('GET', '/v1/cases?status=new')).json.items as Array<{
        channel: string;
        subject: string;
        email: string;
        priority: string;
      }>;
      return cases.find((c) => c.email === 'katherine@example.com');
    }, 30_000);
    assert.equal(opened.channel, 'form');
    assert.equal(opened.subject, 'Trajectory export');
    assert.equal(opened.priority, 'urgent');
  });
});
