/**
 * Site-tracking overhead (issue #18): page views per second through `POST /t/collect` on the local
 * HTTP server (the whole request path: HTTP adapter, middy stack, validation, the in-memory
 * per-address window, the visitor token's check, the write) against replaying the very same
 * recorded writes straight into DynamoDB Local, alternating short rounds in one run, medians — as
 * the lead-capture bench does. Two kinds of hits: an anonymous visitor's, and a visitor already
 * identified as a contact (its hits carry the visitor token the identification answered with).
 * Run alone with `npx tsx bench/run.ts tracking` (prints the section; `npm run bench` writes them all).
 */
import { Agent, request } from 'node:http';
import { DynamoDBDocumentClient, PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { localClient } from '../local/dynamodb.js';
import type { RunningTendril } from '../local/main.js';
import { instrument, median, pool, replayable } from './lead-capture.js';

/** A browser's user agent: the endpoint drops bots' hits without writing anything. */
const BROWSER =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15';
/** Page views a visitor makes in a row (one keep-alive connection from its own address). */
const SESSION = 5;
const PAGES = ['/', '/pricing', '/features', '/docs/getting-started', '/blog/launch'];
/** Identified visitors (contacts), whose sessions take turns. */
const CONTACTS = 30;

type Kind = 'anonymous' | 'identified';

interface Visitor {
  id: string;
  /** The loopback address its hits come from (the local gateway passes the socket's address on). */
  address: string;
  /** The visitor token the snippet keeps once the visitor is known (the identification's answer). */
  vt?: string;
}

/**
 * The endpoint allows 300 hits per client address per minute (counted in the process's memory),
 * and locally the address is the socket's (no CloudFront, so no `CloudFront-Viewer-Address` is
 * believed). All of 127.0.0.0/8 is loopback on Linux: each visitor connects from its own address,
 * as visitors of a site do, and no address comes near the limit.
 */
const addressOf = (kind: Kind, n: number) =>
  `127.${kind === 'anonymous' ? 61 : 62}.${Math.floor(n / 250)}.${(n % 250) + 2}`;

/** One hit from `visitor`; resolves with the status and the answer's body. */
function post(
  agent: Agent,
  base: URL,
  visitor: Visitor,
  body: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: base.hostname,
        port: base.port,
        path: '/t/collect',
        method: 'POST',
        agent,
        localAddress: visitor.address,
        headers: {
          'content-type': 'text/plain;charset=UTF-8',
          'content-length': Buffer.byteLength(body),
          'user-agent': BROWSER,
          origin: 'https://www.example.com',
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const hitBody = (visitor: Visitor, i: number, tokens: { ct?: string; vt?: string } = {}) =>
  JSON.stringify({
    v: visitor.id,
    t: 'page',
    url: `https://www.example.com${PAGES[i % PAGES.length]}`,
    ...tokens,
  });

/**
 * The recorded writes with their keys suffixed (every put's condition holds), but a ConditionCheck
 * still on the contact it checks (which exists): the same items, the same conditions.
 */
function replayed(transactions: unknown[][], table: string, suffix: string): unknown[][] {
  const copies = replayable(transactions, table, suffix);
  return copies.map((items, t) =>
    items.map((item, i) => {
      const original = transactions[t]?.[i] as { ConditionCheck?: object } | undefined;
      return original?.ConditionCheck
        ? { ConditionCheck: { ...original.ConditionCheck, TableName: table } }
        : item;
    }),
  );
}

interface Side {
  http: number[];
  transaction: number[];
  put: number[];
  perHit?: { requests: Record<string, number>; read: number; write: number };
  items: number;
}

export async function trackingBench(
  tendril: RunningTendril,
  perRound: number,
  rounds: number,
): Promise<string> {
  const base = new URL(tendril.url);
  const auth = { authorization: `Bearer ${tendril.adminToken}`, 'content-type': 'application/json' };
  const probe = await instrument();
  const raw = localClient(String(process.env.AWS_ENDPOINT_URL_DYNAMODB));
  const rawDoc = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  const RAW_TABLE = String(process.env.TABLE_NAME);
  // Signed as the links of the contact's emails are (the local signing key, set by startTendril).
  const { signingSecret } = await import('#platform/aws/signing-secret.js');
  const { signContactToken } = await import('#tracking/rules.js');
  const secret = await signingSecret();
  // The stream poller publishes asynchronously, on other machines in the cloud: pause it here.
  await tendril.poller.stop();

  // Visitors already identified: a contact each, identified by one hit with its email link's token.
  const contactVisitors: Visitor[] = [];
  for (let c = 0; c < CONTACTS; c++) {
    const res = await fetch(`${tendril.url}/v1/contacts`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ email: `visitor${c}@tracking-bench.example`, firstName: `Visitor ${c}` }),
    });
    const contact = (await res.json()) as { id: string };
    if (res.status !== 201) throw new Error(`creating a contact answered ${res.status}`);
    const visitor = {
      id: `bench-contact-visitor-${String(c).padStart(4, '0')}`,
      address: addressOf('identified', c),
    };
    const agent = new Agent({ keepAlive: false });
    const answer = await post(
      agent,
      base,
      visitor,
      hitBody(visitor, 0, { ct: signContactToken(secret, contact.id) }),
    );
    agent.destroy();
    // The snippet reads this answer (it sent the hit with fetch) and keeps the token.
    if (answer.status !== 200) throw new Error(`identifying a visitor answered ${answer.status}`);
    const { vt } = JSON.parse(answer.body) as { vt: string };
    contactVisitors.push({ ...visitor, vt });
  }

  let anonymousSessions = 0;
  let contactSessions = 0;
  /** The next visitor of a kind: a new anonymous one each session; the identified ones take turns. */
  const nextVisitor = (kind: Kind): Visitor => {
    if (kind === 'identified') return contactVisitors[contactSessions++ % CONTACTS] as Visitor;
    const n = anonymousSessions++;
    return { id: `bench-anonymous-visitor-${String(n).padStart(5, '0')}`, address: addressOf(kind, n) };
  };
  /** `count` page views, SESSION in a row per visitor, one request at a time (see lead-capture). */
  const browse = async (kind: Kind, count: number) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    let visitor = nextVisitor(kind);
    try {
      await pool(
        Array.from({ length: count }, (_, i) => i),
        async (i) => {
          if (i > 0 && i % SESSION === 0) visitor = nextVisitor(kind);
          const { status } = await post(
            agent,
            base,
            visitor,
            hitBody(visitor, i, visitor.vt ? { vt: visitor.vt } : {}),
          );
          if (status !== 204) throw new Error(`a ${kind} hit answered ${status}`);
        },
      );
    } finally {
      agent.destroy();
    }
  };
  await browse('anonymous', 50); // warm-up
  await browse('identified', 50);

  const sides: Record<Kind, Side> = {
    anonymous: { http: [], transaction: [], put: [], items: 0 },
    identified: { http: [], transaction: [], put: [], items: 0 },
  };
  for (let round = 0; round < rounds; round++) {
    for (const kind of ['anonymous', 'identified'] as const) {
      const side = sides[kind];
      probe.reset();
      let t0 = performance.now();
      await browse(kind, perRound);
      side.http.push(perRound / ((performance.now() - t0) / 1000));
      // Every hit was written (a bot's or a rate-limited one would not be): one transaction each.
      if (probe.transactions.length !== perRound)
        throw new Error(`${perRound} ${kind} hits made ${probe.transactions.length} transactions`);
      side.perHit ??= {
        requests: Object.fromEntries(Object.entries(probe.usage.requests).map(([k, v]) => [k, v / perRound])),
        read: probe.usage.read / perRound,
        write: probe.usage.write / perRound,
      };
      side.items = probe.transactions.reduce((sum, t) => sum + t.length, 0) / perRound;
      // The same transactions, replayed straight into the table.
      const replays = replayed(probe.transactions, RAW_TABLE, `#round${round}`);
      t0 = performance.now();
      await pool(replays, async (TransactItems) => {
        await rawDoc.send(
          new TransactWriteCommand({
            TransactItems: TransactItems as never,
            ReturnConsumedCapacity: 'TOTAL',
          }),
        );
      });
      side.transaction.push(replays.length / ((performance.now() - t0) / 1000));
      // An anonymous hit is one item: also written the cheapest way, a PutItem of that same item.
      if (kind === 'anonymous') {
        const puts = replayable(probe.transactions, RAW_TABLE, `#put${round}`).map(
          (items) => (items[0] as { Put: { TableName: string; Item: Record<string, unknown> } }).Put,
        );
        t0 = performance.now();
        await pool(puts, async (put) => {
          await rawDoc.send(
            new PutCommand({ TableName: put.TableName, Item: put.Item, ReturnConsumedCapacity: 'TOTAL' }),
          );
        });
        side.put.push(puts.length / ((performance.now() - t0) / 1000));
      }
    }
  }
  raw.destroy();

  const describe = (side: Side) => {
    // A hit makes no Query: those counted are the local scheduler's background sweeps, left out.
    const requests = Object.fromEntries(
      Object.entries(side.perHit?.requests ?? {}).filter(([name]) => name !== 'Query' && name !== 'Scan'),
    );
    const total = Object.values(requests).reduce((a, b) => a + b, 0);
    const list = Object.entries(requests)
      .map(([k, v]) => `${v.toFixed(2)} ${k}`)
      .join(' + ');
    const reads = requests.GetItem ?? 0;
    // On-demand: a strongly consistent read of a small item is 1 RRU, an UpdateItem 1 WRU, each item of
    // a transaction 2 WRU.
    // A single put is sent as a PutItem (1 WRU, counted in the requests); a transaction's items 2 each.
    const transactional = (requests.TransactWriteItems ?? 0) > 0 ? side.items * 2 : 0;
    const wru = (requests.UpdateItem ?? 0) + (requests.PutItem ?? 0) + transactional;
    return { total, list, reads, wru, cost: wru * 0.625 + reads * 0.125 };
  };
  const a = sides.anonymous;
  const k = sides.identified;
  const anonRatio = median(a.http) / median(a.transaction);
  const idRatio = median(k.http) / median(k.transaction);
  const putRatio = median(a.http) / median(a.put);
  const da = describe(a);
  const dk = describe(k);
  const mark = (r: number) => (r >= 0.6 ? '✓' : '✗');
  return `## Site-tracking overhead

Page views (\`POST /t/collect\`, \`text/plain\` JSON as the snippet's \`sendBeacon\` sends it, a browser's
user agent) through the local HTTP server — adapter, middy stack, validation, the per-address window
(counted in the process's memory: in the cloud each instance counts its own, behind WAF's
per-address rule on \`/t/collect\`), the visitor token's HMAC, the write — against replaying the
same writes (recorded in the same round; an anonymous hit's one put is sent as a \`PutItem\`, an
identified hit's items as one \`TransactWriteItems\`) directly into the same DynamoDB Local table (keys
suffixed, so every condition holds; the contact's ConditionCheck left on the contact, which exists).
Anonymous hits are a new visitor's; identified hits are those of ${CONTACTS} visitors each identified as a
contact beforehand (by one hit carrying its email link's signed token, whose answer gave the visitor
token), so each hit carries that token and reads nothing: its transaction checks the contact
(ConditionCheck) and writes the visit, the contact's web summary and the outbox event. One request
at a time over loopback, after a warm-up of 50 hits of each kind; ${rounds} short alternating rounds of
${perRound} hits per kind, medians. The outbox stream poller is paused (in the cloud publishing runs
elsewhere). The endpoint allows 300 hits per address per minute and locally reads the client's
address from the socket (no CloudFront header is believed without the origin secret), so each
visitor connects from its own loopback address (127.61.x.y, 127.62.x.y) and views ${SESSION} pages in a
row on one keep-alive connection: no address nears the limit, every hit is recorded (checked: one
write per hit) and none is refused. Target ≥ 0.6: anonymous hits against the raw \`PutItem\` (the
fourth row replays them as one-item transactions, for comparison), identified hits against the raw
transaction of the same items.

| hits per second | anonymous visitor | identified visitor (contact) |
|---|---|---|
| HTTP, full request path | ${median(a.http).toFixed(0)} | ${median(k.http).toFixed(0)} |
| raw write of the same items (\`PutItem\`; \`TransactWriteItems\`) | ${median(a.put).toFixed(0)} | ${median(k.transaction).toFixed(0)} |
| **ratio (target ≥ 0.6)** | **${putRatio.toFixed(2)} ${mark(putRatio)}** | **${idRatio.toFixed(2)} ${mark(idRatio)}** |
| raw one-item \`TransactWriteItems\`, for comparison | ${median(a.transaction).toFixed(0)} | — |
| ratio to it | ${anonRatio.toFixed(2)} | — |

Per anonymous hit: ${da.total.toFixed(2)} DynamoDB requests (${da.list}), ${a.perHit?.read.toFixed(1)} read and
${a.perHit?.write.toFixed(1)} write capacity units as reported by DynamoDB Local (the background sweeps'
queries of the local scheduler, counted by the same client, left out); on DynamoDB on-demand that is
${da.reads.toFixed(0)} RRU and ${da.wru.toFixed(0)} WRU: one million anonymous page views ≈ $${da.cost.toFixed(2)} in DynamoDB requests.
Per identified hit: ${dk.total.toFixed(2)} requests (${dk.list}), ${k.perHit?.read.toFixed(1)} read and
${k.perHit?.write.toFixed(1)} write capacity units; a ${k.items.toFixed(0)}-item transaction (2 WRU an item, the ConditionCheck
included): ${dk.reads.toFixed(0)} RRU and ${dk.wru.toFixed(0)} WRU, ≈ $${dk.cost.toFixed(2)} per million ($0.625 per million WRU, $0.125 per
million RRU, us-east-1 on-demand list prices).
`;
}
