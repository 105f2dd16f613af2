/**
 * Conversion predictions in a real browser against `npm start`: Settings → Lead scoring says there
 * is no model yet and why (the run the trainer's timer made at start), then — the API answering with
 * a trained model, since a model needs contacts older than 90 days — its AUC, training date, sizes
 * and weights; a contact's Lead score card says "no model yet", then shows a likelihood with its top
 * three factors and a customer's churn risk, and a failed read with Retry; the contacts list shows
 * each contact's stored likelihood and band (the trainer's items, answered by the test: nothing is
 * old enough to train on in local mode), lists a band on its own (refused with a tag or a stage),
 * says an empty band is empty, and a failed read of the likelihoods with Retry. axe-core finds
 * nothing, and nothing is wider than the screen, at 1440 and 390 px.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { adminClient, eventually, type LocalServer } from '#test/support/local-server.js';
import { checkBothSizes, DESKTOP, PHONE } from './a11y.js';
import { browserSession, SHOTS } from './session.js';

let server: LocalServer;
let page: Page;
browserSession('predictions', {}, (session) => {
  ({ server, page } = session);
});
const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);
const json = (body: unknown) => ({
  status: 200,
  contentType: 'application/json',
  body: JSON.stringify(body),
});

const TRAINED_AT = '2026-11-30T03:00:00.000Z';
const trainedModel = {
  model: {
    trainedAt: TRAINED_AT,
    intercept: -2.1,
    coefficients: [
      { feature: 'score', label: 'Lead score', coefficient: 0.62, mean: 18, sd: 14 },
      {
        feature: 'daysSinceActivity',
        label: 'Days since last activity',
        coefficient: -0.81,
        mean: 120,
        sd: 90,
      },
      { feature: 'tags', label: 'Tags', coefficient: 0.04, mean: 1, sd: 1 },
      { feature: 'source:form', label: 'Source: form', coefficient: 0.37, mean: 0.4, sd: 0.49 },
    ],
    auc: 0.8123,
    trainingSize: 1204,
    holdoutSize: 301,
    positives: 45,
    holdoutPositives: 12,
    labelDays: 90,
    l2: 1,
    iterations: 6,
  },
  lastRun: {
    at: TRAINED_AT,
    outcome: 'trained',
    contactsRead: 1700,
    labeled: 1505,
    positives: 57,
    capped: false,
  },
  trainedEveryHours: 24,
  minimumPositives: 20,
};

describe('the conversion model in Settings → Lead scoring', () => {
  it('says there is no model yet, and why', { timeout: 90_000 }, async () => {
    // The trainer's timer fires at start: with no won deal it records why it did not train.
    await eventually(
      async () => ((await api('GET', '/v1/predictions/model')).json.lastRun ? true : undefined),
      30_000,
    );
    await page.goto(`${server.url}/#/settings`);
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const summary = page.getByRole('region', { name: 'Conversion predictions' });
    await summary.getByText('No model yet: it needs at least 20 contacts with a won deal.').waitFor();
    await summary
      .getByText(
        /^The last training, .+, was skipped: 0 contacts have a won deal; training needs at least 20\.$/,
      )
      .waitFor();
    await checkBothSizes(page, 'no conversion model yet');
  });

  it('shows a trained model: AUC, date, sizes and what it weighs', { timeout: 60_000 }, async () => {
    await page.route('**/v1/predictions/model', (route) => route.fulfill(json(trainedModel)));
    await page.reload();
    const summary = page.getByRole('region', { name: 'Conversion predictions' });
    await summary.getByText('0.81', { exact: true }).waitFor();
    const facts = await summary.locator('.pm-facts').innerText();
    assert.match(facts, /Held-out AUC\s+0\.81 \(0\.5 is chance, 1 is perfect\)/);
    assert.match(facts, /1,204 trained on \(45 converted\),\s+301 held out to measure it \(12 converted\)/);
    assert.equal(await summary.locator('time').first().getAttribute('datetime'), TRAINED_AT);
    assert.equal(await summary.getByText(/was skipped/).count(), 0);
    // The weights, largest first, behind a disclosure opened from the keyboard.
    await summary.getByText('What the model weighs').press('Enter');
    const rows = summary.getByRole('table').getByRole('row');
    await rows.nth(1).waitFor();
    assert.deepEqual(
      (await rows.allInnerTexts()).map((r) => r.split('\t').map((c) => c.trim())),
      [
        ['Feature', 'Weight'],
        ['Days since last activity', '-0.81'],
        ['Lead score', '+0.62'],
        ['Source: form', '+0.37'],
        ['Tags', '+0.04'],
      ],
    );
    await checkBothSizes(page, 'a trained conversion model');
    await summary.scrollIntoViewIfNeeded();
    await summary.screenshot({ path: join(SHOTS, 'settings-conversion-model.png') });
    await page.setViewportSize(PHONE);
    await summary.screenshot({ path: join(SHOTS, 'settings-conversion-model-phone.png') });
    await page.setViewportSize(DESKTOP);
    await page.unroute('**/v1/predictions/model');
  });
});

describe('a contact’s likelihood to convert', () => {
  let contactId = '';

  it('says there is no model yet', { timeout: 60_000 }, async () => {
    const made = await api('POST', '/v1/contacts', { email: 'maybe@example.com', firstName: 'May' });
    assert.equal(made.status, 201, JSON.stringify(made.json));
    contactId = made.json.id;
    await page.goto(`${server.url}/#/contacts/${contactId}`);
    const card = page.getByRole('region', { name: 'Lead score' });
    await card
      .getByText(
        'No model yet: 0 contacts have a won deal; training needs at least 20. See Settings → Lead scoring.',
      )
      .waitFor();
    assert.equal(await card.getByRole('heading', { name: 'Likelihood to convert' }).count(), 1);
    assert.equal(await card.getByRole('heading', { name: 'Churn risk' }).count(), 0);
    await checkBothSizes(page, 'a contact with no conversion model yet');
  });

  it('shows the likelihood with its top three factors, and a customer’s churn risk', {
    timeout: 60_000,
  }, async () => {
    await page.route('**/prediction', (route) =>
      route.fulfill(
        json({
          contactId,
          status: 'predicted',
          likelihood: 0.342,
          factors: [
            {
              feature: 'score',
              label: 'Lead score',
              detail: 'Lead score 62 (average 18)',
              value: 62,
              contribution: 0.84,
            },
            {
              feature: 'daysSinceActivity',
              label: 'Days since last activity',
              detail: 'Last active 200 days ago (average 120 days)',
              value: 200,
              contribution: -0.72,
            },
            {
              feature: 'source:form',
              label: 'Source: form',
              detail: 'Came from form',
              value: 1,
              contribution: 0.46,
            },
          ],
          modelTrainedAt: TRAINED_AT,
          modelAuc: 0.812,
          stage: 'customer',
          churn: {
            risk: 0.87,
            level: 'high',
            recentEngagement: 0,
            previousEngagement: 4.5,
            factors: [
              {
                feature: 'pageViews',
                label: 'Page views',
                detail: '0 page views in the last 30 days, 4.5 per 30 days in the 60 before',
                value: 0,
                contribution: 0.6,
              },
              {
                feature: 'daysSinceActivity',
                label: 'Days since last activity',
                detail: 'Last activity 40 days ago',
                value: 40,
                contribution: 0.27,
              },
            ],
          },
        }),
      ),
    );
    const card = page.getByRole('region', { name: 'Lead score' });
    await card.getByRole('button', { name: 'Reload score' }).click();
    await card.locator('#prediction-text').getByText('34%').waitFor();
    assert.match(await card.locator('#prediction-text').innerText(), /^34%\s+likely to get a won deal$/);
    assert.equal(await card.locator('.prediction meter').first().getAttribute('value'), '0.342');
    const factors = card.getByRole('list', { name: 'Mostly because of:' }).first().getByRole('listitem');
    assert.deepEqual(
      (await factors.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()),
      [
        '▲ Lead score 62 (average 18) raises it (+0.84)',
        '▼ Last active 200 days ago (average 120 days) lowers it (-0.72)',
        '▲ Came from form raises it (+0.46)',
      ],
    );
    assert.match(await card.locator('.prediction-model').innerText(), /held-out AUC 0\.81 \(0\.5 is chance/);
    await card.getByRole('heading', { name: 'Churn risk' }).waitFor();
    assert.match(
      await card.locator('#churn-text').innerText(),
      /^High \(87%\): 0 engagements in the last 30 days,\s+4\.5 per 30 days before\.$/,
    );
    const churn = card.getByRole('list', { name: 'Mostly because of:' }).nth(1).getByRole('listitem');
    assert.equal(await churn.count(), 2);
    assert.match(await churn.first().innerText(), /adds to the risk \(\+0\.6\)/);
    await checkBothSizes(page, 'a contact’s likelihood and churn risk');
    await card.scrollIntoViewIfNeeded();
    await card.screenshot({ path: join(SHOTS, 'contact-prediction.png') });
    await page.setViewportSize(PHONE);
    await card.screenshot({ path: join(SHOTS, 'contact-prediction-phone.png') });
    await page.setViewportSize(DESKTOP);
    await page.unroute('**/prediction');
  });

  it('says when the prediction failed to load, and Retries', { timeout: 60_000 }, async () => {
    await page.route('**/prediction', (route) =>
      route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>Bad gateway</h1>' }),
    );
    const card = page.getByRole('region', { name: 'Lead score' });
    await card.getByRole('button', { name: 'Reload score' }).click();
    const failed = card.locator('.prediction').getByRole('alert');
    await failed.getByText('HTTP 502').waitFor();
    assert.match(await card.locator('.standing-total').innerText(), /points/, 'the score is still shown');
    await checkBothSizes(page, 'a prediction that failed to load');
    await page.unroute('**/prediction');
    await failed.getByRole('button', { name: 'Retry' }).click();
    await card.getByText(/^No model yet: 0 contacts have a won deal/).waitFor();
    assert.equal(await card.locator('.prediction').getByRole('alert').count(), 0);
  });
});

describe('the contacts list’s likelihood column and band filter', () => {
  // Route matchers kept once: unroute matches a function by identity.
  const isPath = (path: string) => (url: URL) => url.pathname === path;
  const likelihoodsRead = isPath('/v1/predictions');
  const bandRead = isPath('/v1/predictions/bands/high/contacts');
  let hot = { id: '', email: 'hot-lead@example.com' };

  it('shows each contact’s stored likelihood and band, "—" for one not scored', {
    timeout: 60_000,
  }, async () => {
    const made = await api('POST', '/v1/contacts', { email: hot.email, firstName: 'Hana' });
    assert.equal(made.status, 201, JSON.stringify(made.json));
    hot = made.json;
    // No model in local mode (no contact is 90 days old): the trainer's items as it would store them.
    const asked: string[] = [];
    await page.route(likelihoodsRead, (route) => {
      const ids = new URL(route.request().url()).searchParams.get('ids')?.split(',') ?? [];
      asked.push(...ids);
      route.fulfill(
        json({
          items: ids
            .filter((id) => id === hot.id)
            .map((contactId) => ({
              contactId,
              likelihood: 0.724,
              band: 'high',
              scoredAt: TRAINED_AT,
              modelTrainedAt: TRAINED_AT,
            })),
        }),
      );
    });
    await page.goto(`${server.url}/#/contacts`);
    const table = page.getByRole('table', { name: 'Contacts' });
    const row = table.getByRole('row').filter({ hasText: hot.email });
    await row.locator('td.likelihood').getByText('72% high').waitFor();
    const headers = await table.getByRole('columnheader').allInnerTexts();
    assert.ok(headers.includes('Likelihood'), headers.join('|'));
    assert.ok(asked.includes(hot.id), 'the page’s ids, in one batched read');
    const other = table.getByRole('row').filter({ hasText: 'maybe@example.com' });
    assert.equal((await other.locator('td.likelihood').innerText()).trim(), '—');
    await checkBothSizes(page, 'the contacts list with likelihoods');
    await page.screenshot({ path: join(SHOTS, 'contacts-likelihood.png') });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: join(SHOTS, 'contacts-likelihood-phone.png'), fullPage: true });
    await page.setViewportSize(DESKTOP);
  });

  it('lists a band on its own, from the keyboard; an empty band says so', { timeout: 60_000 }, async () => {
    await page.locator('#search-tag').fill('vip');
    await page.getByLabel('Likelihood to convert').selectOption({ label: 'High (50% or more)' });
    await page.getByRole('button', { name: 'Search' }).press('Enter');
    await page.getByRole('alert').getByText('List a likelihood band on its own').waitFor();
    await page.locator('#search-tag').fill('');
    await page.getByLabel('Lifecycle stage').selectOption({ label: 'Customer' });
    await page.getByRole('button', { name: 'Search' }).press('Enter');
    await page.getByRole('alert').getByText('List a stage or a likelihood band, not both').waitFor();
    await page.getByLabel('Lifecycle stage').selectOption({ label: 'Any stage' });
    // The real band listing: nothing is scored in local mode.
    await page.getByRole('button', { name: 'Search' }).press('Enter');
    await page.getByText('No contacts match.').waitFor();
    assert.equal(await page.getByRole('alert').filter({ hasText: 'List a' }).count(), 0);
    await checkBothSizes(page, 'an empty likelihood band');
    // A band with a contact in it (the listing as the index answers it).
    const listed: string[] = [];
    await page.route(bandRead, (route) => {
      listed.push(route.request().url());
      route.fulfill(json({ items: [hot] }));
    });
    // Listed again (the same filter twice is not read again): by way of another band. High is chosen
    // before the list has re-rendered for Medium (one script, no frame between): the form keeps it.
    await page.evaluate(async () => {
      const select = document.querySelector<HTMLSelectElement>('#search-band');
      const form = select?.form;
      if (!select || !form) throw new Error('no band filter');
      select.value = 'medium';
      select.dispatchEvent(new Event('change', { bubbles: true }));
      await new Promise((done) => setTimeout(done, 0)); // the form renders Medium
      form.requestSubmit();
      select.value = 'high';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await page.waitForFunction(() => window.location.hash.includes('band=medium'));
    // The list's render and its effects (Preact runs them after the next frame).
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0))));
    await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0))));
    assert.equal(await page.getByLabel('Likelihood to convert').inputValue(), 'high');
    await page.getByRole('button', { name: 'Search' }).press('Enter');
    const table = page.getByRole('table', { name: 'Contacts' });
    await table
      .getByRole('row')
      .filter({ hasText: hot.email })
      .locator('td.likelihood')
      .getByText('72% high')
      .waitFor();
    assert.equal((await table.getByRole('row').allInnerTexts()).filter((r) => r.includes('@')).length, 1);
    assert.match(listed[0] ?? '', /limit=25/);
    await checkBothSizes(page, 'the contacts of a likelihood band');
    await page.screenshot({ path: join(SHOTS, 'contacts-by-band.png') });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: join(SHOTS, 'contacts-by-band-phone.png'), fullPage: true });
    await page.setViewportSize(DESKTOP);
    await page.unroute(bandRead);
  });

  it('says when the likelihoods failed to load, and Retries', { timeout: 60_000 }, async () => {
    await page.unroute(likelihoodsRead);
    await page.route(likelihoodsRead, (route) =>
      route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>Bad gateway</h1>' }),
    );
    await page.getByLabel('Likelihood to convert').selectOption({ label: 'Any likelihood' });
    await page.getByRole('button', { name: 'Search' }).press('Enter');
    const failed = page.getByRole('alert').filter({ hasText: 'HTTP 502' });
    await failed.waitFor();
    const table = page.getByRole('table', { name: 'Contacts' });
    await table.getByRole('row').filter({ hasText: hot.email }).waitFor();
    await checkBothSizes(page, 'likelihoods that failed to load');
    await page.unroute(likelihoodsRead);
    await failed.getByRole('button', { name: 'Retry' }).click();
    await failed.waitFor({ state: 'detached' });
    // The real read: nobody is scored in local mode.
    assert.equal(
      (
        await table.getByRole('row').filter({ hasText: hot.email }).locator('td.likelihood').innerText()
      ).trim(),
      '—',
    );
  });
});
