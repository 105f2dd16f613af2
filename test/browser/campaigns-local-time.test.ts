/**
 * A campaign sent at 09:00 in each contact's time zone, in a real browser against `npm start` (two
 * hours pass in a second): the marketer picks "At a time of day in each contact's time zone", a zone
 * that does not exist for contacts without one is refused at its field, a real one is accepted; the
 * page says when it sends; the campaign sends its waves (one per local send time) and everyone gets
 * one email. axe-core finds nothing at 1440 and 390 px, nothing overflows.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { adminClient, eventually, type LocalServer, type StoredEmail } from '#test/support/local-server.js';
import { checkBothSizes, expectNoAxeViolations } from './a11y.js';
import { browserSession, SHOTS } from './session.js';

let server: LocalServer;
let page: Page;
browserSession('campaigns-local-time', { env: { TENDRIL_TIME_SCALE: '7200' } }, (session) => {
  ({ server, page } = session);
});
const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);

const READERS = [
  { email: 'tokyo@example.com', timeZone: 'Asia/Tokyo', utc: '00:00' },
  { email: 'paris@example.com', timeZone: 'Europe/Paris', utc: '08:00' },
  { email: 'paris2@example.com', timeZone: 'Europe/Paris', utc: '08:00' },
  { email: 'newyork@example.com', timeZone: 'America/New_York', utc: '14:00' },
  // No time zone: the one chosen for them, Kolkata (UTC+05:30).
  { email: 'nozone@example.com', utc: '03:30' },
];

describe('a campaign at a local time', () => {
  it('is scheduled at 09:00 in each contact’s time zone and sent wave by wave, once to each', {
    timeout: 150_000,
  }, async () => {
    for (const { email, timeZone } of READERS) {
      const created = await api('POST', '/v1/contacts', {
        email,
        tags: ['world'],
        ...(timeZone ? { timeZone } : {}),
      });
      assert.equal(created.status, 201, JSON.stringify(created.json));
    }
    const template = await api('POST', '/v1/templates', {
      name: 'Morning',
      subject: 'Good morning',
      html: '<p>Hi</p><a href="{{ unsubscribeUrl }}">Unsubscribe</a>',
    });
    const draft = await api('POST', '/v1/campaigns', {
      name: 'Morning letter',
      audience: { kind: 'tag', tag: 'world' },
      templateId: template.json.id,
    });
    // The day after tomorrow (UTC): its 09:00 is ahead everywhere.
    const day = new Date(Date.now() + 2 * 24 * 3600_000).toISOString().slice(0, 10);

    await page.goto(`${server.url}/#/campaigns/${draft.json.id}`);
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Schedule…' }).click();
    await page.getByLabel('At a time of day in each contact’s time zone').check();
    await page.getByLabel('Date', { exact: true }).fill(day);
    await page.getByLabel('Time of day', { exact: true }).fill('09:00');
    await page.getByLabel('Contacts without a time zone').fill('Mars/Base');
    await expectNoAxeViolations(page, 'the local-time schedule step');
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    await page.getByText(/Contacts without a time zone:.*time zone such as Europe\/Paris/).waitFor();
    assert.equal((await api('GET', `/v1/campaigns/${draft.json.id}`)).json.campaign.status, 'draft');
    await page.getByLabel('Contacts without a time zone').fill('Asia/Kolkata');
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    await page.getByRole('status').getByText('Scheduled', { exact: true }).waitFor();
    await page
      .getByText(
        /^Local send time: 09:00 on .* in each contact’s time zone \(contacts without one: Asia\/Kolkata\)\.$/,
      )
      .waitFor();
    await checkBothSizes(page, 'a campaign scheduled at a local time');
    await page.screenshot({ path: join(SHOTS, 'campaign-local-time-scheduled.png'), fullPage: true });

    // Its waves are sent at their times (two hours a second): about 40 seconds here.
    await eventually(async () => {
      const view = await api('GET', `/v1/campaigns/${draft.json.id}`);
      return view.json.campaign.status === 'sent' ? view.json : undefined;
    }, 100_000);
    await page.reload();
    await page.getByRole('status').getByText('Sent', { exact: true }).waitFor();
    const waves = page.getByRole('table', { name: /^Waves/ });
    assert.equal(await waves.getByRole('row').count(), 5, 'a header and four waves');
    assert.deepEqual(await waves.locator('tbody td:nth-child(3)').allInnerTexts(), [
      '1 of 1',
      '1 of 1',
      '2 of 2',
      '1 of 1',
    ]);
    await checkBothSizes(page, 'a local-time campaign sent');
    await page.screenshot({ path: join(SHOTS, 'campaign-local-time-sent.png'), fullPage: true });

    const view = (await api('GET', `/v1/campaigns/${draft.json.id}`)).json;
    assert.deepEqual(
      view.waves.map((w: { at: string }) => w.at),
      ['00:00', '03:30', '08:00', '14:00'].map((t) => `${day}T${t}:00.000Z`),
    );
    const res = await fetch(`${server.sesUrl}/store`);
    const to = ((await res.json()) as { emails: StoredEmail[] }).emails
      .filter((e) => e.subject === 'Good morning')
      .flatMap((e) => e.destination.to);
    assert.deepEqual(to.sort(), READERS.map((r) => r.email).sort(), 'once to each');
  });
});
