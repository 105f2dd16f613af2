/**
 * Lead-capture overhead: JSON form submissions per second through the local HTTP server (the whole
 * request path: HTTP adapter, middy stack, validation, reads, one transaction) against replaying the
 * very same TransactWriteItems straight into DynamoDB Local, same concurrency, alternating rounds in
 * one run. Also the DynamoDB requests and capacity units one lead costs (ReturnConsumedCapacity).
 */
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { localClient } from '../local/dynamodb.js';
import type { RunningTendril } from '../local/main.js';

/**
 * One request at a time: DynamoDB Local serializes transactions and collapses under concurrent ones
 * (measured: 47 tx/s alone, 32 tx/s with 8 in flight, single digits with 16), so concurrency would
 * measure the emulator's lock, not Tendril's overhead.
 */
const CONCURRENCY = 1;

interface Usage {
  requests: Record<string, number>;
  read: number;
  write: number;
}

type Probe = { usage: Usage; transactions: unknown[][]; reset(): void };
let installed: Probe | undefined;

/** Counts every DynamoDB call the handlers make, and its consumed capacity (installed once). */
export async function instrument(): Promise<Probe> {
  // The handlers' client: imported only now, once local mode has configured the environment.
  const { documentClient } = await import('#app/runtime.js');
  installed ??= install(documentClient);
  return installed;
}

function install(documentClient: typeof import('#app/runtime.js')['documentClient']): Probe {
  const state = { usage: { requests: {}, read: 0, write: 0 } as Usage, transactions: [] as unknown[][] };
  documentClient.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>;
      input.ReturnConsumedCapacity = 'TOTAL';
      const out = await next(args);
      const name = String(context.commandName ?? 'unknown').replace(/Command$/, '');
      state.usage.requests[name] = (state.usage.requests[name] ?? 0) + 1;
      if (name === 'TransactWriteItems') state.transactions.push(input.TransactItems as unknown[]);
      // A commit of one put is sent as a PutItem (the unit of work): recorded as its one item.
      if (name === 'PutItem') {
        const { ReturnConsumedCapacity: _, ...put } = input;
        state.transactions.push([{ Put: put }]);
      }
      const consumed = (out.output as { ConsumedCapacity?: unknown }).ConsumedCapacity;
      for (const c of (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as Array<{
        CapacityUnits?: number;
        ReadCapacityUnits?: number;
        WriteCapacityUnits?: number;
      }>) {
        if (name === 'TransactWriteItems' || name === 'PutItem' || name === 'UpdateItem')
          state.usage.write += c.WriteCapacityUnits ?? c.CapacityUnits ?? 0;
        else state.usage.read += c.ReadCapacityUnits ?? c.CapacityUnits ?? 0;
      }
      return out;
    },
    { step: 'initialize', name: 'benchCapacity' },
  );
  return {
    ...state,
    reset() {
      state.usage.requests = {};
      state.usage.read = 0;
      state.usage.write = 0;
      state.transactions.length = 0;
    },
  } as never;
}

/** Runs `run` over `items`, CONCURRENCY at a time. */
export async function pool<T>(items: T[], run: (item: T) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await run(items[next++] as T);
    }),
  );
}

/** The middle value (the upper one of an even count). */
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/**
 * Recorded transactions made ready to replay into `table` with every key's partition suffixed, so
 * each condition holds again (the items are new) while the table state stays the handlers'.
 */
export function replayable(transactions: unknown[][], table: string, suffix: string): unknown[][] {
  return transactions.map((items) =>
    (items as Array<Record<string, { Item?: { PK: string }; Key?: { PK: string } }>>).map((item) =>
      Object.fromEntries(
        Object.entries(item).map(([op, body]) => [
          op,
          {
            ...body,
            TableName: table,
            ...(body.Item ? { Item: { ...body.Item, PK: body.Item.PK + suffix } } : {}),
            ...(body.Key ? { Key: { ...body.Key, PK: body.Key.PK + suffix } } : {}),
          },
        ]),
      ),
    ),
  );
}

export async function leadCapture(
  tendril: RunningTendril,
  perRound: number,
  rounds: number,
): Promise<string> {
  const auth = { authorization: `Bearer ${tendril.adminToken}`, 'content-type': 'application/json' };
  const form = (await (
    await fetch(`${tendril.url}/v1/forms`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({
        name: 'Bench',
        fields: ['email', 'firstName'],
        tags: ['lead', 'bench'],
        // A benchmark sends every lead from this machine's one address: the form's rate limits
        // (20 a minute per address by default) would refuse it; they are raised for it.
        spam: {
          minFillSeconds: 0,
          requireToken: false,
          rateLimits: { perIpPerMinute: 10_000, perFormPerMinute: 10_000 },
        },
      }),
    })
  ).json()) as { id: string };
  const probe = await instrument();
  const raw = localClient(String(process.env.AWS_ENDPOINT_URL_DYNAMODB));
  const rawDoc = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
  // Replays go into the same table (keys suffixed per round, so every condition holds): both sides
  // then see the same table state, which DynamoDB Local's speed depends on.
  const RAW_TABLE = String(process.env.TABLE_NAME);
  // The stream poller publishes asynchronously, on other machines in the cloud: pause it here.
  await tendril.poller.stop();

  let n = 0;
  const submit = async () => {
    const i = n++;
    const res = await fetch(`${tendril.url}/f/${form.id}?utm_source=bench`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `lead${i}@bench.example`, firstName: `Lead ${i}` }),
    });
    await res.arrayBuffer();
    if (res.status !== 201) throw new Error(`submission answered ${res.status}`);
  };
  await pool(Array.from({ length: 50 }), submit); // warm-up

  const http: number[] = [];
  const direct: number[] = [];
  let perLead: { requests: Record<string, number>; read: number; write: number } | undefined;
  for (let round = 0; round < rounds; round++) {
    probe.reset();
    let t0 = performance.now();
    await pool(Array.from({ length: perRound }), submit);
    http.push(perRound / ((performance.now() - t0) / 1000));
    perLead ??= {
      requests: Object.fromEntries(Object.entries(probe.usage.requests).map(([k, v]) => [k, v / perRound])),
      read: probe.usage.read / perRound,
      write: probe.usage.write / perRound,
    };
    // The same transactions, replayed straight into the table.
    const replays = replayable(probe.transactions, RAW_TABLE, `#round${round}`);
    t0 = performance.now();
    await pool(replays, async (TransactItems) => {
      // Same request as the handlers' (they ask for consumed capacity too, for the figures below).
      await rawDoc.send(
        new TransactWriteCommand({ TransactItems: TransactItems as never, ReturnConsumedCapacity: 'TOTAL' }),
      );
    });
    direct.push(replays.length / ((performance.now() - t0) / 1000));
  }
  raw.destroy();
  const ratio = median(http) / median(direct);
  const requests = Object.entries(perLead?.requests ?? {})
    .map(([k, v]) => `${v.toFixed(2)} ${k}`)
    .join(' + ');
  const total = Object.values(perLead?.requests ?? {}).reduce((a, b) => a + b, 0);
  const items =
    probe.transactions.reduce((sum, t) => sum + t.length, 0) / Math.max(1, probe.transactions.length);
  const reads = total - (perLead?.requests.TransactWriteItems ?? 0);
  const wru = items * 2;
  return `## Lead-capture overhead

JSON submissions of a form (2 fields, 2 tags, UTM) through the local HTTP server — adapter, middy
stack, validation, the reads (the duplicate check and the email lookup in parallel; the form from a
warm in-memory cache), one transaction — against replaying the same
\`TransactWriteItems\` (recorded in the same round) directly into the same DynamoDB Local table (keys
suffixed, so every condition holds). A bounded loop, one
request at a time over loopback (DynamoDB Local serializes transactions, so concurrency would measure
its lock), after a warm-up of 50 leads; ${rounds} short alternating rounds of ${perRound} leads, medians
(DynamoDB Local slows down as its tables fill, which long rounds would charge to whichever side runs
later). The outbox stream poller is paused (in the cloud publishing runs elsewhere). Target ≥ 0.6.

| | leads per second |
|---|---|
| HTTP, full request path | ${median(http).toFixed(0)} |
| raw TransactWriteItems, same items | ${median(direct).toFixed(0)} |
| **ratio** | **${ratio.toFixed(2)} ${ratio >= 0.6 ? '✓' : '✗'}** |

Per lead (new contact): ${total.toFixed(2)} DynamoDB requests (${requests}),
${perLead?.read.toFixed(1)} read and ${perLead?.write.toFixed(1)} write capacity units as reported by
DynamoDB Local's \`ConsumedCapacity\`. On DynamoDB on-demand the same lead is ${reads.toFixed(0)} × 1 RRU
(strongly consistent reads of items under 4 KB) and 2 WRU per item of the ${items.toFixed(0)}-item
transaction (transactional writes cost double): ${wru.toFixed(0)} WRU, so one million leads cost
≈ $${(wru * 0.625 + reads * 0.125).toFixed(2)} in DynamoDB requests ($0.625 per million WRU,
$0.125 per million RRU, us-east-1 on-demand list prices).
`;
}
