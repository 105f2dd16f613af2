/**
 * A Task that runs several action steps (`fused`) and computes the wait chain after them (`waits`),
 * on DynamoDB Local: each step entered and acting once, whatever the retries.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { runStep, runStepTask } from '#automation/steps.js';
import * as workflows from '#automation/workflows.js';
import { createTemplate } from '#messaging/templates.js';
import { createTestTable, type TestTable } from '#test/support/dynamo.js';
import { RecordingMailer } from '#test/support/fakes.js';
import { RecordingEngine, stepContext, workflowKit } from '#test/support/workflows.js';

// Monday 2 March 2026, 12:00 UTC: 07:00 in New York (UTC-5), 13:00 in Berlin (UTC+1).
const NOW = new Date('2026-03-02T12:00:00.000Z');
let t: TestTable;
let engine: RecordingEngine;
let mailer: RecordingMailer;
let templateId: string;
const ctx = () => stepContext(mailer);

before(async () => {
  t = await createTestTable(() => NOW);
  engine = new RecordingEngine();
  mailer = new RecordingMailer();
  templateId = (await createTemplate(t.deps, { name: 'Hi', subject: 'Hi', html: '<p>Hi</p>' })).id;
});

const definition = (tag: string) => ({
  name: `Fused ${tag}`,
  timezone: 'Europe/Berlin',
  trigger: { type: 'tagAdded', tag },
  steps: [
    { id: 'welcome', type: 'sendEmail', templateId },
    { id: 'hot', type: 'addTag', tag: 'engaged' },
    { id: 'pause', type: 'wait', duration: 'P1D' },
    { id: 'morning', type: 'waitUntil', time: '09:00', timezone: 'contact' },
    { id: 'bye', type: 'removeTag', tag: 'engaged' },
  ],
});

async function setUp(tag: string, fields: Record<string, string> = {}) {
  const kit = workflowKit(t, engine);
  await kit.publishedWorkflow(definition(tag));
  const enrolled = await kit.enrolled(tag, `${tag}@example.com`, fields);
  // The Task as compiled: the email, the tag fused after it, the wait chain it enters and computes.
  const task = enrolled.step('welcome', 'sendEmail', {
    templateId,
    fused: [{ action: 'addTag', stepId: 'hot', tag: 'engaged' }],
    thenEnter: 'pause',
    waits: [{ seconds: 86_400 }, { time: '09:00', timezone: 'contact' }],
    stopAs: 'error',
  });
  return { ...enrolled, task };
}

const sentTo = (email: string) => mailer.sent.filter((m) => m.to === email).length;

describe('a Task of fused steps and a wait chain', () => {
  it('runs its steps in order, enters the wait and returns the chain in the contact’s time zone', async () => {
    const { contact, enrollment, task } = await setUp('fused-ny', { timezone: 'America/New_York' });
    // A day, then the next 09:00 in New York: 07:00 there a day later, so two hours more.
    assert.deepEqual(await runStepTask(t.deps, ctx(), task), { stop: false, seconds: 86_400 + 2 * 3600 });
    assert.equal(sentTo(contact.email as string), 1);
    assert.ok((await t.deps.store.getContact(contact.id))?.tags.includes('engaged'));
    assert.equal((await t.deps.store.getEnrollment(contact.id, enrollment.id))?.currentStep, 'pause');
    const stats = async () => (await workflows.getWorkflow(t.deps, enrollment.workflowId)).stats?.steps;
    const before = await stats();
    assert.deepEqual(before?.welcome, { entered: 1, current: 0 });
    assert.deepEqual(before?.hot, { entered: 1, current: 0 });
    assert.deepEqual(before?.pause, { entered: 1, current: 1 });
    // A retry of the whole Task (the Lambda answered too late): nothing twice, the same chain.
    assert.deepEqual(await runStepTask(t.deps, ctx(), task), { stop: false, seconds: 86_400 + 2 * 3600 });
    assert.equal(sentTo(contact.email as string), 1);
    assert.deepEqual(await stats(), before);
  });

  it('resumes a retry at the step the enrollment is at, without acting again on the ones before', async () => {
    const { contact, enrollment, task, step } = await setUp('fused-retry');
    // The first attempt sent the email and died before the tag.
    await runStep(t.deps, ctx(), step('welcome', 'sendEmail', { templateId }));
    assert.equal(sentTo(contact.email as string), 1);
    // No time zone of the contact's own: UTC, so a day and then 21 hours to 09:00.
    assert.deepEqual(await runStepTask(t.deps, ctx(), task), { stop: false, seconds: 86_400 + 21 * 3600 });
    assert.equal(sentTo(contact.email as string), 1);
    assert.ok((await t.deps.store.getContact(contact.id))?.tags.includes('engaged'));
    const steps = (await workflows.getWorkflow(t.deps, enrollment.workflowId)).stats?.steps;
    assert.deepEqual(steps?.welcome, { entered: 1, current: 0 });
    assert.deepEqual(steps?.pause, { entered: 1, current: 1 });
  });

  it('completes the enrollment after its last step when it ends the path, and stops when told to', async () => {
    const { contact, enrollment, step } = await setUp('fused-end');
    const last = step('welcome', 'sendEmail', {
      templateId,
      fused: [{ action: 'addTag', stepId: 'hot', tag: 'engaged' }],
      thenComplete: true,
      stopAs: 'error',
    });
    assert.deepEqual(await runStepTask(t.deps, ctx(), last), { stop: false });
    const ended = await t.deps.store.getEnrollment(contact.id, enrollment.id);
    assert.equal(ended?.status, 'completed');
    assert.equal(ended?.currentStep, 'hot');
    // A retry finds the enrollment over: the Task ends the execution (Tendril.Stop), no second email.
    await assert.rejects(runStepTask(t.deps, ctx(), last), { name: 'Tendril.Stop' });
    assert.equal(sentTo(contact.email as string), 1);
  });

  it("reads a waitUntil in the workflow's time zone without the contact", async () => {
    const { step } = await setUp('fused-berlin');
    const task = step('welcome', 'sendEmail', {
      templateId,
      thenEnter: 'morning',
      waits: [{ time: '09:00', timezone: 'Europe/Berlin' }],
    });
    // 13:00 in Berlin: 20 hours to the next 09:00.
    assert.deepEqual(await runStepTask(t.deps, ctx(), task), { stop: false, seconds: 20 * 3600 });
  });
});
