/**
 * Broadcast: a campaign to N contacts on the local stack (a child `npm start`, as a user runs it)
 * with the send rate set to R/s (all email, and the campaigns' share of it). Two runs:
 * - rate: the achieved rate (sent ÷ seconds from the first email to the last) ÷ R, and the most
 *   emails in any one-second window (sliding, by the time each send was recorded) ÷ R;
 * - crash: kill -9 of the process group when about 40% are sent, a restart, and the campaign runs to
 *   its end: recipients with no email (lost) and with more than one (duplicates, by X-Tendril-Send-Id
 *   in the mail outbox, polled every 100 ms).
 * Then the request counts of one recipient, priced per 100,000-recipient campaign in the cloud.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { adminClient, eventually, type LocalServer, startLocalServer } from '../test/support/local-server.js';

interface Outbox {
  emails: Array<{
    subject: string;
    destination: { to: string[] };
    headers: Array<{ name: string; value: string }>;
  }>;
}

async function setUp(n: number, rate: number) {
  const dataDir = mkdtempSync(join(tmpdir(), 'tendril-broadcast-'));
  const env = {
    TENDRIL_CAMPAIGN_SEND_RATE: String(rate),
    // The setting: campaigns may use all of it (nothing else sends here).
    TENDRIL_EMAIL_MAX_SEND_RATE: String(rate),
    TENDRIL_LOCAL_QUEUE_CONCURRENCY: '8',
  };
  let server = await startLocalServer(dataDir, env);
  const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);
  const csv = `email\n${Array.from({ length: n }, (_, i) => `r${i}@broadcast.example`).join('\n')}\n`;
  const created = await api('POST', '/v1/imports', { fileName: 'list.csv', size: Buffer.byteLength(csv) });
  await fetch(created.json.upload.url, { method: 'PUT', headers: created.json.upload.headers, body: csv });
  await api('POST', `/v1/imports/${created.json.import.id}/start`, {
    options: { consentBasis: 'consent', tags: ['broadcast'], triggerAutomations: false },
  });
  await eventually(async () => {
    const v = await api('GET', `/v1/imports/${created.json.import.id}`);
    return v.json.import.status === 'completed' ? true : undefined;
  }, 600_000);
  const template = await api('POST', '/v1/templates', {
    name: 'Broadcast',
    subject: 'Broadcast bench',
    html: '<p>Hi</p><a href="{{ unsubscribeUrl }}">Unsubscribe</a>',
  });
  const campaign = await api('POST', '/v1/campaigns', {
    name: 'Bench',
    audience: { kind: 'tag', tag: 'broadcast' },
    templateId: template.json.id,
  });
  return {
    dataDir,
    campaignId: campaign.json.id as string,
    server: () => server,
    api,
    restart: async () => {
      await server.kill9();
      server = await startLocalServer(dataDir, env);
    },
  };
}

/** Send ids seen in the outbox (it is in memory: polled, so a crash loses nothing seen). */
function outboxWatcher(server: () => LocalServer) {
  const seen = new Map<string, number>(); // send id → times seen with distinct outbox positions
  const keys = new Set<string>();
  let stop = false;
  const loop = (async () => {
    while (!stop) {
      try {
        const store = (await (await fetch(`${server().sesUrl}/store`)).json()) as Outbox;
        store.emails.forEach((e, i) => {
          const id = e.headers.find((h) => h.name === 'X-Tendril-Send-Id')?.value;
          if (!id || e.subject !== 'Broadcast bench') return;
          const key = `${server().sesUrl}#${i}`;
          if (keys.has(key)) return;
          keys.add(key);
          seen.set(id, (seen.get(id) ?? 0) + 1);
        });
      } catch {
        // down during the crash
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    seen,
    stop: async () => {
      stop = true;
      await loop;
    },
  };
}

/** When the local SES accepted each email (ms): what SES's rate quota counts. */
async function sendTimes(server: LocalServer): Promise<number[]> {
  const res = await fetch(`${server.url}/_local/ses-sends`, {
    headers: { authorization: `Bearer ${server.token}` },
  });
  return ((await res.json()) as { acceptedAt: number[] }).acceptedAt;
}

const maxInWindow = (times: number[], ms: number) => {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while ((t[i] ?? 0) - (t[j] ?? 0) >= ms) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
};

async function sendAndWait(s: Awaited<ReturnType<typeof setUp>>, n: number, rate: number, crashAt?: number) {
  const started = await s.api('POST', `/v1/campaigns/${s.campaignId}/send`);
  if (started.status !== 202) throw new Error(`send refused: ${JSON.stringify(started.json)}`);
  if (crashAt !== undefined) {
    await eventually(async () => {
      const v = await s.api('GET', `/v1/campaigns/${s.campaignId}`);
      return (v.json.progress?.counts.changed ?? 0) >= crashAt ? true : undefined;
    }, 600_000);
    await s.restart();
  }
  return eventually(
    async () => {
      const v = await s.api('GET', `/v1/campaigns/${s.campaignId}`);
      if (v.json.campaign.status === 'sent') return v.json;
      // A chunk handed back to the queue waits out its visibility timeout: show why it failed.
      const failures = s
        .server()
        .output()
        .split('\n')
        .filter((l) => /"level":"ERROR"/.test(l));
      if (failures.length > 0) throw new Error(`the send failed:\n${failures.slice(0, 5).join('\n')}`);
      return undefined;
    },
    // The planner starts once the import's events ahead of BulkActionStarted are published.
    600_000 + (2 * n * 1000) / rate,
  );
}

export async function broadcastBench(n: number, rate: number): Promise<string> {
  // The rate run.
  const a = await setUp(n, rate);
  let rateLine: string;
  try {
    const view = await sendAndWait(a, n, rate);
    await new Promise((r) => setTimeout(r, 3000)); // the outbox publisher archives the last events
    const times = await sendTimes(a.server());
    const seconds = (Math.max(...times) - Math.min(...times)) / 1000;
    const achieved = times.length / seconds;
    // k sends within one second span k − 1 intervals: sends exactly 1/R apart put R + 1 of them in a
    // closed second (and a millisecond of jitter does the same in a half-open one), at a rate of R.
    const most = maxInWindow(times, 1000);
    const peak = most - 1;
    rateLine = `| rate | ${n.toLocaleString()} | ${view.progress.counts.changed.toLocaleString()} | ${achieved.toFixed(1)}/s | **${(achieved / rate).toFixed(2)}×** | ${most} sends, ${peak}/s | **${(peak / rate).toFixed(2)}×** | – | – |`;
  } finally {
    await a.server().stop();
  }
  // The crash run.
  const b = await setUp(n, rate);
  let crashLine: string;
  const watcher = outboxWatcher(b.server);
  try {
    const view = await sendAndWait(b, n, rate, Math.floor(n * 0.4));
    await new Promise((r) => setTimeout(r, 1000));
    await watcher.stop();
    const duplicates = [...watcher.seen.values()].filter((c) => c > 1).length;
    const lost = n - view.progress.counts.changed;
    crashLine = `| kill -9 at 40% | ${n.toLocaleString()} | ${view.progress.counts.changed.toLocaleString()} | – | – | – | – | **${lost}** | **${duplicates}** |`;
  } finally {
    await watcher.stop();
    await b.server().stop();
  }
  // Per recipient in the cloud: SQS + Lambda per chunk of 100; DynamoDB: contact, suppression, send
  // and recent marketing sends read (the email settings once per chunk); claim (transaction: send, recent sends);
  // completion (transaction: send, activity, outbox event); the dashboard projector's transaction
  // (processed event, the campaign's and the template's counter shards); the rate records (one
  // conditional write per 5 slots, twice: campaigns and all); SES per email; EventBridge for EmailSent.
  const per100k = {
    ses: 100_000 * 0.0001,
    dynamo: 100_000 * (4 * 0.25e-6 * 2 + (2 * 2 + 3 * 2 + 3 * 2) * 1.25e-6 + (2 / 5) * 1.25e-6),
    eventbridge: 100_000 * 1e-6,
    sqsLambda: 1000 * (0.4e-6 + 0.2e-6 + 60 * 1.0 * 0.0000133334 * 0.05),
  };
  const total = Object.values(per100k).reduce((x, y) => x + y, 0);
  // Sent at a local time, a recipient whose time has not come costs its wave's list entry (a write)
  // and one more contact read in the first job, whose chunks (1,000 more, seconds each) send nobody.
  const localTimeExtra =
    100_000 * (1.25e-6 + 0.25e-6 * 2) + 1000 * (0.4e-6 + 0.2e-6 + 2 * 1.0 * 0.0000133334);
  return `## Broadcast

A campaign to ${n.toLocaleString()} contacts on the local stack (a child \`npm start\`, 8 queue workers), the
send rate set to ${rate}/s (all email, and the campaigns' share). The achieved rate is the emails sent
÷ the seconds from the first to the last (by the time the local SES accepted each one, in ms:
what SES's quota counts); the peak is the highest rate over any one-second window (sliding): k
sends in it make k − 1 intervals, so k − 1 per second (sends exactly 1/R apart fit R + 1 in a second,
at a rate of R). The crash run kills the
process group with kill -9 when 40% are sent and restarts it: lost = recipients never sent to,
duplicates = send ids seen twice in the mail outbox (polled every 100 ms).

| run | recipients | sent to | achieved | ÷ set rate | peak over 1 s | ÷ set rate | lost | duplicates |
|---|---|---|---|---|---|---|---|---|
${rateLine}
${crashLine}

Target: achieved ÷ set ≥ 0.9, peak ÷ set ≤ 1.0, 0 lost, 0 duplicates.

Cost of a 100,000-recipient campaign in the cloud (us-east-1 list prices), from the requests one
recipient makes: SES $${per100k.ses.toFixed(2)}, DynamoDB $${per100k.dynamo.toFixed(2)} (4 reads; the claim,
completion and counter transactions of 2, 3 and 3 items — transactional writes cost double —; the rate records),
EventBridge $${per100k.eventbridge.toFixed(2)} (EmailSent), SQS + Lambda $${per100k.sqsLambda.toFixed(2)} (1,000 chunks of 100, up to a
minute each at 1 GB while they wait for their slots) — **≈ $${total.toFixed(2)} per 100,000 recipients**, SES
being most of it. Sent at a local time in each contact's time zone, add $${localTimeExtra.toFixed(2)} (each recipient put
in its wave: a list write and one more contact read; the first job's chunks).
`;
}
