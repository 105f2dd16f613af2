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
    .map(([k, v]) => `| ${k} | ${usd(v)} | ${usd(v * LEADS_PER_MONTH)} |`)
    .join('\n');
  return `## Workflow cost

The example \`workflows/examples/welcome-series.json\` (5 emails, 4 waits, a send-time window, a
closing tag, a goal) run to completion for one contact on the local Step Functions emulation; counts
from its execution history and from the DynamoDB calls its steps made.

| per enrollment | count |
|---|---|
| state transitions (\`StateEntered\` events, what Standard workflows bill) | ${transitions} |
| Lambda invocations (Task states) | ${tasks} |
| emails | ${emails} |
| DynamoDB requests by the steps (of which transactions) | ${requests} (${writes}) |
| write capacity units reported by DynamoDB Local | ${probe.usage.write.toFixed(0)} |

Monthly cost for ${LEADS_PER_MONTH.toLocaleString('en-US')} new leads, each completing the series:

| | per enrollment | per month |
|---|---|---|
${rows}
| **total** | **${usd(total)}** | **${usd(total * LEADS_PER_MONTH)}** |

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
