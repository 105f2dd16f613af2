/**
 * The admin UI in a real browser (Debian's Chromium driven by playwright-core) against `npm start`:
 * a marketer signs in, creates a template, a workflow and a form, submits the lead from the embedded
 * snippet, finds the lead, tags it and sees the enrollment; then the pipeline board, tasks and the
 * dashboard. Screenshots of each main screen go to test/e2e/screenshots/.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { adminClient, type LocalServer } from '#test/support/local-server.js';
import { checkBothSizes, DESKTOP, PHONE } from './a11y.js';
import { browserSession, SHOTS } from './session.js';

let server: LocalServer;
let browser: Browser;
let page: Page;

browserSession(
  'ui',
  {
    env: { TENDRIL_TIME_SCALE: '3600' },
    viewport: { width: 1280, height: 900 },
  },
  (session) => {
    ({ server, browser, page } = session);
  },
);

const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const go = (hash: string) => page.goto(`${server.url}/${hash}`);

describe('admin UI', () => {
  it('signs in with the local token and shows an empty contacts list', async () => {
    await page.goto(`${server.url}/`);
    await page.getByLabel('Admin token').fill('wrong-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    // A wrong token is refused by the API: back at the sign-in page.
    await page.getByLabel('Admin token').waitFor();
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Contacts' }).waitFor();
    await page.getByText('No contacts yet.').waitFor();
  });

  it('shows API validation errors by their message', async () => {
    await page.getByLabel('Email').last().fill('not-an-email');
    await page.getByRole('button', { name: 'Create contact' }).click();
    // The browser's own validation stops type=email first; bypass it to reach the API.
    await page.evaluate("document.getElementById('new-contact-email').type = 'text'");
    await page.getByRole('button', { name: 'Create contact' }).click();
    await page.getByRole('alert').filter({ hasText: 'the request body is not valid' }).waitFor();
    await page.getByRole('alert').getByText('must be a valid email address').waitFor();
  });

  it('creates a template with a live preview, and a tag-triggered workflow with errors at their lines', async () => {
    await go('#/templates');
    await page.getByRole('button', { name: 'New template' }).click();
    await page.getByLabel('Name').fill('Welcome');
    await page.getByLabel('Subject').fill('Welcome {{ contact.firstName | default: "friend" }}');
    await page.getByRole('button', { name: 'Create template' }).click();
    await page.getByRole('button', { name: 'Save template' }).waitFor();
    await shot('template-editor');
    const templateId = await page.evaluate(async (token: string) => {
      const res = await fetch('/v1/templates', { headers: { authorization: `Bearer ${token}` } });
      return ((await res.json()) as { items: Array<{ id: string }> }).items[0]?.id ?? '';
    }, server.token);

    await go('#/workflows/new');
    await page.getByRole('tab', { name: 'JSON' }).click();
    const editor = page.getByLabel('Definition (JSON, see docs/workflows.md)');
    await editor.fill(
      JSON.stringify({
        name: 'Welcome VIPs',
        trigger: { type: 'tagAdded', tag: 'vip' },
        steps: [
          { id: 'welcome', type: 'sendEmail', templateId: 'nope' },
          { id: 'pause', type: 'wait', duration: 'P2D' },
        ],
      }),
    );
    await page.getByRole('button', { name: 'Create workflow' }).click();
    const problem = page.locator('#wf-problems li').filter({ hasText: 'steps.0.templateId' });
    await problem.waitFor();
    assert.match(await problem.innerText(), /line \d+/);
    await editor.fill((await editor.inputValue()).replace('"nope"', JSON.stringify(templateId)));
    await page.getByRole('button', { name: 'Create workflow' }).click();
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByRole('img', { name: 'Compiled state machine' }).waitFor();
    await shot('workflow-editor');
  });

  it('creates a form, submits a lead from the embedded snippet, finds it, tags it and sees the enrollment', async () => {
    await go('#/forms');
    await page.locator('#form-name').fill('Newsletter');
    await page.getByLabel('Tags for every lead').fill('newsletter');
    await page.getByRole('button', { name: 'Create form' }).click();
    const snippetBox = page.getByLabel('Embed code');
    await snippetBox.waitFor();
    const snippet = await snippetBox.inputValue();
    assert.match(snippet, /<iframe src="http:\/\/127\.0\.0\.1:\d+\/f\/[0-9A-Z]{26}"/);
    await shot('forms');

    // A visitor's page with the embed code pasted in, JavaScript off: the hosted form in its frame.
    const visitor = await browser.newPage({ javaScriptEnabled: false });
    // The shop's page is served from its own origin, as a real embedding site would be.
    const shop = createServer((_, res) => {
      res.setHeader('content-type', 'text/html; charset=utf-8');
      res.end(`<!doctype html><html lang="en"><title>Shop</title><h1>Our newsletter</h1>${snippet}</html>`);
    });
    await new Promise<void>((resolve) => shop.listen(0, '127.0.0.1', resolve));
    after(() => shop.close());
    await visitor.goto(`http://localhost:${(shop.address() as AddressInfo).port}/newsletter`);
    const frame = visitor.frameLocator('iframe');
    // An address the browser's own check lets through and the server's does not (no domain suffix).
    await frame.getByLabel('email').fill('lena@example');
    await frame.getByLabel('firstName').fill('Lena');
    // A person takes a few seconds to fill a form (the form's minimum fill time is 3 s).
    await visitor.waitForTimeout(3100);
    await frame.getByRole('button', { name: 'Submit' }).click();
    await frame.getByRole('alert').waitFor();
    assert.equal(await frame.getByLabel('firstName').inputValue(), 'Lena', 'the input is kept');
    await frame.getByLabel('email').fill('lead@example.com');
    await frame.getByRole('button', { name: 'Submit' }).click();
    await frame.getByText(/Thank you/i).waitFor();
    await visitor.close();

    // Nothing was taken for spam; the form's dropped list says so.
    await page.getByText('Dropped as spam').click();
    await page.getByText('Nothing dropped in the last 30 days.').waitFor();

    await go('#/contacts');
    await page.getByLabel('Tag', { exact: true }).fill('newsletter');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: 'lead@example.com' }).click();
    // The contact page is headed by the lead's name (its email below it).
    await page.getByRole('heading', { level: 1, name: 'Lena' }).waitFor();
    await page.getByLabel('Add a tag').fill('vip');
    await page.getByRole('button', { name: 'Add tag' }).click();
    await page.getByRole('list', { name: 'Tags' }).getByText('vip').waitFor();
    // The enrollment starts asynchronously (outbox → bus → enroller): refresh until it shows.
    for (let i = 0; i < 50; i++) {
      if (await page.getByRole('list', { name: 'Enrollments' }).count()) break;
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.waitForTimeout(200);
    }
    await page
      .getByRole('list', { name: 'Enrollments' })
      .getByText(/active|completed/)
      .waitFor();
    await page
      .getByRole('list', { name: 'Timeline' })
      .or(page.locator('ol.timeline'))
      .getByText('Submitted form')
      .waitFor();
    await shot('contact');

    // The template preview, rendered for this lead.
    await go('#/templates');
    await page.getByRole('button', { name: 'Welcome' }).click();
    const previewFor = page.getByRole('combobox', { name: 'Render for contact' });
    await previewFor.fill('lena');
    await page.getByRole('option', { name: /Lena/ }).waitFor();
    await previewFor.press('ArrowDown');
    await previewFor.press('Enter');
    await page.getByText('Subject: Welcome Lena').waitFor();
    await page.frameLocator('iframe[title="Rendered email"]').getByText('Unsubscribe').waitFor();
    await shot('templates');

    await go('#/contacts');
    await page.getByRole('link', { name: 'lead@example.com' }).waitFor();
    await shot('contacts');
  });

  it('moves a deal on the pipeline board, lists a task, and charts the dashboard', async () => {
    await go('#/pipelines');
    await page.locator('#pipeline-name').fill('Sales');
    await page.getByRole('button', { name: 'Create pipeline' }).click();
    await page.getByRole('link', { name: 'Sales' }).waitFor();
    await page.locator('#deal-title').fill('Acme');
    await page.locator('#deal-amount').fill('1200');
    await page.getByRole('button', { name: 'Add deal' }).click();
    const stage = page.getByRole('combobox', { name: 'Stage of Acme' });
    await stage.waitFor();
    await stage.selectOption('Proposal');
    const proposal = page.getByRole('region', { name: /Proposal/ });
    await proposal.getByRole('button', { name: 'Acme' }).waitFor();
    // No closed deal yet: the historical forecast uses the static probabilities, and says so.
    await proposal.getByText('History: 0 of 5 closed deals yet (static used)').waitFor();
    await proposal.getByText(/Win 50% \(static\) · no expected close yet/).waitFor();
    await page
      .getByText(/Historical forecast:.*600/)
      .first()
      .waitFor();
    await shot('pipeline-board');

    // A pipeline with history: six deals went through Lead and Proposal, five won, one lost.
    const call = adminClient(server);
    const history = await call('POST', '/v1/pipelines', {
      name: 'Renewals',
      stages: [
        { name: 'Lead', probability: 0.1 },
        { name: 'Proposal', probability: 0.5 },
        { name: 'Won', probability: 1 },
        { name: 'Lost', probability: 0 },
      ],
    });
    assert.equal(history.status, 201, JSON.stringify(history.json));
    const pipelineId = String(history.json.id);
    const deal = { amount: 1000, currency: 'EUR', pipelineId, stage: 'Lead' };
    for (let i = 0; i < 6; i++) {
      const created = await call('POST', '/v1/deals', { ...deal, title: `Closed ${i}` });
      const id = String(created.json.id);
      assert.equal((await call('PATCH', `/v1/deals/${id}`, { version: 1, stage: 'Proposal' })).status, 200);
      const outcome = i < 5 ? 'Won' : 'Lost';
      assert.equal((await call('PATCH', `/v1/deals/${id}`, { version: 2, stage: outcome })).status, 200);
    }
    await call('POST', '/v1/deals', { ...deal, title: 'Open one', amount: 2000 });
    await go(`#/pipelines/${pipelineId}`);
    const lead = page.getByRole('region', { name: /^Lead/ });
    await lead
      .getByText(
        /^History: 83% won of 6 closed \(used\) · avg (under a minute|\d+ minutes?|\d+\.\d (hours|days?)) in stage$/,
      )
      .waitFor();
    const open = page.getByRole('article').filter({ hasText: 'Open one' });
    await open.getByText(/Win 83% \(history\) · expected close \S+/).waitFor();
    // EUR: 5 won (5000) + 2000 × 5/6, beside the static 5000 + 2000 × 10%.
    const summary = page.locator('p').filter({ hasText: "from each stage's win rate" });
    assert.match((await summary.textContent()) ?? '', /6[.,\s]?666[.,]67/);
    assert.match(
      (await page
        .locator('p')
        .filter({ hasText: /^Total:/ })
        .textContent()) ?? '',
      /forecast €?\s?5[.,\s]?200[.,]00/,
    );
    await checkBothSizes(page, 'pipeline forecast');
    await shot('pipeline-forecast');
    await page.setViewportSize(PHONE);
    await shot('pipeline-forecast-phone');
    await page.setViewportSize(DESKTOP);

    // The forecast failing leaves the board usable, with the error and a Retry that loads it.
    await page.route('**/v1/pipelines/*/forecast', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'unavailable', message: 'The forecast is unavailable' } }),
      }),
    );
    await page.reload();
    await page.getByRole('alert').getByText('The forecast is unavailable').waitFor();
    await page.getByRole('article').filter({ hasText: 'Open one' }).waitFor();
    await page.unroute('**/v1/pipelines/*/forecast');
    await page.getByRole('button', { name: 'Retry' }).click();
    await summary.waitFor();
    assert.equal(await page.getByRole('alert').count(), 0);

    await go('#/tasks');
    await page.locator('#task-title').fill('Call Lena');
    await page.locator('#task-due').fill('2030-01-01T09:00');
    await page.getByRole('button', { name: 'Add task' }).click();
    // The form clears once the task is saved.
    for (let i = 0; i < 100 && (await page.locator('#task-title').inputValue()) !== ''; i++)
      await page.waitForTimeout(50);
    // Owned by the signed-in user (the form's default owner): in My tasks.
    await page.getByRole('list', { name: 'My tasks: all open' }).getByText('Call Lena').waitFor();
    await shot('tasks');

    // A shop reports an order (the dashboard counts it from PurchaseMade, per currency).
    const purchase = await adminClient(server)('POST', '/v1/purchases', {
      source: 'shop',
      externalId: 'UI-1',
      email: 'lead@example.com',
      currency: 'EUR',
      items: [{ name: 'Kit', quantity: 3, unitPrice: 19.9 }],
    });
    assert.equal(purchase.status, 201, JSON.stringify(purchase.json));
    await go('#/dashboard');
    await page.getByRole('img', { name: /New contacts and deals won per day/ }).waitFor();
    await page.getByRole('region', { name: 'Sales: value by stage' }).waitFor();
    // The projection is asynchronous (stream → bus → projector): reload until the order is counted.
    const purchases = page.getByRole('region', { name: 'Purchases' });
    for (let i = 0; i < 50 && !(await purchases.isVisible()); i++) {
      await page.waitForTimeout(200);
      await page.reload();
      await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    }
    const row = purchases.getByRole('row', { name: /EUR/ });
    assert.equal(await row.getByRole('cell').nth(0).textContent(), '1');
    assert.match((await row.getByRole('cell').nth(1).textContent()) ?? '', /59[.,]70/);
    await shot('dashboard');

    // The order is on the buyer's contact page too (at both sizes, no axe violation).
    await go(`#/contacts/${purchase.json.contactId}`);
    const bought = page.getByRole('list', { name: 'Purchases' }).getByRole('listitem');
    await bought.getByText('3 × Kit').waitFor();
    assert.match((await bought.textContent()) ?? '', /59[.,]70.*shop order UI-1/s);
    await checkBothSizes(page, 'contact purchases');
    await page.getByRole('heading', { name: 'Purchases' }).scrollIntoViewIfNeeded();
    await shot('contact-purchases');
  });
});
