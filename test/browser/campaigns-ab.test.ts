/**
 * An A/B campaign in a real browser against `npm start`: a marketer ticks A/B test in the composer,
 * picks two variants (the API refuses two alike, on the variant), sets the test share, sends it and
 * sees it wait for its winner, sends variant B to the rest by hand — everyone gets one email, the
 * rest variant B — then a deal won by a reader is credited to the campaign on its report and on the
 * dashboard; a large segment counted exactly on demand in the composer. axe-core finds nothing at
 * 1440 and 390 px, nothing overflows.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { adminClient, type LocalServer, type StoredEmail } from '#test/support/local-server.js';
import { checkBothSizes, expectFocus, expectNoAxeViolations } from './a11y.js';
import { browserSession, SHOTS } from './session.js';

let server: LocalServer;
let page: Page;
browserSession('campaigns-ab', {}, (session) => {
  ({ server, page } = session);
});
const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);

async function outbox(): Promise<StoredEmail[]> {
  const res = await fetch(`${server.sesUrl}/store`);
  return ((await res.json()) as { emails: StoredEmail[] }).emails;
}

describe('A/B campaigns', () => {
  it('composes an A/B test, sends its test share, and sends the variant chosen by hand to the rest', {
    timeout: 120_000,
  }, async () => {
    const readers = Array.from({ length: 20 }, (_, i) => `ab${i}@example.com`);
    const contactIds: string[] = [];
    for (const email of readers)
      contactIds.push((await api('POST', '/v1/contacts', { email, tags: ['abtest'] })).json.id as string);
    for (const [name, subject] of [
      ['Launch long', 'Meet the new range'],
      ['Launch short', 'New range'],
    ] as const)
      await api('POST', '/v1/templates', {
        name,
        subject,
        html: '<p>Hi</p><a href="{{ unsubscribeUrl }}">Unsubscribe</a>',
      });
    await page.goto(`${server.url}/#/campaigns`);
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'New campaign' }).click();
    await page.getByLabel('Name').fill('Launch A/B');
    await page.getByRole('textbox', { name: 'Tag' }).fill('abtest');
    await page.getByLabel('A/B test: send variants').check();
    const a = page.getByRole('group', { name: 'Variant A' });
    const b = page.getByRole('group', { name: 'Variant B' });
    await a
      .getByLabel('Template', { exact: true })
      .selectOption({ label: 'Launch long — “Meet the new range”' });
    await b
      .getByLabel('Template', { exact: true })
      .selectOption({ label: 'Launch long — “Meet the new range”' });
    // The same email twice: the API says which variant, on the variant.
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByRole('alert').filter({ hasText: 'Variant B:' }).waitFor();
    await b.getByLabel(/^Subject/).fill('The new range is here');
    await page.getByLabel('Test share of the audience (%)').fill('50');
    await page.getByText('25% of the audience gets each variant').waitFor();
    await checkBothSizes(page, 'the A/B composer');
    await page.screenshot({ path: join(SHOTS, 'campaign-ab-composer.png'), fullPage: true });
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL(/#\/campaigns\/[0-9A-Z]{26}$/);
    await page.getByRole('heading', { name: 'A/B test' }).waitFor();
    await page.getByRole('button', { name: 'Send now…' }).click();
    await page
      .getByRole('group', { name: /^Send “Launch A\/B”/ })
      .getByRole('button', { name: 'Send now' })
      .click();
    await page.getByRole('status').getByText('Testing', { exact: true }).waitFor({ timeout: 60_000 });
    const tested = (await outbox()).filter((e) => e.destination.to[0]?.startsWith('ab'));
    assert.ok(tested.length > 0 && tested.length < readers.length, `${tested.length} in the test share`);
    await page
      .getByText(`${readers.length - tested.length} contacts wait for the A/B test’s winner.`)
      .waitFor();
    await checkBothSizes(page, 'a campaign waiting for its winner');
    await page.screenshot({ path: join(SHOTS, 'campaign-ab-testing.png'), fullPage: true });

    // Asked once more (Escape keeps testing, the focus back on the button), then sent.
    await page.getByRole('button', { name: 'Send B to the rest…' }).click();
    const confirm = page.getByRole('group', { name: /^Send variant B to the \d+ contacts waiting now\?$/ });
    await confirm.waitFor();
    await expectFocus(page, '[role="group"]');
    await expectNoAxeViolations(page, 'the winner confirm step');
    await page.keyboard.press('Escape');
    await expectFocus(page, '#choose-B');
    await page.keyboard.press('Enter');
    await confirm.getByRole('button', { name: 'Send B' }).click();
    await page.getByRole('status').getByText('Sent', { exact: true }).waitFor({ timeout: 60_000 });
    await page.getByText('variant B', { exact: true }).waitFor();
    await page.getByRole('row', { name: /^B Winner/ }).waitFor();
    // Everyone was sent to; nobody is left out (the test share had its variant).
    assert.deepEqual(await page.locator('.campaign-progress dl.counts dd').allInnerTexts(), ['20', '0', '0']);
    await page.screenshot({ path: join(SHOTS, 'campaign-ab-sent.png'), fullPage: true });
    const emails = (await outbox()).filter((e) => e.destination.to[0]?.startsWith('ab'));
    const to = emails.flatMap((e) => e.destination.to);
    assert.deepEqual([...to].sort(), [...readers].sort(), 'everyone once');
    const rest = emails.slice(tested.length);
    assert.ok(
      rest.every((e) => e.subject === 'The new range is here'),
      'the rest got variant B',
    );

    // A reader wins a deal: its amount shows on the campaign's report and on the dashboard, by name.
    const pipeline = await api('POST', '/v1/pipelines', {
      name: 'Launch deals',
      stages: [
        { name: 'Talking', probability: 0.4 },
        { name: 'Won', probability: 1 },
      ],
    });
    const won = await api('POST', '/v1/deals', {
      title: 'Range order',
      amount: 1200,
      currency: 'EUR',
      pipelineId: pipeline.json.id,
      stage: 'Won',
      contactId: contactIds[0],
    });
    assert.equal(won.status, 201, JSON.stringify(won.json));
    const revenue = page.locator('.campaign-revenue');
    for (let i = 0; i < 30 && (await revenue.count()) === 0; i++) {
      await new Promise((r) => setTimeout(r, 300));
      await page.reload();
      await page.getByRole('heading', { name: 'A/B test' }).waitFor();
    }
    assert.deepEqual(await revenue.locator('dd').allInnerTexts(), ['€1,200.00', '€1,200.00']);
    await page.getByRole('link', { name: 'Dashboard' }).click();
    const row = page
      .getByRole('region', { name: 'Revenue from campaigns' })
      .getByRole('row', { name: /Launch A\/B/ });
    await row.waitFor();
    assert.match(await row.innerText(), /€1,200\.00 \(1\)/);
    await checkBothSizes(page, 'the dashboard with campaign revenue');
    await page.screenshot({ path: join(SHOTS, 'dashboard-campaign-revenue.png'), fullPage: true });
  });

  it('counts a large segment exactly on demand in the composer', { timeout: 60_000 }, async () => {
    const segment = await api('POST', '/v1/segments', {
      name: 'Early readers',
      filter: { tags: { all: ['abtest'] } },
    });
    assert.equal(segment.status, 201, JSON.stringify(segment.json));
    // The counters say the segment may be large (as they do past 2,000 candidates): at most so many.
    await page.route('**/v1/campaigns/audience-size', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: '{"contacts":5000,"kind":"at_most"}',
      }),
    );
    await page.goto(`${server.url}/#/campaigns`);
    await page.getByRole('button', { name: 'New campaign' }).click();
    await page.getByLabel('A segment').check();
    await page.getByLabel('Segment', { exact: true }).selectOption({ label: 'Early readers' });
    await page.getByText('At most 5,000 contacts in this segment, before exclusions.').waitFor();
    await page.getByRole('button', { name: 'Count exactly' }).click();
    await page.getByText('Exactly 20 contacts are in this segment now, before exclusions.').waitFor();
    await page.unroute('**/v1/campaigns/audience-size');
    await checkBothSizes(page, 'the composer with an exact count');
  });
});
