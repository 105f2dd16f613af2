/**
 * Workflows executing for real: the compiled ASL in aws-local-stepfunctions, the step handler's
 * domain code on DynamoDB Local, and the real SES v2 client against aws-ses-v2-local — behind a proxy
 * that fails on cue.
 */
import assert from 'node:assert/strict';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { enrollFromEvent } from '#automation/enrollment.js';
import { type ExecutionStatus, executionArn, type WorkflowEngine } from '#automation/ports.js';
import { runStepTask, type StepInput } from '#automation/steps.js';
import * as workflows from '#automation/workflows.js';
import * as contacts from '#contacts/rules.js';
import { startSesLocal } from '#local/ses.js';
import { LocalStepFunctions } from '#local/step-functions.js';
import { unsubscribe } from '#messaging/feedback.js';
import { createTemplate } from '#messaging/templates.js';
import { createTestTable, type TestTable } from '#test/support/dynamo.js';
import { RecordingScheduler } from '#test/support/fakes.js';
import { eventually } from '#test/support/local-server.js';

const STEP_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:step';
let t: TestTable;
let sfn: LocalStepFunctions;
let ses: Server;
let proxy: Server;
let sesUrl: string;
/** Per recipient: the answers the proxy gives before letting a request through (status codes). */
const failurePlan = new Map<string, number[]>();
const answered: Array<{ to: string; status: number }> = [];

function startProxy(target: string): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      let to = '';
      try {
        to = JSON.parse(body.toString()).Destination?.ToAddresses?.[0] ?? '';
      } catch {}
      const plan = failurePlan.get(to);
      const status = plan?.shift();
      if (status) {
        answered.push({ to, status });
        const type = status === 429 ? 'TooManyRequestsException' : 'InternalFailure';
        res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': type });
        res.end(JSON.stringify({ message: `injected ${type}` }));
        return;
      }
      answered.push({ to, status: 200 });
      const forward = request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      forward.end(body);
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const outbox = async (to: string) => {
  const store = (await (await fetch(`${sesUrl}/store`)).json()) as {
    emails: Array<{ subject: string; destination: { to: string[] } }>;
  };
  return store.emails.filter((e) => e.destination.to.includes(to)).map((e) => e.subject);
};

let engine: WorkflowEngine;

before(async () => {
  t = await createTestTable();
  ({ url: sesUrl, server: ses } = await startSesLocal('127.0.0.1'));
  proxy = await startProxy(sesUrl);
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SESV2: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
  const { sesMailer } = await import('#messaging/ses-mailer.js');
  const ctx = {
    scheduler: new RecordingScheduler(),
    mailer: sesMailer({ from: 'hello@tendril.test', configurationSet: 'test' }),
    signingSecret: async () => 'reliability-secret-reliability-secret',
    publicUrl: 'https://crm.test',
  };
  // 36,000x: an hour passes in 100 ms, a day in 2.4 s.
  sfn = new LocalStepFunctions({ region: 'us-east-1', account: '000000000000', timeScale: 36_000 });
  sfn.registerLambda(STEP_ARN, (input) => runStepTask(t.deps, ctx, input as StepInput));
  engine = {
    stepFunctionArn: STEP_ARN,
    async publish(id, version, asl) {
      const definition = JSON.stringify(asl);
      const out = (await (version === 1
        ? sfn.call('CreateStateMachine', {
            name: `tendril-wf-${id}`,
            definition,
            roleArn: 'r',
            publish: true,
          })
        : sfn.call('UpdateStateMachine', {
            stateMachineArn: `arn:aws:states:us-east-1:000000000000:stateMachine:tendril-wf-${id}`,
            definition,
            publish: true,
          }))) as { stateMachineVersionArn: string };
      return out.stateMachineVersionArn;
    },
    async start(arn, name, input) {
      await sfn.call('StartExecution', { stateMachineArn: arn, name, input: JSON.stringify(input) });
    },
    async status(arn, name) {
      try {
        return (
          (await sfn.call('DescribeExecution', { executionArn: executionArn(arn, name) })) as {
            status: ExecutionStatus;
          }
        ).status;
      } catch {
        return undefined;
      }
    },
  };
  const ids: string[] = [];
  for (const subject of ['First', 'Second', 'Third']) {
    ids.push((await createTemplate(t.deps, { name: subject, subject, html: `<p>${subject}</p>` })).id);
  }
  const wf = await workflows.createWorkflow(t.deps, {
    name: 'Three emails',
    trigger: { type: 'tagAdded', tag: 'lead' },
    steps: [
      { id: 'first', type: 'sendEmail', templateId: ids[0] },
      { id: 'wait-1', type: 'wait', duration: 'P1D' },
      { id: 'second', type: 'sendEmail', templateId: ids[1] },
      { id: 'wait-2', type: 'wait', duration: 'PT1H' },
      { id: 'third', type: 'sendEmail', templateId: ids[2] },
    ],
  });
  await workflows.publishWorkflow(t.deps, engine, wf.id);
});

after(async () => {
  await sfn.suspend();
  proxy.close();
  ses.close();
});

async function enroll(email: string, eventId = `evt-${email}`) {
  const c = await contacts.createContact(t.deps, { email });
  const started = await enrollFromEvent(t.deps, engine, {
    eventId,
    contactId: c.id,
    triggerKey: 'tag:lead',
  });
  return { contact: c, started };
}

async function finished(contactId: string) {
  return eventually(async () => {
    const [e] = (await workflows.listEnrollments(t.deps, contactId, { limit: 5 })).items;
    return e && e.status !== 'active' ? e : undefined;
  }, 20_000);
}

describe('workflow executions under failure', () => {
  it('retries SES throttling and server errors on the 2nd email and sends each email exactly once', async () => {
    const email = 'flaky@example.com';
    // The 1st email goes through; the 2nd meets three throttles (the SDK's own retries give up) and
    // then three 500s, each time retried by Step Functions; then it and the 3rd go through.
    failurePlan.set(email, []);
    const { contact } = await enroll(email);
    await eventually(async () => ((await outbox(email)).length === 1 ? true : undefined));
    failurePlan.set(email, [429, 429, 429, 500, 500, 500]);
    const done = await finished(contact.id);
    assert.equal(done.status, 'completed');
    assert.deepEqual(await outbox(email), ['First', 'Second', 'Third']);
    const mine = answered.filter((a) => a.to === email).map((a) => a.status);
    assert.deepEqual(mine, [200, 429, 429, 429, 500, 500, 500, 200, 200]);
  });

  it('sends nothing after an unsubscribe that happens while the contact waits', async () => {
    const email = 'race@example.com';
    const { contact } = await enroll(email);
    await eventually(async () => ((await outbox(email)).length === 1 ? true : undefined));
    await unsubscribe(t.deps, contact.id, 'test');
    const done = await finished(contact.id);
    assert.equal(done.status, 'stopped');
    assert.equal(done.stopReason, 'unsubscribed');
    assert.deepEqual(await outbox(email), ['First']);
  });

  it('enrolls once when the same ContactTagged event is delivered twice', async () => {
    const email = 'twice@example.com';
    const first = await enroll(email, 'evt-dup');
    const again = await enrollFromEvent(t.deps, engine, {
      eventId: 'evt-dup',
      contactId: first.contact.id,
      triggerKey: 'tag:lead',
    });
    assert.equal(again[0]?.id, first.started[0]?.id);
    const executions = sfn.listExecutions().filter((e) => e.name.includes(first.contact.id));
    assert.equal(executions.length, 1);
    await finished(first.contact.id);
    assert.deepEqual(await outbox(email), ['First', 'Second', 'Third']);
    assert.equal((await workflows.listEnrollments(t.deps, first.contact.id, { limit: 5 })).items.length, 1);
  });
});
