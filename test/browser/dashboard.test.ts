/**
 * The dashboard in a real browser against `npm start`: it fails and Retries, shows zeros and a hint
 * on a fresh CRM, then KPI tiles with deals won in two currencies as two figures (never added), the
 * open pipeline per currency (its history starting with the CRM's first change: no change compared
 * yet; dashboard-history.test.ts has a longer history), the daily chart with its table; the date
 * range picker changes the tiles and survives a reload (it is in the hash). axe-core finds nothing
 * at 1440 and 390 px.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { adminClient, eventually, type LocalServer } from '#test/support/local-server.js';
import { checkBothSizes, DESKTOP, PHONE, tabThrough } from './a11y.js';
import { browserSession, SHOTS } from './session.js';

let server: LocalServer;
let page: Page;
browserSession('dashboard', {}, (session) => {
  ({ server, page } = session);
});
const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);
const shot = async (name: string) => {
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: join(SHOTS, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(DESKTOP);
};
const tile = (label: string) =>
  page.locator('.dash-kpis .kpi-tile', { has: page.locator('dt', { hasText: label }) });
/** The chart's numbers, opened if closed. */
async function numbersPerDay() {
  const details = page.locator('details.chart-data');
  if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
  return page.getByRole('region', { name: 'New contacts and deals won per day: the numbers' });
}
const tileValue = async (label: string) => (await tile(label).locator('.kpi-value').textContent())?.trim();

describe('the dashboard', () => {
  it('fails and Retries, then shows zeros and a hint on a fresh CRM', { timeout: 90_000 }, async () => {
    await page.route('**/v1/reports/dashboard*', (route) =>
      route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>Bad gateway</h1>' }),
    );
    await page.goto(`${server.url}/#/dashboard`);
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('HTTP 502').waitFor();
    // The range can still be changed while the report fails.
    await page.getByLabel('Date range').waitFor();
    await page.unroute('**/v1/reports/dashboard*');
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.getByText('Nothing counted yet.').waitFor();
    assert.equal(await tileValue('New contacts'), '0');
    assert.equal(await tileValue('Deals won'), '0');
    assert.match(String(await tile('Open pipeline').textContent()), /No open deal/);
    // Nothing counted yet: only today's figures are known, and nothing is compared.
    const history = page.locator('.open-history');
    await history.getByText('No open deal in these days.').waitFor();
    await history.getByRole('img', { name: /Open cases: Open cases from 0 to 0/ }).waitFor();
    assert.match(
      String(await tile('Open cases').textContent()),
      /History starts with the first change counted/,
    );
    assert.equal(await page.getByRole('alert').count(), 0);
    await checkBothSizes(page, 'the empty dashboard');
  });

  it('shows deals won per currency, the open pipeline, the daily chart, and follows the range picker', {
    timeout: 150_000,
  }, async () => {
    const pipeline = await api('POST', '/v1/pipelines', {
      name: 'Sales',
      stages: [
        { name: 'Qualified', probability: 0.3 },
        { name: 'Won', probability: 1 },
        { name: 'Lost', probability: 0 },
      ],
    });
    assert.equal(pipeline.status, 201, JSON.stringify(pipeline.json));
    for (const email of ['ada@example.com', 'grace@example.com', 'lin@example.com'])
      assert.equal((await api('POST', '/v1/contacts', { email, source: 'webinar' })).status, 201);
    const deal = (title: string, amount: number, currency: string, stage: string) =>
      api('POST', '/v1/deals', { title, amount, currency, pipelineId: pipeline.json.id, stage });
    for (const d of [
      await deal('Acme', 1200, 'EUR', 'Won'),
      await deal('Globex', 800, 'USD', 'Won'),
      await deal('Initech', 300, 'EUR', 'Won'),
      await deal('Umbrella', 500, 'EUR', 'Qualified'),
    ])
      assert.equal(d.status, 201, JSON.stringify(d.json));
    // The projection is asynchronous (outbox → bus → projector).
    const report = await eventually(async () => {
      const r = (await api('GET', '/v1/reports/dashboard')).json;
      return r.kpis.dealsWon.count.current === 3 &&
        r.kpis.newContacts.current === 3 &&
        r.kpis.openPipeline.length === 1
        ? r
        : undefined;
    }, 60_000);
    // One figure per currency, in the API too.
    assert.deepEqual(
      report.kpis.dealsWon.byCurrency.map((w: { currency: string; amount: { current: number } }) => [
        w.currency,
        w.amount.current,
      ]),
      [
        ['EUR', 1500],
        ['USD', 800],
      ],
    );

    await page.reload();
    await tile('Deals won').locator('.kpi-value').getByText('3', { exact: true }).waitFor();
    const won = tile('Deals won')
      .getByRole('list', { name: 'Amount won per currency' })
      .getByRole('listitem');
    assert.equal(await won.count(), 2);
    assert.match(String(await won.nth(0).textContent()), /€\s?1,500\.00/);
    assert.match(String(await won.nth(1).textContent()), /\$800\.00/);
    // Never a sum across currencies (2,300) anywhere on the page.
    assert.doesNotMatch(String(await page.locator('main').textContent()), /2,300/);
    const open = tile('Open pipeline').getByRole('listitem');
    assert.equal(await open.count(), 1);
    assert.match(String(await open.textContent()), /€\s?500\.00.*1 deal · weighted €\s?150\.00/s);
    assert.equal(await tileValue('New contacts'), '3');
    assert.match(String(await tile('New contacts').textContent()), /up from 0/);
    // The history of the open pipeline starts today (this CRM's first change): no change is given
    // for a range starting before it, and the chart has today's figure only.
    const todayText = new Intl.DateTimeFormat('en-US', {
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      timeZone: 'UTC',
    }).format(new Date(new Date().toISOString().slice(0, 10)));
    const startsToday = new RegExp(`History starts on ${todayText}: no change before it`);
    assert.match(String(await tile('Open pipeline').textContent()), startsToday);
    assert.doesNotMatch(String(await tile('Open pipeline').textContent()), /vs previous/);
    await page
      .locator('.open-history')
      .getByRole('img', { name: /Open pipeline in EUR: Open amount \(EUR\) from €\s?500\.00 to €\s?500\.00/ })
      .waitFor();
    // The pipeline's card: a column per currency, named stages.
    const sales = page.getByRole('region', { name: 'Sales: value by stage' });
    assert.match(
      String(await sales.getByRole('row', { name: /Won/ }).textContent()),
      /3.*€\s?1,500\.00.*\$800\.00/s,
    );

    // The chart: an image with its legend, and the numbers per day in a table.
    await page.getByRole('img', { name: /New contacts and deals won per day/ }).waitFor();
    assert.equal((await page.locator('.chart-box canvas').count()) > 0, true);
    const perDay = await numbersPerDay();
    assert.equal(await perDay.getByRole('row').count(), 31);
    const today = perDay.getByRole('row').last().getByRole('cell');
    assert.deepEqual(await today.allTextContents(), ['3', '3']);
    await checkBothSizes(page, 'the dashboard with deals in two currencies');
    await shot('dashboard-kpis');

    // The range picker is reached by Tab from the heading's area.
    await page.locator('#main').focus();
    await tabThrough(page, '#dash-range');

    // A custom range with nothing in it: every tile says 0; kept in the hash, so a reload keeps it.
    await page.getByLabel('Date range').selectOption('custom');
    await page.getByRole('textbox', { name: 'From', exact: true }).fill('2020-01-01');
    await page.getByRole('textbox', { name: 'To', exact: true }).fill('2020-01-31');
    await page.getByRole('button', { name: 'Apply' }).click();
    await eventually(async () => (page.url().includes('from=2020-01-01&to=2020-01-31') ? true : undefined));
    await tile('Deals won').locator('.kpi-value').getByText('0', { exact: true }).waitFor();
    assert.equal(await tileValue('New contacts'), '0');
    await page.reload();
    await page
      .getByText(/Jan 1, 2020 – Jan 31, 2020|1 Jan 2020 – 31 Jan 2020/)
      .first()
      .waitFor();
    await tile('Deals won').locator('.kpi-value').getByText('0', { exact: true }).waitFor();
    assert.equal(await page.getByLabel('Date range').inputValue(), 'custom');
    assert.equal(await page.getByRole('textbox', { name: 'From', exact: true }).inputValue(), '2020-01-01');
    // A start after the end is refused in words, at the fields.
    await page.getByRole('textbox', { name: 'From', exact: true }).fill('2020-02-15');
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('alert').getByText('The start must not be after the end.').waitFor();
    assert.ok(page.url().includes('from=2020-01-01'));

    // Last 7 days: today's contacts and deals are back in the tiles.
    await page.getByLabel('Date range').selectOption('7d');
    await eventually(async () => (page.url().endsWith('#/dashboard?range=7d') ? true : undefined));
    await tile('New contacts').locator('.kpi-value').getByText('3', { exact: true }).waitFor();
    assert.equal(await tileValue('Deals won'), '3');
    assert.equal(await (await numbersPerDay()).getByRole('row').count(), 8);
    await checkBothSizes(page, 'the dashboard, last 7 days');
  });
});
