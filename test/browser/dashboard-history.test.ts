/**
 * The dashboard's point-in-time figures with a history, in a real browser against `npm start`: a CRM
 * whose dashboard has counted for 20 days (its table prepared before the server starts, through the
 * real use cases and the real projection, with the clock on those days), then changed today through
 * the API. The open pipeline tile gives each currency's change against the end of the previous
 * period (a currency whose deals all closed at 0), the open cases tile its change, the backlog tile
 * too; a range starting before the history says where it starts; a past range is given at its end;
 * the charts draw each currency apart and the open cases, with their numbers per day. axe-core finds
 * nothing at 1440 and 390 px.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { type Browser, chromium, type Page } from 'playwright-core';
import { dynamoStore } from '#app/store.js';
import { projectEvent } from '#insights/counters.js';
import { parseEvent } from '#platform/events.js';
import { ulidFactory } from '#platform/ids.js';
import { createDeal, createPipeline, getDeal, updateDeal } from '#sales/pipelines.js';
import { type Opening, openCase, updateCase } from '#service/cases.js';
import { adminClient, eventually, type LocalServer, startLocalServer } from '#test/support/local-server.js';
import { ensureTable, localClient, startDynamoLocal } from '../../local/dynamodb.js';
import { checkBothSizes, DESKTOP, PHONE } from './a11y.js';
import { CHROMIUM, SHOTS } from './session.js';

const DAY_MS = 24 * 3600 * 1000;
const today = new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.parse(today) - n * DAY_MS).toISOString().slice(0, 10);
const dayText = (d: string) =>
  new Intl.DateTimeFormat('en-US', {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  }).format(new Date(d));

/**
 * 20 days ago: a pipeline, Acme (EUR 1,000) and Initech (EUR 2,000) qualified, Globex (USD 800) in
 * proposal, three cases. 10 days ago: Acme won, Initech repriced to 2,500, a case resolved. 3 days
 * ago: Globex lost, Hooli (EUR 700) qualified, two cases opened. Their events are projected with the
 * clock on the first day, so the history starts then.
 */
async function prepare(dataDir: string): Promise<void> {
  mkdirSync(join(dataDir, 'dynamodb'), { recursive: true, mode: 0o700 });
  const dynamo = await startDynamoLocal(join(dataDir, 'dynamodb'));
  const client = localClient(dynamo.endpoint);
  try {
    await ensureTable(client, 'tendril-local');
    const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    let now = new Date(`${daysAgo(20)}T09:00:00.000Z`);
    const deps = {
      store: dynamoStore(doc, 'tendril-local'),
      clock: { now: () => now },
      ids: { next: ulidFactory() },
    };
    const on = (n: number) => {
      now = new Date(`${daysAgo(n)}T09:00:00.000Z`);
    };
    const opening = (email: string): Opening => ({
      subject: 'Help',
      email,
      priority: 'normal',
      channel: 'api',
      tags: [],
      message: { kind: 'inbound', from: email, text: 'Please help.', attachments: [] },
    });
    const patch = async (id: string, change: Record<string, unknown>) =>
      updateDeal(deps, id, { version: (await getDeal(deps, id)).version, ...change });

    const pipeline = await createPipeline(deps, {
      name: 'Sales',
      stages: [
        { name: 'Qualified', probability: 0.3 },
        { name: 'Proposal', probability: 0.6 },
        { name: 'Won', probability: 1 },
        { name: 'Lost', probability: 0 },
      ],
    });
    const deal = (title: string, amount: number, currency: string, stage: string) =>
      createDeal(deps, { title, amount, currency, pipelineId: pipeline.id, stage });
    const acme = await deal('Acme', 1000, 'EUR', 'Qualified');
    const initech = await deal('Initech', 2000, 'EUR', 'Qualified');
    const globex = await deal('Globex', 800, 'USD', 'Proposal');
    const first = await openCase(deps, opening('ines@example.com'));
    await openCase(deps, opening('omar@example.com'));
    await openCase(deps, opening('lin@example.com'));
    on(10);
    await patch(acme.id, { stage: 'Won' });
    await patch(initech.id, { amount: 2500 });
    await updateCase(deps, first.id, { status: 'resolved' });
    on(3);
    await patch(globex.id, { stage: 'Lost' });
    await deal('Hooli', 700, 'EUR', 'Qualified');
    await openCase(deps, opening('grace@example.com'));
    await openCase(deps, opening('ada@example.com'));

    // The projection, as the dashboard projector ran it, its clock on the first day (the history's start).
    on(20);
    const items = await doc.send(new ScanCommand({ TableName: 'tendril-local', ConsistentRead: true }));
    const events = (items.Items ?? [])
      .filter((i) => String(i.PK).startsWith('OUTBOX#'))
      .map((i) => parseEvent(String(i.detailType), JSON.parse(String(i.detail))))
      .sort((a, b) => a.detail.eventId.localeCompare(b.detail.eventId));
    for (const e of events) await projectEvent(deps, e);
  } finally {
    client.destroy();
    await dynamo.stop();
  }
}

let server: LocalServer;
let browser: Browser;
let page: Page;
before(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tendril-ui-dashboard-history-'));
  mkdirSync(SHOTS, { recursive: true });
  await prepare(dataDir);
  // The same data folder: the server starts on the prepared table (and publishes its outbox, counted once).
  server = await startLocalServer(dataDir);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  page = await browser.newPage({ viewport: DESKTOP });
  page.setDefaultTimeout(15_000);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);
const tile = (label: string) =>
  page.locator('.dash-kpis .kpi-tile', { has: page.locator('dt', { hasText: label }) });
/** What a locator shows, as read (blocks on their own lines), its white space collapsed. */
const text = async (locator: ReturnType<Page['locator']>) =>
  (await locator.innerText()).replace(/\s+/g, ' ').trim();
/** The open cases' figures per day, opened if closed. */
async function casesPerDay() {
  const details = page.locator('.open-history details', { hasText: 'Open cases: figures per day' });
  if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
  return page.getByRole('region', { name: 'Open cases: the figures' }).getByRole('row');
}
const cell = async (row: ReturnType<Page['locator']>) => (await row.getByRole('cell').innerText()).trim();
const shot = async (name: string) => {
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: join(SHOTS, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(DESKTOP);
};

describe('the open pipeline and open cases over time', () => {
  it('give their change against the previous period per currency, and chart the days', {
    timeout: 240_000,
  }, async () => {
    // Today: Umbrella (EUR 500) qualified, a case opened.
    const pipelines = await api('GET', '/v1/pipelines');
    const pipelineId = pipelines.json.items[0].id;
    const umbrella = await api('POST', '/v1/deals', {
      title: 'Umbrella',
      amount: 500,
      currency: 'EUR',
      pipelineId,
      stage: 'Qualified',
    });
    assert.equal(umbrella.status, 201, JSON.stringify(umbrella.json));
    const opened = await api('POST', '/v1/cases', {
      subject: 'Export',
      email: 'lin@example.com',
      text: 'Broken.',
    });
    assert.equal(opened.status, 201, JSON.stringify(opened.json));
    // The projection is asynchronous (outbox → bus → projector).
    const report = await eventually(async () => {
      const r = (await api('GET', `/v1/reports/dashboard?from=${daysAgo(6)}&to=${today}`)).json;
      const eur = r.kpis.openPipeline.find((p: { currency: string }) => p.currency === 'EUR');
      return r.kpis.cases.open === 5 && eur?.count === 3 ? r : undefined;
    }, 90_000);
    // Now: EUR 3 / 3,700 (Initech, Hooli, Umbrella), USD none; 7 days ago: EUR 1 / 2,500, USD 1 / 800.
    assert.equal(report.pointInTime.since, daysAgo(20));
    assert.deepEqual(report.pointInTime.openPipeline, [
      { currency: 'EUR', count: { current: 3, previous: 1 }, amount: { current: 3700, previous: 2500 } },
      { currency: 'USD', count: { current: 0, previous: 1 }, amount: { current: 0, previous: 800 } },
    ]);
    assert.deepEqual(report.pointInTime.openCases, { current: 5, previous: 2 });

    await page.goto(`${server.url}/#/dashboard?range=7d`);
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const open = tile('Open pipeline')
      .getByRole('list', { name: 'Open pipeline per currency' })
      .getByRole('listitem');
    await open.first().waitFor();
    assert.equal(await open.count(), 2);
    // Each currency apart: never a sum across them (4,500) anywhere.
    assert.match(
      await text(open.nth(0)),
      /€3,700\.00 3 deals · weighted €1,110\.00 ▲ up €1,200\.00 vs previous 7 days \(previous: €2,500\.00, 1 deal\)/,
    );
    // Globex was lost: the dollars are at 0, down by what was open.
    assert.match(
      await text(open.nth(1)),
      /\$0\.00 0 deals ▼ down \$800\.00 vs previous 7 days \(previous: \$800\.00, 1 deal\)/,
    );
    assert.doesNotMatch(await text(page.locator('main')), /4,500/);
    assert.match(await text(tile('Open cases')), /5 now ▲ up 3 vs previous 7 days \(previous: 2\)/);
    const backlog = page
      .getByRole('region', { name: 'Customer service' })
      .locator('.kpi-tile', { hasText: 'Backlog' });
    assert.match(await text(backlog), /▲ up 3 vs previous 7 days \(previous: 2\)/);

    // The charts: one per currency and one of open cases, their figures per day in tables.
    const history = page.locator('.open-history');
    await history
      .getByRole('img', { name: /Open pipeline in EUR: Open amount \(EUR\) from €2,500\.00 to €3,700\.00/ })
      .waitFor();
    await history.getByRole('img', { name: /Open pipeline in USD/ }).waitFor();
    await history.getByRole('img', { name: /Open cases: Open cases from 2 to 5/ }).waitFor();
    assert.equal(await history.locator('.chart-box canvas').count(), 3);
    const rows = await casesPerDay();
    assert.equal(await rows.count(), 8);
    assert.deepEqual(await Promise.all([1, 4, 7].map((i) => cell(rows.nth(i)))), ['2', '4', '5']);
    await checkBothSizes(page, 'the dashboard with the open figures’ history');
    await shot('dashboard-history');

    // The last 30 days start before the history: no change is given, and the tiles say where it starts.
    await page.getByLabel('Date range').selectOption('30d');
    await tile('Open cases')
      .getByText(`History starts on ${dayText(daysAgo(20))}`)
      .waitFor();
    assert.doesNotMatch(await text(tile('Open pipeline')), /vs previous/);
    assert.match(
      await text(history),
      new RegExp(`History starts on ${dayText(daysAgo(20))}: earlier days have no figure`),
    );
    const older = await casesPerDay();
    await eventually(async () => ((await older.count()) === 31 ? true : undefined));
    assert.match(await text(older.nth(1)), /not known/);
    assert.equal(await cell(older.nth(10)), '3');
    await checkBothSizes(page, 'the dashboard, a range starting before the history');
    await shot('dashboard-history-30d');

    // A past range (15 to 5 days ago): its figures at its end, against the end of the period before.
    await page.getByLabel('Date range').selectOption('custom');
    await page.getByRole('textbox', { name: 'From', exact: true }).fill(daysAgo(15));
    await page.getByRole('textbox', { name: 'To', exact: true }).fill(daysAgo(5));
    await page.getByRole('button', { name: 'Apply' }).click();
    await tile('Open cases')
      .getByText(`at the end of ${dayText(daysAgo(5))}`)
      .waitFor();
    assert.match(
      await text(tile('Open cases')),
      /2 at the end of .* ▼ down 1 vs previous 11 days \(previous: 3\)/,
    );
    const past = tile('Open pipeline').getByRole('listitem');
    assert.match(
      await text(past.nth(0)),
      /€2,500\.00 1 deal ▼ down €500\.00 vs previous 11 days \(previous: €3,000\.00, 2 deals\)/,
    );
    assert.match(await text(past.nth(1)), /\$800\.00 1 deal ■ no change vs previous 11 days/);
  });
});
