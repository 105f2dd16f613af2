/**
 * waitForEvent on DynamoDB Local, through the step runner and the enroller's resumeWaiters: the
 * step answers its token at once when the event already happened; otherwise it stores a waiter,
 * which the contact's event answers (a click on this enrollment's email, an email from the contact,
 * the tag) and removes; a waiter whose enrollment moved on is removed unanswered; a token the Task
 * no longer waits on is not counted; a retried Task's newer registration survives the older's answer.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { enrollFromEvent } from '#automation/enrollment.js';
import type { TaskCallbacks } from '#automation/ports.js';
import { endRepliedEnrollments } from '#automation/reply-goal.js';
import { runStep, type StepInput } from '#automation/steps.js';
import { resumeWaiters } from '#automation/wait-for-event.js';
import { addTags } from '#contacts/rules.js';
import { createTemplate } from '#messaging/templates.js';
import { createTestTable, type TestTable } from '#test/support/dynamo.js';
import { RecordingMailer } from '#test/support/fakes.js';
import { RecordingEngine, stepContext, workflowKit } from '#test/support/workflows.js';

let t: TestTable;
let kit: ReturnType<typeof workflowKit>;
const mailer = new RecordingMailer();
let templateId = '';

/** Records the tokens answered; tokens in `gone` are no longer waited on. */
class RecordingCallbacks implements TaskCallbacks {
  readonly answered: string[] = [];
  readonly gone = new Set<string>();
  async succeed(token: string) {
    if (this.gone.has(token)) return false;
    this.answered.push(token);
    return true;
  }
}

before(async () => {
  t = await createTestTable();
  kit = workflowKit(t, new RecordingEngine());
  templateId = (
    await createTemplate(t.deps, {
      name: 'Invite',
      subject: 'Come to the demo',
      html: '<p><a href="https://example.com/demo">Book</a></p><a href="{{ unsubscribeUrl }}">Unsubscribe</a>',
    })
  ).id;
  await kit.publishedWorkflow({
    name: 'Chaser',
    trigger: { type: 'tagAdded', tag: 'demo' },
    steps: [
      { id: 'invite', type: 'sendEmail', templateId },
      {
        id: 'await-click',
        type: 'waitForEvent',
        event: { type: 'emailClicked', step: 'invite' },
        timeout: 'P3D',
      },
      { id: 'await-reply', type: 'waitForEvent', event: { type: 'emailReplied' }, timeout: 'P3D' },
      {
        id: 'await-tag',
        type: 'waitForEvent',
        event: { type: 'tagAdded', tag: 'qualified' },
        timeout: 'P1D',
      },
    ],
  });
});

async function enrolled(email: string) {
  const e = await kit.enrolled('demo', email);
  const callbacks = new RecordingCallbacks();
  const ctx = { ...stepContext(mailer), callbacks };
  const wait = (stepId: string, taskToken: string, args: Partial<StepInput> = {}) =>
    runStep(t.deps, ctx, e.step(stepId, 'waitForEvent', { taskToken, timeoutSeconds: 259_200, ...args }));
  const waiters = () => t.deps.store.listWaiters(e.contact.id);
  return { ...e, callbacks, ctx, wait, waiters };
}

describe('a waitForEvent step', () => {
  it('waits for a click on this enrollment’s email, and the click ends the wait once', async () => {
    const e = await enrolled('clicker@example.com');
    await runStep(t.deps, e.ctx, e.step('invite', 'sendEmail', { templateId }));
    const result = await e.wait('await-click', 'token-1', {
      event: { type: 'emailClicked', step: 'invite' },
    });
    assert.equal(result.outcome, 'waiting');
    assert.deepEqual(
      (await e.waiters()).map((w) => [w.stepId, w.token]),
      [['await-click', 'token-1']],
    );
    // Another event of the contact (nothing clicked yet) answers nothing.
    assert.equal(await resumeWaiters(t.deps, e.callbacks, e.contact.id), 0);
    assert.deepEqual(e.callbacks.answered, []);

    const send = await t.deps.store.getSend(e.contact.id, e.enrollment.id, 'invite');
    assert.ok(send);
    await t.deps.store.commit([
      { kind: 'recordEngagement', send, type: 'clicked', at: new Date().toISOString() },
    ]);
    assert.equal(await resumeWaiters(t.deps, e.callbacks, e.contact.id), 1);
    assert.deepEqual(e.callbacks.answered, ['token-1']);
    assert.deepEqual(await e.waiters(), []);
    // Delivered again: nothing left to answer.
    assert.equal(await resumeWaiters(t.deps, e.callbacks, e.contact.id), 0);
  });

  it('answers at once when the contact already replied during this enrollment, storing no waiter', async () => {
    const e = await enrolled('replier@example.com');
    await t.deps.store.commit([
      { kind: 'markReplied', contactId: e.contact.id, at: new Date().toISOString() },
    ]);
    const result = await e.wait('await-reply', 'token-r', { event: { type: 'emailReplied' } });
    assert.equal(result.outcome, 'received');
    assert.deepEqual(e.callbacks.answered, ['token-r']);
    assert.deepEqual(await e.waiters(), []);
  });

  it('ends a tag wait on the tag; a retried Task’s newer token survives the older one’s answer', async () => {
    const e = await enrolled('tagged@example.com');
    const event = { type: 'tagAdded', tag: 'qualified' };
    await e.wait('await-tag', 'token-old', { event });
    // The Task is retried (its Lambda timed out after storing): the newer token replaces the older.
    await e.wait('await-tag', 'token-new', { event });
    assert.deepEqual(
      (await e.waiters()).map((w) => w.token),
      ['token-new'],
    );
    await addTags(t.deps, e.contact.id, ['qualified']);
    assert.equal(await resumeWaiters(t.deps, e.callbacks, e.contact.id), 1);
    assert.deepEqual(e.callbacks.answered, ['token-new']);
    assert.deepEqual(await e.waiters(), []);
  });

  it('removes the waiter of an enrollment that moved on, and does not count a token no longer waited on', async () => {
    const e = await enrolled('timedout@example.com');
    const event = { type: 'tagAdded', tag: 'qualified' };
    await e.wait('await-tag', 'token-late', { event });
    e.callbacks.gone.add('token-late'); // its Task timed out: Step Functions answers TaskTimedOut
    await addTags(t.deps, e.contact.id, ['qualified']);
    assert.equal(await resumeWaiters(t.deps, e.callbacks, e.contact.id), 0);
    assert.deepEqual(await e.waiters(), []);

    const moved = await enrolled('moved@example.com');
    await moved.wait('await-tag', 'token-m', { event });
    // The timeout let the enrollment go on to its end before the tag came.
    await runStep(t.deps, moved.ctx, moved.step('Done', 'complete', { outcome: 'completed' }));
    await addTags(t.deps, moved.contact.id, ['qualified']);
    assert.equal(await resumeWaiters(t.deps, moved.callbacks, moved.contact.id), 0);
    assert.deepEqual(moved.callbacks.answered, []);
    assert.deepEqual(await moved.waiters(), []);
  });
});

describe('an email from the contact', () => {
  it('ends their enrollments whose goal is emailReplied at once, and no other', async () => {
    await kit.publishedWorkflow({
      name: 'Sales sequence',
      trigger: { type: 'tagAdded', tag: 'prospect' },
      goal: { type: 'emailReplied' },
      steps: [{ id: 'pause', type: 'wait', duration: 'P7D' }],
    });
    const seq = await kit.enrolled('prospect', 'answers@example.com');
    const other = await enrolledAlso(seq.contact.id, 'demo');
    assert.equal(await endRepliedEnrollments(t.deps, seq.contact.id), 0, 'no reply yet');
    await t.deps.store.commit([
      { kind: 'markReplied', contactId: seq.contact.id, at: new Date().toISOString() },
    ]);
    assert.equal(await endRepliedEnrollments(t.deps, seq.contact.id), 1);
    const ended = await t.deps.store.getEnrollment(seq.contact.id, seq.enrollment.id);
    assert.deepEqual([ended?.status, ended?.stopReason], ['stopped', 'goal_met']);
    assert.equal((await t.deps.store.getEnrollment(seq.contact.id, other))?.status, 'active');
    // Delivered again: nothing more ends.
    assert.equal(await endRepliedEnrollments(t.deps, seq.contact.id), 0);
  });
});

/** Enrolls an existing contact in the workflow its tag triggers; returns the enrollment id. */
async function enrolledAlso(contactId: string, tag: string): Promise<string> {
  const [e] = await enrollFromEvent(t.deps, new RecordingEngine(), {
    eventId: `evt-${contactId}-${tag}`,
    contactId,
    triggerKey: `tag:${tag}`,
  });
  assert.ok(e);
  return e.id;
}
