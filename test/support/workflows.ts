/** Test support for workflows on DynamoDB Local: a recording engine, published workflows, enrolled contacts. */
import assert from 'node:assert/strict';
import { enrollFromEvent } from '#automation/enrollment.js';
import type { ExecutionStatus, WorkflowEngine } from '#automation/ports.js';
import type { StepInput } from '#automation/steps.js';
import * as workflows from '#automation/workflows.js';
import * as contacts from '#contacts/rules.js';
import type { TestTable } from './dynamo.js';
import { RecordingMailer, RecordingScheduler } from './fakes.js';

export class RecordingEngine implements WorkflowEngine {
  readonly stepFunctionArn = 'arn:aws:lambda:us-east-1:000000000000:function:step';
  readonly published: Array<{ workflowId: string; version: number; asl: object }> = [];
  readonly started: Array<{ arn: string; name: string; input: object }> = [];
  /** Executions by name, with their status (tests set FAILED etc.). */
  readonly executions = new Map<string, ExecutionStatus>();
  /** How many next starts fail as if the caller crashed before Step Functions got them. */
  failStarts = 0;
  async publish(workflowId: string, version: number, asl: object) {
    this.published.push({ workflowId, version, asl });
    return `arn:aws:states:us-east-1:000000000000:stateMachine:tendril-wf-${workflowId}:${version}`;
  }
  async start(arn: string, name: string, input: object) {
    if (this.failStarts > 0) {
      this.failStarts--;
      throw new Error('the enroller died before StartExecution');
    }
    this.started.push({ arn, name, input });
    if (!this.executions.has(name)) this.executions.set(name, 'RUNNING');
  }
  async status(_arn: string, name: string) {
    return this.executions.get(name);
  }
}

export function workflowKit(t: TestTable, engine: RecordingEngine) {
  async function publishedWorkflow(definition: Record<string, unknown>) {
    const wf = await workflows.createWorkflow(t.deps, definition as never);
    await workflows.publishWorkflow(t.deps, engine, wf.id);
    return wf;
  }
  async function enrolled(
    tag: string,
    email: string,
    fields: Record<string, number | string> = {},
    extra: { owner?: string; company?: string } = {},
  ) {
    const c = await contacts.createContact(t.deps, { email, firstName: 'Kim', fields, ...extra });
    const [enrollment] = await enrollFromEvent(t.deps, engine, {
      eventId: `evt-${email}`,
      contactId: c.id,
      triggerKey: `tag:${tag}`,
    });
    assert.ok(enrollment, 'enrolled');
    const step = (stepId: string, action: StepInput['action'], args: Partial<StepInput> = {}): StepInput => ({
      action,
      stepId,
      enrollmentId: enrollment.id,
      contactId: c.id,
      workflowId: enrollment.workflowId,
      version: enrollment.version,
      ...args,
    });
    return { contact: c, enrollment, step };
  }
  return { publishedWorkflow, enrolled };
}

/** What a step's Task gets besides the store: a fresh scheduler, the mailer (fresh unless given), the signing secret, the public URL. */
export const stepContext = (mailer: RecordingMailer = new RecordingMailer()) => ({
  scheduler: new RecordingScheduler(),
  mailer,
  signingSecret: async () => 'test-signing-secret-test-signing-secret',
  publicUrl: 'https://crm.example.com',
});
