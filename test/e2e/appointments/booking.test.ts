/**
 * Booking a meeting on the local CRM as a visitor would, with plain HTML forms: the page offers free
 * times; of six people posting the same time at once one books it and five are asked to choose
 * another; the confirmation with its calendar invite and the reminder arrive in the mail outbox; a
 * workflow on bookings runs; the signed link moves and cancels the meeting, each change with a new
 * invite; a booking survives a kill -9 right after it and its confirmation still arrives, once.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  adminClient,
  eventually,
  idle,
  type LocalServer,
  outbox,
  type StoredEmail,
  startLocalServer,
} from '#test/support/local-server.js';

/** A minute is a sixth of a second: the reminder an hour before a meeting in 90 minutes comes in 5 s. */
const SCALE = 360;
let server: LocalServer;
const dataDir = mkdtempSync(join(tmpdir(), 'tendril-appointments-'));

before(async () => {
  server = await startLocalServer(dataDir, { TENDRIL_TIME_SCALE: String(SCALE) });
});
after(async () => {
  await server?.stop();
});

const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);
type Invite = StoredEmail & {
  attachments?: Array<{ filename: string; contentType: string; content: string }>;
};
const inviteOf = (email: Invite | undefined) => {
  const file = email?.attachments?.find((a) => a.filename === 'invite.ics');
  return file ? Buffer.from(file.content, 'base64').toString('utf8') : '';
};
const mailTo = (to: string, subject: RegExp, count = 1) =>
  eventually(async () => {
    const found = ((await outbox(server, to)) as Invite[]).filter((e) => subject.test(e.subject));
    return found.length >= count ? found : undefined;
  }, 30_000);
const post = (path: string, fields: Record<string, string>) =>
  fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams(fields),
    redirect: 'manual',
  });
/** The times a page's form offers (its radio buttons' values). */
const offeredOn = async (path: string) => {
  const res = await fetch(`${server.url}${path}`, { headers: { accept: 'text/html' } });
  assert.equal(res.status, 200);
  return [...(await res.text()).matchAll(/name="startsAt"[^>]*value="([^"]+)"/g)].map((m) => String(m[1]));
};

async function meetingType(slug: string, reminders: number[]) {
  const created = await api('POST', '/v1/meeting-types', {
    slug,
    name: 'Product demo',
    ownerName: 'Sam Seller',
    ownerEmail: 'sam@example.com',
    durationMinutes: 30,
    minNoticeMinutes: 0,
    horizonDays: 7,
    timeZone: 'UTC',
    workingHours: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => ({
      day,
      start: '00:00',
      end: '24:00',
    })),
    remindersMinutesBefore: reminders,
  });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  return created.json as { id: string; slug: string };
}

describe('booking a meeting', () => {
  it('books one of six concurrent requests for a time; confirmation, invite, reminder and workflow follow', async () => {
    const template = await api('POST', '/v1/templates', {
      name: 'Before the demo',
      subject: 'Before our demo, {{ contact.firstName }}',
      html: '<p>Here is what to prepare.</p><a href="{{ unsubscribeUrl }}">Unsubscribe</a>',
    });
    const type = await meetingType('demo', [60]);
    const wf = await api('POST', '/v1/workflows', {
      name: 'Demo prep',
      trigger: { type: 'appointmentBooked', meetingTypeId: type.id },
      steps: [{ id: 'prep', type: 'sendEmail', templateId: template.json.id }],
    });
    assert.equal(wf.status, 201, JSON.stringify(wf.json));
    assert.equal((await api('POST', `/v1/workflows/${wf.json.id}/publish`)).status, 200);

    // A time about 90 minutes ahead: its reminder (an hour before) is still to come.
    const offered = await offeredOn('/m/demo');
    const slot = offered.find((s) => Date.parse(s) > Date.now() + 85 * 60_000);
    assert.ok(slot, 'a time 90 minutes ahead is offered');
    const attempts = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        post('/m/demo', {
          startsAt: slot,
          firstName: `Visitor${i}`,
          email: `visitor${i}@example.com`,
          tz: 'Europe/Paris',
        }),
      ),
    );
    const statuses = attempts.map((r) => r.status).sort();
    assert.deepEqual(statuses, [303, 409, 409, 409, 409, 409]);
    const refused = attempts.find((r) => r.status === 409);
    assert.match(await String(refused && (await refused.text())), /just booked by someone else/);
    const winner = attempts.findIndex((r) => r.status === 303);
    const location = String(attempts[winner]?.headers.get('location'));
    assert.match(location, /^\/m\/a\/[0-9A-Z]{26}\.[\w-]{43}\?done=booked$/);
    const email = `visitor${winner}@example.com`;

    const page = await (await fetch(`${server.url}${location}`)).text();
    assert.match(page, /Your meeting is booked\./);
    assert.match(page, /Europe\/Paris/);
    const ics = await fetch(`${server.url}${location.replace('?done=booked', '')}/invite.ics`);
    assert.match(String(ics.headers.get('content-type')), /^text\/calendar/);
    assert.match(await ics.text(), /METHOD:REQUEST/);
    assert.ok(!(await offeredOn('/m/demo')).includes(slot), 'the time is no longer offered');

    const [confirmation] = await mailTo(email, /^Confirmed: Product demo with Sam Seller/);
    const invite = inviteOf(confirmation);
    assert.match(invite, /METHOD:REQUEST/);
    assert.match(invite, new RegExp(`DTSTART:${slot.replace(/[-:]/g, '').replace('.000', '')}`));
    assert.match(invite, /ORGANIZER;CN="?Sam Seller"?:mailto:sam@example\.com/);
    const [reminder] = await mailTo(email, /^Reminder: Product demo/);
    assert.match(inviteOf(reminder), /SEQUENCE:0/);
    await mailTo(email, new RegExp(`^Before our demo, Visitor${winner}$`));

    const contacts = await api('GET', `/v1/contacts?email=${encodeURIComponent(email)}`);
    const contactId = contacts.json.items[0].id;
    const appointments = await api('GET', `/v1/contacts/${contactId}/appointments`);
    assert.deepEqual(
      appointments.json.items.map((a: { status: string; startsAt: string }) => [a.status, a.startsAt]),
      [['booked', slot]],
    );
    const tasks = await api('GET', '/v1/tasks?status=open&owner=sam%40example.com');
    assert.ok(
      tasks.json.items.some(
        (t: { title: string; dueAt: string }) =>
          t.title === `Product demo with Visitor${winner}` && t.dueAt === slot,
      ),
    );

    // The signed link moves it: a new invite (SEQUENCE 1); then cancels it: a CANCEL invite, the time free.
    const manage = location.replace('?done=booked', '');
    const later = (await offeredOn(manage)).find((s) => Date.parse(s) > Date.parse(slot) + 3600_000);
    assert.ok(later);
    // Post, then redirect: the page says what happened; a reload does not post again.
    const moved = await post(manage, { action: 'reschedule', startsAt: later });
    assert.equal(moved.status, 303);
    assert.equal(moved.headers.get('location'), `${manage}?done=moved`);
    assert.match(await (await fetch(`${server.url}${manage}?done=moved`)).text(), /Moved\./);
    const [movedMail] = await mailTo(email, /^Moved: Product demo with Sam Seller, now /);
    assert.match(inviteOf(movedMail), /SEQUENCE:1/);
    const unconfirmed = await post(manage, { action: 'cancel' });
    assert.equal(unconfirmed.status, 400);
    assert.match(await unconfirmed.text(), /Tick “Yes, cancel this meeting” to cancel it\./);
    const cancelled = await post(manage, { action: 'cancel', confirm: 'yes' });
    assert.equal(cancelled.status, 303);
    assert.match(
      await (await fetch(`${server.url}${manage}?done=cancelled`)).text(),
      /This meeting is cancelled\./,
    );
    const [cancellation] = await mailTo(email, /^Cancelled: Product demo/);
    assert.match(inviteOf(cancellation), /METHOD:CANCEL[\s\S]*STATUS:CANCELLED/);
    assert.ok((await offeredOn('/m/demo')).includes(later), 'the time is offered again');
    assert.equal((await post(manage, { action: 'cancel', confirm: 'yes' })).status, 409);
    await idle(server);
    assert.equal((await mailTo(email, /^Reminder:/)).length, 1, 'no reminder of a moved or cancelled time');
  });

  it('answers JSON clients and bad input with clear errors, and forged links with 403', async () => {
    await meetingType('json-demo', []);
    const [slot] = await offeredOn('/m/json-demo');
    const json = (body: unknown) =>
      fetch(`${server.url}/m/json-demo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const missing = await json({ startsAt: slot, email: 'not-an-email' });
    assert.equal(missing.status, 400);
    const error = (await missing.json()) as { error: { details: Array<{ path: string }> } };
    assert.deepEqual(error.error.details.map((d) => d.path).sort(), ['email', 'firstName']);
    const offGrid = await json({ startsAt: '2030-01-01T10:07:00Z', firstName: 'X', email: 'x@example.com' });
    assert.equal(offGrid.status, 400);
    const ok = await json({ startsAt: slot, firstName: 'Jay', email: 'jay@example.com' });
    assert.equal(ok.status, 201);
    const { manageUrl } = (await ok.json()) as { manageUrl: string };
    const path = new URL(manageUrl).pathname;
    assert.equal((await fetch(`${server.url}${path}`)).status, 200);
    // Forged, cut short or mangled: the same friendly 403.
    for (const bad of [`${path.slice(0, -3)}abc`, path.slice(0, -10), path.split('.')[0], `${path}x`]) {
      const forged = await fetch(`${server.url}${bad}`, { headers: { accept: 'text/html' } });
      assert.equal(forged.status, 403, bad);
      assert.match(await forged.text(), /This link is not valid/);
    }
    const browserBad = await post('/m/json-demo', { startsAt: slot ?? '', firstName: '', email: 'x' });
    assert.equal(browserBad.status, 400);
    const html = await browserBad.text();
    assert.match(html, /aria-invalid="true"/);
    assert.equal(
      (await fetch(`${server.url}/m/no-such-page`, { headers: { accept: 'text/html' } })).status,
      404,
    );
  });
});

describe('a booking and a crash', () => {
  it('keeps a booking made just before a kill -9, and sends its confirmation once after the restart', async () => {
    // A server of its own, in real time: the confirmation is scheduled 15 s ahead.
    await server.stop();
    const crashDir = mkdtempSync(join(tmpdir(), 'tendril-appointments-crash-'));
    server = await startLocalServer(crashDir, { TENDRIL_TIME_SCALE: '1' });
    await meetingType('crash-demo', []);
    const [slot] = await offeredOn('/m/crash-demo');
    const booked = await post('/m/crash-demo', {
      startsAt: String(slot),
      firstName: 'Kim',
      email: 'kim@example.com',
    });
    assert.equal(booked.status, 303);
    // The crash comes after the booking's own work (DynamoDB Local can lose a write it acknowledged
    // a moment before a kill -9: docs/local.md) and before its confirmation is due.
    await idle(server);
    await server.kill9();
    server = await startLocalServer(crashDir, { TENDRIL_TIME_SCALE: '1' });
    const [confirmation] = await mailTo('kim@example.com', /^Confirmed:/);
    assert.match(inviteOf(confirmation), /METHOD:REQUEST/);
    await idle(server);
    assert.equal((await outbox(server, 'kim@example.com')).length, 1);
    assert.ok(!(await offeredOn('/m/crash-demo')).includes(String(slot)));
  });
});
