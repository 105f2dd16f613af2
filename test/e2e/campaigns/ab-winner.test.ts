/**
 * An A/B campaign against `npm start`, its winner chosen by its schedule (local EventBridge Scheduler,
 * an hour a second): the scheduled-action function schedules by the ARN it was invoked with, looks
 * again while the test share is still sending, then sends the winner (no clicks locally: the variant
 * sent to the most, saying so) to the rest — every contact once.
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

const dataDir = mkdtempSync(join(tmpdir(), 'tendril-ab-winner-'));
// An hour passes in a second; a slow send rate keeps the test share sending past its hour.
const ENV = { TENDRIL_TIME_SCALE: '3600', TENDRIL_EMAIL_MAX_SEND_RATE: '5' };
let server: LocalServer;
after(() => server?.stop());
const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);

describe('an A/B campaign on the local CRM', () => {
  it('chooses its winner when its schedule fires, once the test share is sent, and sends it to the rest', {
    timeout: 180_000,
  }, async () => {
    server = await startLocalServer(dataDir, ENV);
    const emails = Array.from({ length: 16 }, (_, i) => `ab${i}@example.com`);
    for (const email of emails)
      assert.equal((await api('POST', '/v1/contacts', { email, tags: ['ab'] })).status, 201);
    const ids: string[] = [];
    for (const subject of ['Version one', 'Version two']) {
      const t = await api('POST', '/v1/templates', {
        name: subject,
        subject,
        html: '<p>Hi</p><a href="{{ unsubscribeUrl }}">Unsubscribe</a>',
      });
      ids.push(t.json.id as string);
    }
    const draft = await api('POST', '/v1/campaigns', {
      name: 'A/B on schedule',
      audience: { kind: 'tag', tag: 'ab' },
      abTest: {
        variants: ids.map((templateId) => ({ templateId })),
        testPercent: 60,
        winnerBy: 'clicks',
        waitHours: 1,
      },
    });
    assert.equal(draft.status, 201, JSON.stringify(draft.json));
    const sent = await api('POST', `/v1/campaigns/${draft.json.id}/send`);
    assert.equal(sent.status, 202, JSON.stringify(sent.json));

    const done = await eventually(async () => {
      const view = await api('GET', `/v1/campaigns/${draft.json.id}`);
      return view.json.campaign.status === 'sent' ? view.json : undefined;
    }, 120_000);
    // No clicks locally: the variant sent to the most wins, and says so.
    assert.equal(done.campaign.abTest.winnerReason, 'no_data');
    const winnerSubject = { A: 'Version one', B: 'Version two' }[done.campaign.abTest.winner as 'A' | 'B'];
    const store = (await (await fetch(`${server.sesUrl}/store`)).json()) as { emails: StoredEmail[] };
    const to = store.emails.flatMap((e) => e.destination.to).filter((a) => a.startsWith('ab'));
    assert.deepEqual([...to].sort(), [...emails].sort(), 'everyone once');
    // The winner went to the rest: every email after the test share.
    const tested = done.report.variants.reduce((n: number, v: { sent: number }) => n + v.sent, 0);
    assert.ok(tested > 0 && tested < emails.length, `${tested} in the test share`);
    const rest = store.emails.filter((e) => e.destination.to[0]?.startsWith('ab')).slice(tested);
    assert.ok(
      rest.length > 0 && rest.every((e) => e.subject === winnerSubject),
      `the rest got ${winnerSubject}`,
    );
  });
});
