/**
 * Campaigns in a real browser (Debian's Chromium driven by playwright-core) against `npm start`: the
 * empty list and a failed load with Retry; a marketer composes a draft (tag audience, an exclusion
 * segment, a template picked from a list), is told by the API when the tag is refused, sends it after
 * a confirm step and follows it to Sent and its report (one reader unsubscribed by the email's
 * one-click link counts in it) — the mail outbox (aws-ses-v2-local) holds one email per
 * contact, none to the excluded; a draft scheduled from the keyboard, unscheduled, scheduled again
 * and sent when its schedule fires (time scale 60); a campaign paused and resumed from its page; a
 * frequency cap set on the settings page leaves
 * out of the next campaign those who had one this week. axe-core finds nothing at 1440 and 390 px,
 * nothing overflows.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { adminClient, eventually, type LocalServer } from '#test/support/local-server.js';
import { checkBothSizes, expectFocus, expectNoAxeViolations } from './a11y.js';
import { browserSession, SHOTS } from './session.js';

let server: LocalServer;
let page: Page;
// A minute of a schedule passes in a second: a campaign scheduled two minutes ahead fires in two.
browserSession('campaigns', { env: { TENDRIL_TIME_SCALE: '60' } }, (session) => {
  ({ server, page } = session);
});
const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);
const AUDIENCE = 24;

async function outbox(): Promise<
  Array<{ destination: { to: string[] }; subject: string; headers: Array<{ name: string; value: string }> }>
> {
  const res = await fetch(`${server.sesUrl}/store`);
  return ((await res.json()) as { emails: Awaited<ReturnType<typeof outbox>> }).emails;
}

/** A draft campaign to a tag, with a template of its own (its subject finds its emails in the outbox). */
async function draftCampaign(name: string, subject: string, tag: string): Promise<string> {
  const template = await api('POST', '/v1/templates', {
    name,
    subject,
    html: '<p>Hi</p><a href="{{ unsubscribeUrl }}">Unsubscribe</a>',
  });
  assert.equal(template.status, 201, JSON.stringify(template.json));
  const draft = await api('POST', '/v1/campaigns', {
    name,
    audience: { kind: 'tag', tag },
    templateId: template.json.id,
  });
  assert.equal(draft.status, 201, JSON.stringify(draft.json));
  return draft.json.id as string;
}

describe('campaigns', () => {
  it('shows the empty list, and a failed load with Retry', async () => {
    await page.route('**/v1/campaigns?*', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'unavailable', message: 'The service is busy', details: [] } }),
      }),
    );
    await page.goto(`${server.url}/#/campaigns`);
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'The service is busy' });
    await alert.waitFor();
    await page.unroute('**/v1/campaigns?*');
    await alert.getByRole('button', { name: 'Retry' }).click();
    await page.getByText('No campaigns yet.').waitFor();
    await checkBothSizes(page, 'the empty campaign list');
  });

  it('composes a draft, sends it after a confirm step and follows it to Sent', {
    timeout: 180_000,
  }, async () => {
    const template = await api('POST', '/v1/templates', {
      name: 'Spring sale',
      subject: 'Our spring sale',
      html: '<p>Hello {{ contact.firstName }}</p><a href="{{ unsubscribeUrl }}">Unsubscribe</a>',
    });
    assert.equal(template.status, 201, JSON.stringify(template.json));
    for (let i = 0; i < AUDIENCE; i++) {
      const res = await api('POST', '/v1/contacts', {
        email: `reader${i}@example.com`,
        firstName: `Reader ${i}`,
        tags: ['spring', ...(i < 3 ? ['vip'] : [])],
      });
      assert.equal(res.status, 201, JSON.stringify(res.json));
    }
    const segment = await api('POST', '/v1/segments', { name: 'VIPs', filter: { tags: { all: ['vip'] } } });
    assert.equal(segment.status, 201, JSON.stringify(segment.json));
    // A template without an unsubscribe link: the composer warns when it is picked.
    const bare = await api('POST', '/v1/templates', {
      name: 'Bare',
      subject: 'Bare',
      html: '<p>No way out</p>',
    });
    assert.equal(bare.status, 201, JSON.stringify(bare.json));
    const before = (await outbox()).length;

    await page.reload();
    await page.getByRole('button', { name: 'New campaign' }).click();
    await page.getByLabel('Name').fill('Spring newsletter');
    await page.getByRole('textbox', { name: 'Tag' }).fill('!!');
    await page.getByLabel('VIPs').check();
    await page.getByLabel('Template').selectOption({ label: 'Bare — “Bare”' });
    await page.getByText('Check before sending').waitFor();
    await page.getByLabel('Template').selectOption({ label: 'Spring sale — “Our spring sale”' });
    assert.equal(await page.getByText('Check before sending').count(), 0);
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByRole('alert').filter({ hasText: 'the request body is not valid' }).waitFor();
    await expectNoAxeViolations(page, 'the composer with the API’s refusal');
    await page.getByRole('textbox', { name: 'Tag' }).fill('spring');
    // The audience's size, as the tag is typed (from the tag's counter).
    await page
      .getByRole('status')
      .getByText(`${AUDIENCE} contacts have this tag, before exclusions.`)
      .waitFor();
    await checkBothSizes(page, 'the composer');
    await page.screenshot({ path: join(SHOTS, 'campaign-composer.png'), fullPage: true });
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.waitForURL(/#\/campaigns\/[0-9A-Z]{26}$/);
    await page.getByRole('heading', { name: 'Spring newsletter', level: 1 }).waitFor();
    await page.getByRole('status').getByText('Draft').waitFor();
    await page.getByText('To contacts tagged “spring”, leaving out 1 segment.').waitFor();

    await page.getByRole('button', { name: 'Send now…' }).click();
    const confirm = page.getByRole('group', {
      name: 'Send “Spring newsletter” to contacts tagged “spring” now?',
    });
    await confirm.waitFor();
    await expectFocus(page, '[role="group"]');
    await expectNoAxeViolations(page, 'the send confirm step');
    // Escape keeps the draft and gives the focus back to the button that asked; it asks again.
    await page.keyboard.press('Escape');
    await expectFocus(page, '#campaign-send-now');
    await page.keyboard.press('Enter');
    await expectFocus(page, '[role="group"]');
    await confirm.getByRole('button', { name: 'Send now' }).click();
    await page.getByRole('status').getByText('Sent', { exact: true }).waitFor({ timeout: 120_000 });
    const counts = await page.locator('.campaign-progress dl.counts dd').allInnerTexts();
    assert.deepEqual(counts, [String(AUDIENCE - 3), '3', '0']);
    await page
      .getByRole('list', { name: 'Left out because:' })
      .getByText('3 contacts: in a segment left out')
      .waitFor();
    // A reader leaves through the one-click link of this campaign's email (RFC 8058 POST).
    const [first] = (await outbox()).filter((e) => e.subject === 'Our spring sale');
    const link = /<([^>]+)>/.exec(
      first?.headers.find((h) => h.name === 'List-Unsubscribe')?.value ?? '',
    )?.[1];
    assert.ok(link, 'the email has a List-Unsubscribe link');
    const left = await fetch(link, { method: 'POST', body: 'List-Unsubscribe=One-Click' });
    assert.equal(left.status, 200);
    // The report follows from the campaign's counters (projected from its events, a moment later).
    const expected = ['0 (0%)', '0 (0%)', '1 (4.8%)', '0 (0%)', '0 (0%)'];
    const shown = () => page.locator('.campaign-report dd').allInnerTexts();
    for (let i = 0; i < 30 && JSON.stringify(await shown()) !== JSON.stringify(expected); i++) {
      await new Promise((r) => setTimeout(r, 500));
      await page.reload();
      await page.getByRole('status').getByText('Sent', { exact: true }).waitFor();
    }
    await page.getByText(`Of ${AUDIENCE - 3} emails sent`).waitFor({ timeout: 1000 });
    assert.deepEqual(await shown(), expected, 'opened, clicked, unsubscribed, bounced, marked as spam');
    await checkBothSizes(page, 'the sent campaign');
    await page.screenshot({ path: join(SHOTS, 'campaign-sent.png'), fullPage: true });

    const sent = (await outbox()).slice(before).filter((e) => e.subject === 'Our spring sale');
    const to = sent.flatMap((e) => e.destination.to);
    assert.equal(to.length, AUDIENCE - 3);
    assert.equal(new Set(to).size, to.length, 'one email each');
    for (const vip of ['reader0@example.com', 'reader1@example.com', 'reader2@example.com'])
      assert.ok(!to.includes(vip), `${vip} is left out`);

    await page.getByRole('link', { name: 'Campaigns' }).first().click();
    const row = page.getByRole('row').filter({ hasText: 'Spring newsletter' });
    await row.getByText('Sent').waitFor();
    assert.match(await row.innerText(), new RegExp(`\\b${AUDIENCE - 3}\\b`));
  });

  it('schedules a draft from the keyboard, unschedules it, schedules it again and sends it at that time', {
    timeout: 120_000,
  }, async () => {
    const readers = ['late0@example.com', 'late1@example.com', 'late2@example.com'];
    for (const email of readers) await api('POST', '/v1/contacts', { email, tags: ['later'] });
    const id = await draftCampaign('Monday letter', 'A scheduled hello', 'later');
    await page.goto(`${server.url}/#/campaigns/${id}`);
    await page.getByRole('status').getByText('Draft').waitFor();
    // In the browser's time zone, to the minute: between 90 and 150 seconds ahead.
    const soon = (await page.evaluate(`(() => {
      const d = new Date(Date.now() + 150000), p = (n) => String(n).padStart(2, '0');
      return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + 'T' + p(d.getHours()) + ':' + p(d.getMinutes());
    })()`)) as string;

    // Escape keeps the draft and gives the focus back to "Schedule…"; Enter opens the form again.
    await page.getByRole('button', { name: 'Schedule…' }).click();
    await expectFocus(page, '#schedule-at');
    await page.keyboard.press('Escape');
    await expectFocus(page, '#campaign-schedule');
    await page.keyboard.press('Enter');
    await expectFocus(page, '#schedule-at');
    const suggested = await page.getByLabel('Date and time').inputValue();
    assert.ok(suggested > soon, `a time ahead is suggested (${suggested})`);
    await expectNoAxeViolations(page, 'the schedule step');
    // The suggested time (at least 30 minutes ahead: 30 s here) leaves time to look at the page.
    await page.keyboard.press('Enter');
    await page.getByRole('status').getByText('Scheduled', { exact: true }).waitFor();
    await page.getByText(/^Starts sending /).waitFor();
    await checkBothSizes(page, 'a scheduled campaign');
    await page.screenshot({ path: join(SHOTS, 'campaign-scheduled.png'), fullPage: true });

    await page.getByRole('button', { name: 'Unschedule' }).click();
    await page.getByRole('status').getByText('Draft', { exact: true }).waitFor();
    await page.getByRole('button', { name: 'Schedule…' }).click();
    await page.getByLabel('Date and time').fill(soon);
    await page.getByRole('button', { name: 'Schedule', exact: true }).click();
    await page.getByRole('status').getByText('Scheduled', { exact: true }).waitFor();
    // The schedule fires (two minutes in two seconds); the page, polling, follows it to Sent.
    await page.getByRole('status').getByText('Sent', { exact: true }).waitFor({ timeout: 60_000 });
    const to = (await outbox())
      .filter((e) => e.subject === 'A scheduled hello')
      .flatMap((e) => e.destination.to);
    assert.deepEqual(to.sort(), readers, 'sent once to each, though it was scheduled twice');
  });

  it('pauses a campaign being sent and resumes it from its page: sent once to each', {
    timeout: 120_000,
  }, async () => {
    const readers = Array.from({ length: 30 }, (_, i) => `pause${i}@example.com`);
    for (const email of readers) await api('POST', '/v1/contacts', { email, tags: ['pause'] });
    const id = await draftCampaign('Pausable', 'Paused and resumed', 'pause');
    assert.equal((await api('POST', `/v1/campaigns/${id}/send`)).status, 202);
    // Paused at once, before its planner has queued anything: its chunk waits on the queue.
    const paused = await api('POST', `/v1/campaigns/${id}/pause`);
    assert.equal(paused.status, 200, JSON.stringify(paused.json));
    await page.goto(`${server.url}/#/campaigns/${id}`);
    await page.getByRole('status').getByText('Paused', { exact: true }).waitFor();
    await expectNoAxeViolations(page, 'a paused campaign');
    await page.screenshot({ path: join(SHOTS, 'campaign-paused.png'), fullPage: true });
    // A minute parked (a second at this time scale) and still paused: nothing was sent.
    await new Promise((r) => setTimeout(r, 2500));
    const sentWhilePaused = (await outbox()).filter((e) => e.subject === 'Paused and resumed').length;
    assert.ok(
      sentWhilePaused < readers.length,
      `a paused campaign does not finish (${sentWhilePaused} sent)`,
    );

    await page.getByRole('button', { name: 'Resume' }).click();
    await page.getByRole('status').getByText('Sent', { exact: true }).waitFor({ timeout: 60_000 });
    // Sent once to each. A chunk parked by the pause and delivered again may still be handing its
    // last email to the provider as the other delivery counts the chunk: it arrives a moment later.
    const sentTo = async () =>
      (await outbox()).filter((e) => e.subject === 'Paused and resumed').flatMap((e) => e.destination.to);
    await eventually(
      async () => ((await sentTo()).length >= readers.length ? true : undefined),
      15_000,
    ).catch(() => undefined);
    assert.deepEqual((await sentTo()).sort(), readers.sort());
  });

  it('sets a frequency cap on the settings page; a campaign then leaves out who had an email already', {
    timeout: 120_000,
  }, async () => {
    await page.route('**/v1/settings/email', (route) =>
      route.fulfill({
        status: 503,
        contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'unavailable', message: 'The service is busy', details: [] } }),
      }),
    );
    await page.goto(`${server.url}/#/settings`);
    const alert = page.getByRole('alert').filter({ hasText: 'The service is busy' });
    await alert.waitFor();
    await page.unroute('**/v1/settings/email');
    await alert.getByRole('button', { name: 'Retry' }).click();
    await page.getByText('Not saved yet: no cap.').waitFor();
    assert.equal(
      await page.getByLabel('Emails', { exact: true }).isDisabled(),
      true,
      'no cap: the numbers are off',
    );
    // Keyboard: Space turns the cap on, the numbers are typed.
    await page.getByLabel('Limit marketing emails per contact').focus();
    await page.keyboard.press('Space');
    await page.getByLabel('Emails', { exact: true }).fill('1');
    await page.getByLabel('Days', { exact: true }).fill('7');
    await expectNoAxeViolations(page, 'the frequency cap form');
    await page.getByRole('button', { name: 'Save cap' }).click();
    await page
      .getByRole('status')
      .getByText(/^Settings last saved /)
      .first()
      .waitFor();
    assert.equal(await page.getByLabel('Emails', { exact: true }).inputValue(), '1');
    await checkBothSizes(page, 'the settings page');
    await page.screenshot({ path: join(SHOTS, 'settings-frequency-cap.png'), fullPage: true });
    const settings = await api('GET', '/v1/settings/email');
    assert.deepEqual(settings.json.frequencyCap, { max: 1, days: 7 });

    // The three “later” readers had the scheduled campaign this week; a new one has had nothing.
    await api('POST', '/v1/contacts', { email: 'fresh@example.com', tags: ['later'] });
    const id = await draftCampaign('One more', 'One more', 'later');
    await api('POST', `/v1/campaigns/${id}/send`);
    await page.goto(`${server.url}/#/campaigns/${id}`);
    await page.getByRole('status').getByText('Sent', { exact: true }).waitFor({ timeout: 60_000 });
    assert.deepEqual(await page.locator('.campaign-progress dl.counts dd').allInnerTexts(), ['1', '3', '0']);
    const to = (await outbox()).filter((e) => e.subject === 'One more').flatMap((e) => e.destination.to);
    assert.deepEqual(to, ['fresh@example.com']);
  });
});
