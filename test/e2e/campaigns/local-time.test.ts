/**
 * A campaign at 09:00 in each contact's time zone against `npm start` (an hour a second): bad
 * schedules are refused with a 400 naming the field and change nothing; a good one sends the
 * contacts in one wave per local send time; kill -9 of the whole process group after the first wave
 * and a restart on the same data (the waves' schedules are persisted) — every contact is sent it
 * exactly once, in its wave.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { adminClient, eventually, type LocalServer, startLocalServer } from '#test/support/local-server.js';

const dataDir = mkdtempSync(join(tmpdir(), 'tendril-local-time-'));
const ENV = { TENDRIL_TIME_SCALE: '3600', TENDRIL_EMAIL_MAX_SEND_RATE: '20' };
const SUBJECT = 'Good morning, wherever you are';
/** A quarter each; the last without a time zone gets the fallback, London (UTC+0 in December). */
const ZONES = ['Asia/Tokyo', 'Europe/Paris', 'America/New_York', undefined] as const;
const UTC_TIMES = ['00:00', '08:00', '09:00', '14:00'];
const PER_ZONE = 15;
let server: LocalServer;
after(() => server?.stop());
const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);

describe('a campaign at a local time on the local CRM', () => {
  it('refuses bad schedules, then sends wave by wave, once to each, across kill -9 and a restart', {
    timeout: 300_000,
  }, async () => {
    server = await startLocalServer(dataDir, ENV);
    const contacts: Array<{ id: string; zone: string | undefined }> = [];
    for (const zone of ZONES)
      for (let i = 0; i < PER_ZONE; i++) {
        const email = `${(zone ?? 'none').replace('/', '-').toLowerCase()}${i}@example.com`;
        const res = await api('POST', '/v1/contacts', {
          email,
          tags: ['world'],
          ...(zone ? { timeZone: zone } : {}),
        });
        assert.equal(res.status, 201, JSON.stringify(res.json));
        contacts.push({ id: res.json.id as string, zone });
      }
    const template = await api('POST', '/v1/templates', {
      name: 'Morning',
      subject: SUBJECT,
      html: '<p>Hi</p><a href="{{ unsubscribeUrl }}">Unsubscribe</a>',
    });
    const draft = await api('POST', '/v1/campaigns', {
      name: 'Morning everywhere',
      audience: { kind: 'tag', tag: 'world' },
      templateId: template.json.id,
    });
    const id = draft.json.id as string;
    const day = new Date(Date.now() + 2 * 24 * 3600_000).toISOString().slice(0, 10);
    const local = { date: day, time: '09:00', fallbackTimeZone: 'Europe/London' };

    const refused: Array<[unknown, string]> = [
      [{}, 'at'],
      [{ at: new Date(Date.now() + 3600_000).toISOString(), localTime: local }, 'at'],
      [{ localTime: { ...local, date: `${day.slice(0, 4)}-02-30` } }, 'localTime.date'],
      [{ localTime: { ...local, time: '24:00' } }, 'localTime.time'],
      [{ localTime: { ...local, fallbackTimeZone: 'Mars/Base' } }, 'localTime.fallbackTimeZone'],
      [{ localTime: { ...local, date: new Date().toISOString().slice(0, 10) } }, 'localTime.date'],
    ];
    for (const [body, path] of refused) {
      const res = await api('POST', `/v1/campaigns/${id}/schedule`, body);
      assert.equal(res.status, 400, `${JSON.stringify(body)} → ${res.status} ${JSON.stringify(res.json)}`);
      assert.ok(
        res.json.error.details.some((d: { path: string }) => d.path === path),
        `${JSON.stringify(body)}: ${JSON.stringify(res.json.error)}`,
      );
    }
    assert.equal((await api('GET', `/v1/campaigns/${id}`)).json.campaign.status, 'draft', 'nothing written');

    const scheduled = await api('POST', `/v1/campaigns/${id}/schedule`, { localTime: local });
    assert.equal(scheduled.status, 200, JSON.stringify(scheduled.json));
    assert.equal(
      scheduled.json.scheduledAt,
      new Date(Date.parse(`${day}T09:00:00Z`) - 14 * 3600_000).toISOString(),
    );

    // The first wave (Tokyo) sent, the others waiting: then the crash.
    await eventually(async () => {
      const view = await api('GET', `/v1/campaigns/${id}`);
      return view.json.waves?.[0]?.status === 'sent' ? true : undefined;
    }, 120_000);
    await server.kill9();
    server = await startLocalServer(dataDir, ENV);

    const done = await eventually(async () => {
      const view = await api('GET', `/v1/campaigns/${id}`);
      return view.json.campaign.status === 'sent' ? view.json : undefined;
    }, 180_000);
    assert.deepEqual(
      done.waves.map((w: { at: string; status: string; sent: number }) => [w.at, w.status, w.sent]),
      UTC_TIMES.map((t) => [`${day}T${t}:00.000Z`, 'sent', PER_ZONE]),
    );
    const { processed, changed, failed } = done.progress.counts;
    assert.deepEqual([processed, changed, failed], [contacts.length, contacts.length, 0]);
    // Every contact has exactly one send of it recorded, whichever process sent it.
    for (let i = 0; i < contacts.length; i += 20)
      await Promise.all(
        contacts.slice(i, i + 20).map(async ({ id: contactId }) => {
          const timeline = await api('GET', `/v1/contacts/${contactId}/activities?limit=50`);
          const sends = (timeline.json.items as Array<{ body: string }>).filter(
            (a) => a.body === `Sent "${SUBJECT}"`,
          );
          assert.equal(sends.length, 1, `${contactId} has ${sends.length} sends recorded`);
        }),
      );
  });
});
