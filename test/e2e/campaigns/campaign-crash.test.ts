/**
 * A campaign as a marketer sends it against `npm start`, killed with kill -9 of the whole process
 * group mid-send (its own queue: campaign-chunks), restarted on the same data: it finishes Sent,
 * every contact of the audience has exactly one send of it recorded (its timeline), the counts add
 * up, and nobody gets it twice after the restart.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  adminClient,
  eventually,
  type LocalServer,
  type StoredEmail,
  startLocalServer,
} from '#test/support/local-server.js';

const dataDir = mkdtempSync(join(tmpdir(), 'tendril-campaign-crash-'));
// A slow send rate: the kill lands while most of the audience is still to be sent.
const ENV = { TENDRIL_EMAIL_MAX_SEND_RATE: '25' };
const AUDIENCE = 240;
const SUBJECT = 'Crash-proof news';
let server: LocalServer;
after(() => server?.stop());
const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);

async function sentOfCampaign(): Promise<string[]> {
  const store = (await (await fetch(`${server.sesUrl}/store`)).json()) as { emails: StoredEmail[] };
  return store.emails.filter((e) => e.subject === SUBJECT).flatMap((e) => e.destination.to);
}

describe('a campaign on the local CRM', () => {
  it('survives kill -9 mid-send: after a restart it is sent once to every contact', {
    timeout: 600_000,
  }, async () => {
    server = await startLocalServer(dataDir, ENV);
    const emails = Array.from({ length: AUDIENCE }, (_, i) => `reader${i}@example.com`);
    const ids: string[] = [];
    for (let i = 0; i < emails.length; i += 20) {
      const batch = await Promise.all(
        emails.slice(i, i + 20).map((email) => api('POST', '/v1/contacts', { email, tags: ['crash'] })),
      );
      for (const res of batch) {
        assert.equal(res.status, 201, JSON.stringify(res.json));
        ids.push(res.json.id as string);
      }
    }
    const template = await api('POST', '/v1/templates', {
      name: 'Crash',
      subject: SUBJECT,
      html: '<p>Hi</p><a href="{{ unsubscribeUrl }}">Unsubscribe</a>',
    });
    const draft = await api('POST', '/v1/campaigns', {
      name: 'Crash test',
      audience: { kind: 'tag', tag: 'crash' },
      templateId: template.json.id,
    });
    assert.equal(draft.status, 201, JSON.stringify(draft.json));
    const id = draft.json.id as string;
    assert.equal((await api('POST', `/v1/campaigns/${id}/send`)).status, 202);

    // Some sent, most not: then the crash.
    await eventually(async () => ((await sentOfCampaign()).length >= 30 ? true : undefined), 120_000);
    await server.kill9();
    server = await startLocalServer(dataDir, ENV);

    const done = await eventually(async () => {
      const view = await api('GET', `/v1/campaigns/${id}`);
      return view.json.campaign.status === 'sent' ? view.json : undefined;
    }, 480_000);
    assert.deepEqual(
      [done.progress.counts.processed, done.progress.counts.changed, done.progress.counts.failed],
      [AUDIENCE, AUDIENCE, 0],
    );
    // After the restart (a new outbox), nobody twice.
    const after = await sentOfCampaign();
    assert.equal(new Set(after).size, after.length, 'nobody got it twice after the restart');
    // The crash was mid-send: some went before it, the rest after the restart.
    assert.ok(after.length > 0 && after.length < AUDIENCE, `${after.length} sent after the restart`);
    // Every contact has exactly one send of it recorded, whichever process sent it.
    for (let i = 0; i < ids.length; i += 20) {
      await Promise.all(
        ids.slice(i, i + 20).map(async (contactId) => {
          const timeline = await api('GET', `/v1/contacts/${contactId}/activities?limit=50`);
          const sends = (timeline.json.items as Array<{ body: string }>).filter(
            (a) => a.body === `Sent "${SUBJECT}"`,
          );
          assert.equal(sends.length, 1, `${contactId} has ${sends.length} sends recorded`);
        }),
      );
    }
  });
});
