/**
 * Workflow cost: the example welcome series (5 emails over two weeks) run for one contact on the
 * local Step Functions emulation, its state transitions counted from the execution history, and
 * the monthly AWS bill for 5,000 new leads a month at list prices.
 */
import { readFileSync } from 'node:fs';
import type { RunningTendril } from '../local/main.js';
import { instrument } from './lead-capture.js';

/** us-east-1 list prices used by the formula (USD). */
export const PRICES = {
  stateTransition: 0.025 / 1000, // Step Functions Standard
  lambdaRequest: 0.2 / 1_000_000,
  lambdaGbSecondArm: 0.0000133334,
  sesEmail: 0.1 / 1000,
  eventBridgeEvent: 1 / 1_000_000,
  dynamoWru: 0.625 / 1_000_000,
  dynamoRru: 0.125 / 1_000_000,
};
/** Assumed per workflow-step invocation in the cloud (512 MB, arm64). */
const STEP_MEMORY_GB = 0.5;
const STEP_SECONDS = 0.1;
const LEADS_PER_MONTH = 5000;

/** The items written, by key shape (ids and times blanked), the most frequent first (top 12). */
function writtenKinds(transactions: unknown[][]): Array<[string, number]> {
  const shape = (key: unknown) =>
    String(key)
      .replace(/[0-9A-HJKMNP-TV-Z]{26}/g, '<id>')
      .replace(/\d{4}-\d\d-\d\d(T[\d:.]+Z)?/g, '<time>')
      .replace(/\d+/g, '<n>')
      .replace(/#[^#<]*@[^#]*/g, '#<email>')
      .replace(/ses-<n>/g, '<n>');
  const counts = new Map<string, number>();
  for (const items of transactions)
    for (const item of items as Array<
      Record<string, { Item?: Record<string, unknown>; Key?: Record<string, unknown> }>
    >) {
      const [op, body] = Object.entries(item)[0] ?? [];
      const key = body?.Item ?? body?.Key;
      if (!op || !key) continue;
      const kind = `${op} ${shape(key.PK)} · ${shape(key.SK)}`;
      counts.set(kind, (counts.get(kind) ?? 0) + 1);
    }
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, 12);
}

export async function workflowCost(tendril: RunningTendril): Promise<string> {
  const auth = { authorization: `Bearer ${tendril.adminToken}`, 'content-type': 'application/json' };
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${tendril.url}${path}`, {
      method,
      headers: auth,
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    const json = (await res.json()) as Record<string, unknown>;
    if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const definition = JSON.parse(readFileSync('workflows/examples/welcome-series.json', 'utf8')) as {
    steps: Array<{ templateId?: string }>;
  };
  for (const step of definition.steps) {
    if (!step.templateId) continue;
    const t = await call('POST', '/v1/templates', {
      name: step.templateId,
      subject: 'Hello',
      html: '<p>Hi</p>',
    });
    step.templateId = String(t.id);
  }
  const wf = await call('POST', '/v1/workflows', definition);
  await call('POST', `/v1/workflows/${wf.id}/publish`);
  const probe = await instrument();
  probe.reset();
  await call('POST', '/v1/contacts', { email: 'cost@bench.example', tags: ['lead'] });
  const deadline = Date.now() + 60_000;
  let execution: ReturnType<RunningTendril['stepFunctions']['listExecutions']>[number] | undefined;
  while (!execution || execution.status === 'RUNNING') {
    if (Date.now() > deadline) throw new Error('the welcome series did not finish');
    await new Promise((r) => setTimeout(r, 100));
    execution = tendril.stepFunctions.listExecutions().find((e) => e.name.startsWith(String(wf.id)));
  }
  if (execution.status !== 'SUCCEEDED') throw new Error(`execution ${execution.status}: ${execution.cause}`);
  const entered = (execution.events as Array<{ type: string; state?: { type: string } }>).filter(
    (e) => e.type === 'StateEntered',
  );
  const transitions = entered.length;
  const tasks = entered.filter((e) => e.state?.type === 'Task').length;
  const emails = definition.steps.filter((s) => s.templateId).length;
  const requests = Object.values(probe.usage.requests).reduce((a, b) => a + b, 0);
  const writes = probe.usage.requests.TransactWriteItems ?? 0;
  // Events on the bus per enrollment: ContactEnrolled, 5 × EmailSent, EnrollmentEnded, tag events.
  const busEvents = emails + 3;

  const perEnrollment = {
    stepFunctions: transitions * PRICES.stateTransition,
    lambda: tasks * (PRICES.lambdaRequest + STEP_MEMORY_GB * STEP_SECONDS * PRICES.lambdaGbSecondArm),
    ses: emails * PRICES.sesEmail,
    dynamo: probe.usage.write * PRICES.dynamoWru + (requests - writes) * PRICES.dynamoRru,
    eventBridge: busEvents * PRICES.eventBridgeEvent,
  };
  const total = Object.values(perEnrollment).reduce((a, b) => a + b, 0);
  const usd = (x: number) => `$${x < 1 ? x.toFixed(4) : x.toFixed(2)}`;
  const rows = Object.entries(perEnrollment)
    .map(([k, v]) => `| ${k} | ${usd(v)} | ${usd(v * 1000)} | ${usd(v * LEADS_PER_MONTH)} |`)
    .join('\n');
  const kinds = writtenKinds(probe.transactions)
    .map(([kind, n]) => `| \`${kind}\` | ${n} |`)
    .join('\n');
  return `## Workflow cost

The example \`workflows/examples/welcome-series.json\` (5 emails, 4 waits, a send-time window, a
closing tag, a goal) run to completion for one contact on the local Step Functions emulation; counts
from its execution history and from every DynamoDB call the CRM made from the lead's creation to the
series' end (the capture, the consumers of its events, the steps).

| per enrollment | count |
|---|---|
| state transitions (\`StateEntered\` events, what Standard workflows bill) | ${transitions} |
| Lambda invocations (Task states) | ${tasks} |
| emails | ${emails} |
| DynamoDB requests (of which transactions) | ${requests} (${writes}) |
| write capacity units reported by DynamoDB Local | ${probe.usage.write.toFixed(0)} |

Monthly cost for ${LEADS_PER_MONTH.toLocaleString('en-US')} new leads, each completing the series:

| | per enrollment | per 1,000 leads | per month |
|---|---|---|---|
${rows}
| **total** | **${usd(total)}** | **${usd(total * 1000)}** | **${usd(total * LEADS_PER_MONTH)}** |

Where the writes go: the items written (in transactions and single puts), by key shape, the most
frequent first (\`<id>\` a ULID, \`<n>\` a number, \`<time>\` a date or time):

| item (PK · SK) | writes |
|---|---|
${kinds}

Formula: \`leads × (transitions × $0.000025 + tasks × ($0.0000002 + 0.5 GB × 0.1 s × $0.0000133334)
+ emails × $0.0001 + WRU × $0.000000625 + RRU × $0.000000125 + events × $0.000001)\` — us-east-1 list
prices (Step Functions Standard, Lambda arm64, SES outbound, DynamoDB on-demand, EventBridge custom
events), before free tiers; the Lambda duration (100 ms at 512 MB) is an assumption, not a
measurement. The lead's own capture (see above) and the API Gateway request add well under a cent.

For scale, list prices of hosted marketing automation for 5,000 contacts (vendors' published
pricing pages, 2024; they change often): HubSpot Marketing Hub Professional starts at about $800 per
month (2,000 marketing contacts included, more billed in tiers); ActiveCampaign's Plus/Pro plans at
5,000 contacts are roughly $150–$300 per month. Those include a UI, deliverability tooling and
support that this figure does not; the point is that the per-lead infrastructure cost of a
serverless sequence is cents.
`;
}
