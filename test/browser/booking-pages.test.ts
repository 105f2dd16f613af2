/**
 * Booking pages in a real browser (Debian's Chromium driven by playwright-core) against `npm start`:
 * an admin on the settings page sees the list fail and Retry it, creates a booking page from the
 * keyboard, sees a refused edit at its field and an edit made meanwhile elsewhere; a refused time
 * zone and working hours (overlapping, shorter than the meeting) at their fields, reached from the
 * summary's links; removes a range set through the API; a visitor with JavaScript turned off books
 * its first free time on the public page and lands on the appointment's page; the admin sees the
 * appointment on the contact's page (started, it offers Completed and No-show, which the API refuses
 * before the start), cancels it after a confirm, and deletes the booking page after a confirm.
 * axe-core finds nothing at 1440 and 390 px, on the admin screens and on the public pages.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { adminClient, type LocalServer } from '#test/support/local-server.js';
import { checkBothSizes, DESKTOP, expectFocus, tabThrough } from './a11y.js';
import { browserSession, SHOTS } from './session.js';

let server: LocalServer;
let page: Page;
let browser: Browser;
browserSession('booking-pages', {}, (session) => {
  ({ server, page, browser } = session);
});
const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);

/** The visitor: a browser of its own, JavaScript off, in another time zone than the page's. */
let visitorContext: BrowserContext | undefined;
/** axe-core runs as a script: the public pages (which have none) are checked again in a browser with it on. */
let checkerContext: BrowserContext | undefined;
after(async () => {
  await visitorContext?.close();
  await checkerContext?.close();
});
async function checkPublicPage(url: string, where: string) {
  checkerContext ??= await browser.newContext({ viewport: DESKTOP, timezoneId: 'America/New_York' });
  const checker = await checkerContext.newPage();
  await checker.goto(url);
  await checkBothSizes(checker, where);
  await checker.close();
}

let slugHref = '';
let appointmentUrl = '';
let contactId = '';

describe('booking pages', () => {
  it('are listed (after a failed load and Retry) and created from the keyboard', {
    timeout: 120_000,
  }, async () => {
    await page.route('**/v1/meeting-types?*', (route) =>
      route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>Bad gateway</h1>' }),
    );
    await page.goto(`${server.url}/#/settings`);
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const section = page.getByRole('region', { name: 'Booking pages' });
    await section.getByRole('alert').getByText('HTTP 502').waitFor();
    await checkBothSizes(page, 'the booking pages failing to load');
    await page.unroute('**/v1/meeting-types?*');
    await section.getByRole('button', { name: 'Retry' }).click();
    await section.getByText('No booking pages yet.').waitFor();
    assert.equal(await section.getByRole('alert').count(), 0, 'the error is gone');

    // Typed and chosen from the keyboard: the address follows the name.
    await page.locator('#bp-name').focus();
    await page.keyboard.type('Intro call');
    assert.equal(await page.locator('#bp-slug').inputValue(), 'intro-call');
    await tabThrough(page, '#bp-about');
    await page.keyboard.type('A first conversation to get to know each other.');
    await tabThrough(page, '#bp-owner-name');
    await page.keyboard.type('Ada Owner');
    await tabThrough(page, '#bp-owner-email');
    await page.keyboard.type('ada@example.com');
    await tabThrough(page, '#bp-duration');
    await page.keyboard.press('ArrowDown'); // 30 → 45 minutes
    await tabThrough(page, '#bp-buffer');
    await page.keyboard.press('ArrowDown'); // none → 15 minutes
    await tabThrough(page, '#bp-notice');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('2');
    await tabThrough(page, '#bp-tz');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('Europe/Paris');
    // Monday to Friday are on by default, 9 to 5; Saturday is added (with the same hours).
    const hoursStops = await tabThrough(page, '#bp-sat-on');
    assert.ok(hoursStops.includes('#bp-fri-end'), hoursStops.join(' '));
    assert.equal(await page.locator('#bp-sat-start').count(), 0, 'no hours on a day off');
    await page.keyboard.press('Space');
    await tabThrough(page, '#bp-sat-start');
    assert.equal(await page.locator('#bp-sat-end').inputValue(), '17:00');
    await page.getByRole('checkbox', { name: '1 hour before' }).focus();
    await page.keyboard.press('Space');
    await page.getByRole('button', { name: 'Create booking page' }).press('Enter');

    await section.getByRole('status').getByText('Booking page “Intro call” created.').waitFor();
    await expectFocus(page, '#bp-list-title');
    const item = section.getByRole('listitem').filter({ hasText: 'Intro call' });
    await item.getByText('45 minutes · with Ada Owner · Europe/Paris').waitFor();
    await item.getByText('Active', { exact: true }).waitFor();
    const link = item.getByRole('link', { name: /\/m\/intro-call$/ });
    slugHref = String(await link.getAttribute('href'));
    assert.equal(slugHref, '/m/intro-call');
    assert.equal(await link.getAttribute('target'), '_blank');
    assert.equal(await page.locator('#bp-name').inputValue(), '', 'the form is empty again');

    const saved = (await api('GET', '/v1/meeting-types')).json.items;
    assert.equal(saved.length, 1);
    assert.deepEqual(
      {
        slug: saved[0].slug,
        description: saved[0].description,
        ownerEmail: saved[0].ownerEmail,
        durationMinutes: saved[0].durationMinutes,
        bufferMinutes: saved[0].bufferMinutes,
        minNoticeMinutes: saved[0].minNoticeMinutes,
        horizonDays: saved[0].horizonDays,
        timeZone: saved[0].timeZone,
        days: saved[0].workingHours.map(
          (h: { day: string; start: string; end: string }) => `${h.day} ${h.start}-${h.end}`,
        ),
        reminders: saved[0].remindersMinutesBefore,
        active: saved[0].active,
      },
      {
        slug: 'intro-call',
        description: 'A first conversation to get to know each other.',
        ownerEmail: 'ada@example.com',
        durationMinutes: 45,
        bufferMinutes: 15,
        minNoticeMinutes: 120,
        horizonDays: 30,
        timeZone: 'Europe/Paris',
        days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => `${d} 09:00-17:00`),
        reminders: [1440, 60],
        active: true,
      },
    );
    await checkBothSizes(page, 'the booking pages in Settings');
    await page.locator('#booking-pages-title').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'settings-booking-pages.png'), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: join(SHOTS, 'settings-booking-pages-phone.png'), fullPage: true });
    await page.setViewportSize(DESKTOP);
  });

  it('shows a refused edit at its field, and an edit made meanwhile elsewhere', {
    timeout: 60_000,
  }, async () => {
    const section = page.getByRole('region', { name: 'Booking pages' });
    await section.getByRole('button', { name: 'Edit Intro call' }).press('Enter');
    await expectFocus(page, '#bp-name');
    await page.getByRole('heading', { name: 'Edit “Intro call”' }).waitFor();
    assert.equal(await page.locator('#bp-duration').inputValue(), '45');
    assert.equal(await page.locator('#bp-notice').inputValue(), '2');
    // Monday ends before it starts: the API's problem at workingHours.0.end, named as the day.
    await page.locator('#bp-mon-end').fill('08:00');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await section.getByRole('alert').getByText('Monday 09:00–08:00: end must be after start').waitFor();
    await expectFocus(page, '#bp-mon-end');
    assert.equal(await page.locator('#bp-mon-end').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('#bp-mon-start').getAttribute('aria-invalid'), null, 'only the end');
    assert.equal(await page.locator('#bp-mon-end').getAttribute('aria-describedby'), 'bp-mon-problem');
    await checkBothSizes(page, 'a refused booking page');
    await page.locator('#bp-form').screenshot({ path: join(SHOTS, 'settings-booking-page-refused.png') });

    // Someone saves the page meanwhile: the save is refused and the page shown as it is now.
    const [current] = (await api('GET', '/v1/meeting-types')).json.items;
    const { id, version, createdAt, updatedAt, ...fields } = current;
    const renamed = await api('PUT', `/v1/meeting-types/${id}`, { ...fields, name: 'Intro chat', version });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.json));
    await page.locator('#bp-mon-end').fill('12:00');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await section
      .getByRole('alert')
      .getByText(/changed while you edited it/)
      .waitFor();
    await expectFocus(page, '#bp-form-title');
    await page.setViewportSize({ width: 390, height: 844 });
    await section.screenshot({ path: join(SHOTS, 'settings-booking-page-conflict-phone.png') });
    await page.setViewportSize(DESKTOP);
    await page.getByRole('heading', { name: 'Edit “Intro chat”' }).waitFor();
    assert.equal(await page.locator('#bp-name').inputValue(), 'Intro chat');
    assert.equal(await page.locator('#bp-mon-end').inputValue(), '17:00', 'as saved now');
    await section.getByRole('listitem').filter({ hasText: 'Intro chat' }).waitFor();

    // Saved at the new version: the name back, and the focus back on the page's Edit button.
    await page.locator('#bp-name').fill('Intro call');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await section.getByRole('status').getByText('Booking page “Intro call” saved.').waitFor();
    await expectFocus(page, `#bp-edit-${id}`);
    assert.equal((await api('GET', `/v1/meeting-types/${id}`)).json.version, version + 2);
  });

  it('marks a refused time zone and working hours at their fields, and removes a range set through the API', {
    timeout: 60_000,
  }, async () => {
    // Two ranges on Monday: the second, only possible through the API, is kept beside the day's own.
    const made = await api('POST', '/v1/meeting-types', {
      slug: 'office-hours',
      name: 'Office hours',
      ownerName: 'Ada Owner',
      ownerEmail: 'ada@example.com',
      durationMinutes: 30,
      timeZone: 'Europe/Paris',
      workingHours: [
        { day: 'mon', start: '09:00', end: '12:00' },
        { day: 'mon', start: '14:00', end: '16:00' },
      ],
    });
    assert.equal(made.status, 201, JSON.stringify(made.json));
    await page.reload();
    const section = page.getByRole('region', { name: 'Booking pages' });
    await section.getByRole('button', { name: 'Edit Office hours' }).press('Enter');
    await expectFocus(page, '#bp-name');
    const remove = section.getByRole('button', { name: 'Remove Monday 14:00–16:00' });
    await remove.waitFor();
    const attr = (id: string, name: string) => page.locator(id).getAttribute(name);
    const text = (id: string) => page.locator(id).innerText();

    // A zone that is none, and Monday's own range over the other: both refused, each at its field.
    await page.locator('#bp-tz').fill('Mars/Base');
    await page.locator('#bp-mon-end').fill('15:00');
    await page.getByRole('button', { name: 'Save changes' }).click();
    const alert = section.getByRole('alert');
    await alert.getByRole('link', { name: 'Monday 14:00–16:00' }).waitFor();
    await expectFocus(page, '#bp-tz'); // the first problem in the form's order
    assert.equal(await alert.getByRole('listitem').count(), 2, await alert.innerText());
    assert.doesNotMatch(await alert.innerText(), /workingHours|\bmon\b/);
    assert.equal(await attr('#bp-tz', 'aria-invalid'), 'true');
    assert.equal(await attr('#bp-tz', 'aria-describedby'), 'bp-tz-hint bp-timeZone-problem');
    assert.match(await text('#bp-timeZone-problem'), /^Must be an IANA time zone/);
    for (const id of ['#bp-mon-start', '#bp-mon-end']) {
      assert.equal(await attr(id, 'aria-invalid'), 'true', id);
      assert.equal(await attr(id, 'aria-describedby'), 'bp-mon-problem', id);
    }
    assert.match(await text('#bp-mon-problem'), /^Monday 14:00–16:00: overlaps (?!.*\bon Monday)/);
    await checkBothSizes(page, 'a booking page refused at its time zone and working hours');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.locator('#bp-form').screenshot({ path: join(SHOTS, 'settings-booking-page-hours-phone.png') });
    await page.setViewportSize(DESKTOP);

    // The summary's links take the focus to their fields, from the keyboard.
    await alert.getByRole('link', { name: 'Monday 14:00–16:00' }).press('Enter');
    await expectFocus(page, '#bp-mon-start');
    await alert.getByRole('link', { name: 'Time zone' }).press('Enter');
    await expectFocus(page, '#bp-tz');
    assert.match(page.url(), /#\/settings$/, 'the route stays');

    // The zone mended, Tuesday on for less than the meeting: Monday's row is the first problem left.
    await page.locator('#bp-tz').fill('Europe/Paris');
    await page.locator('#bp-tue-on').check();
    await page.locator('#bp-tue-end').fill('09:15');
    await page.getByRole('button', { name: 'Save changes' }).click();
    await alert.getByRole('link', { name: 'Tuesday 09:00–09:15' }).waitFor();
    await expectFocus(page, '#bp-mon-start');
    assert.equal(await alert.getByRole('listitem').count(), 2, await alert.innerText());
    assert.equal(await attr('#bp-tz', 'aria-invalid'), null);
    assert.match(await text('#bp-tue-problem'), /^Tuesday 09:00–09:15: is shorter than the meeting/);
    assert.equal(await attr('#bp-tue-end', 'aria-invalid'), 'true');

    // Tuesday off again, the other range removed (its day's end takes the focus): saved without them.
    await page.locator('#bp-tue-on').uncheck();
    await remove.press('Enter');
    await expectFocus(page, '#bp-mon-end');
    await section.getByRole('status').getByText('Monday 14:00–16:00 removed: Save changes').waitFor();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await section.getByRole('status').getByText('Booking page “Office hours” saved.').waitFor();
    const saved = (await api('GET', `/v1/meeting-types/${made.json.id}`)).json;
    assert.deepEqual(saved.workingHours, [{ day: 'mon', start: '09:00', end: '15:00' }]);
    assert.equal((await api('DELETE', `/v1/meeting-types/${made.json.id}`)).status, 204);
  });

  it('is booked by a visitor with JavaScript off', { timeout: 60_000 }, async () => {
    visitorContext = await browser.newContext({
      javaScriptEnabled: false,
      viewport: DESKTOP,
      timezoneId: 'America/New_York',
    });
    const visitor = await visitorContext.newPage();
    visitor.setDefaultTimeout(15_000);
    await visitor.goto(`${server.url}${slugHref}`);
    await visitor.getByRole('heading', { name: 'Intro call' }).waitFor();
    await visitor.getByText('With Ada Owner · 45 minutes').waitFor();
    assert.ok((await visitor.getByRole('radio').count()) > 0, 'free times are offered');
    await checkPublicPage(visitor.url(), 'the public booking page');
    await visitor.screenshot({ path: join(SHOTS, 'booking-page-public.png'), fullPage: true });
    await visitor.setViewportSize({ width: 390, height: 844 });
    await visitor.screenshot({ path: join(SHOTS, 'booking-page-public-phone.png'), fullPage: true });
    await visitor.setViewportSize(DESKTOP);

    // The times in the visitor's own zone (a plain GET form), then the first one, from the keyboard.
    await visitor.getByLabel('Your time zone').selectOption('America/New_York');
    await visitor.getByRole('button', { name: 'Show times' }).press('Enter');
    await visitor.waitForURL(/\?tz=America%2FNew_York$/);
    await visitor.getByRole('group', { name: 'Choose a time (America/New_York)' }).waitFor();
    const first = visitor.getByRole('radio').first();
    const startsAt = String(await first.getAttribute('value'));
    await first.focus();
    await visitor.keyboard.press('Space');
    assert.equal(await first.isChecked(), true);
    await visitor.getByLabel('First name').fill('Grace');
    await visitor.getByLabel('Email').fill('grace@example.com');
    await visitor.getByRole('button', { name: 'Book' }).press('Enter');
    await visitor.waitForURL(/\/m\/a\//);
    await visitor.getByText('Your meeting is booked.').waitFor();
    appointmentUrl = visitor.url();
    await checkPublicPage(appointmentUrl, 'the appointment page');
    await visitor.screenshot({ path: join(SHOTS, 'booking-appointment-page.png'), fullPage: true });

    const found = await api('GET', `/v1/contacts?email=${encodeURIComponent('grace@example.com')}`);
    assert.equal(found.json.items.length, 1, JSON.stringify(found.json));
    contactId = found.json.items[0].id;
    const booked = (await api('GET', `/v1/contacts/${contactId}/appointments`)).json.items;
    assert.equal(booked.length, 1);
    assert.equal(Date.parse(booked[0].startsAt), Date.parse(startsAt), 'the time picked');
    assert.equal(booked[0].status, 'booked');
  });

  it('shows on the contact’s page, and is cancelled there after a confirm', { timeout: 90_000 }, async () => {
    // Seen as started (its start moved an hour back): Completed and No-show, which the API refuses
    // before the real start, with its words.
    const listed = `**/v1/contacts/${contactId}/appointments*`;
    await page.route(listed, async (route) => {
      const response = await route.fetch();
      const json = await response.json();
      for (const a of json.items) {
        a.startsAt = new Date(Date.now() - 3_600_000).toISOString();
        a.endsAt = new Date(Date.now() - 900_000).toISOString();
      }
      await route.fulfill({ response, json });
    });
    await page.goto(`${server.url}/#/contacts/${contactId}`);
    const card = page.getByRole('region', { name: 'Appointments' });
    await card.getByRole('button', { name: /^No-show: Intro call/ }).waitFor();
    assert.equal(await card.getByRole('button', { name: /^Cancel/ }).count(), 0, 'no Cancel once started');
    await card.getByRole('button', { name: /^No-show: Intro call/ }).press('Enter');
    await card.getByRole('alert').getByText('this meeting has not started yet: cancel it instead').waitFor();
    await expectFocus(page, '#appointments-title');
    // The list reloaded after the refusal may still be on its way through the route: let it finish.
    await page.unrouteAll({ behavior: 'wait' });

    // As it is: booked, ahead, in the page's time zone.
    await page.reload();
    const item = card.getByRole('listitem').filter({ hasText: 'Intro call' });
    await item.getByText('Booked', { exact: true }).waitFor();
    await item.getByText(/\(Europe\/Paris\)$/).waitFor();
    await item.getByText(/for the invitee$/).waitFor();
    await checkBothSizes(page, 'a contact’s booked appointment');

    // Kept first (the focus back on Cancel), then cancelled.
    const cancel = card.getByRole('button', { name: /^Cancel Intro call/ });
    await cancel.press('Enter');
    await expectFocus(page, '[id^="keep-appointment-"]');
    await card.getByRole('button', { name: 'Keep it' }).press('Enter');
    await expectFocus(page, '[id^="cancel-appointment-"]');
    await cancel.press('Enter');
    await page.setViewportSize({ width: 390, height: 844 });
    await card.screenshot({ path: join(SHOTS, 'contact-appointment-confirm-phone.png') });
    await page.setViewportSize(DESKTOP);
    await card.getByRole('button', { name: 'Cancel appointment' }).click();
    await card
      .getByRole('status')
      .getByText('Appointment cancelled: the invitee is told by email.')
      .waitFor();
    await item.getByText('Cancelled', { exact: true }).waitFor();
    await expectFocus(page, '#appointments-title');
    assert.equal(await card.getByRole('button').count(), 0, 'nothing more to do');
    const [closed] = (await api('GET', `/v1/contacts/${contactId}/appointments`)).json.items;
    assert.equal(closed.status, 'cancelled');
    assert.equal(closed.cancelledBy, 'owner');
    await checkBothSizes(page, 'a contact’s cancelled appointment');
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'contact-appointments.png'), fullPage: true });

    // The visitor's page says so.
    const visitor = await (visitorContext as BrowserContext).newPage();
    await visitor.goto(appointmentUrl);
    await visitor.getByText('This meeting is cancelled.').waitFor();
  });

  it('is deleted after a confirm; its appointments stand', { timeout: 60_000 }, async () => {
    await page.goto(`${server.url}/#/settings`);
    const section = page.getByRole('region', { name: 'Booking pages' });
    await section.getByRole('button', { name: 'Delete Intro call' }).press('Enter');
    await expectFocus(page, '[id^="bp-keep-"]');
    await section.getByRole('button', { name: 'Keep' }).press('Enter');
    await expectFocus(page, '[id^="bp-delete-"]');
    await section.getByRole('button', { name: 'Delete Intro call' }).click();
    await section.getByRole('button', { name: 'Delete now' }).click();
    await section.getByText('No booking pages yet.').waitFor();
    await section.getByRole('status').getByText('Booking page “Intro call” deleted.').waitFor();
    await expectFocus(page, '#bp-list-title');
    assert.equal((await fetch(`${server.url}${slugHref}`)).status, 404);
    assert.equal((await api('GET', `/v1/contacts/${contactId}/appointments`)).json.items.length, 1);
  });
});
