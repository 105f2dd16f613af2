/**
 * What a crash between two writes leaves behind, put right on DynamoDB Local: an enrollment whose
 * execution never started is started, one whose execution ended unseen is closed, a follow-up left
 * `sending` is sent once; an execution that fails closes its enrollment.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  closeEnrollmentOfExecution,
  enrollFromEvent,
  RECONCILE_AFTER_MS,
  reconcileEnrollments,
} from '#automation/enrollment.js';
import * as workflows from '#automation/workflows.js';
import * as contacts from '#contacts/rules.js';
import { reconcileFollowUps, STUCK_SENDING_MS } from '#messaging/follow-up-delivery.js';
import { scheduleFollowUp } from '#messaging/follow-ups.js';
import { createTemplate } from '#messaging/templates.js';
import { createTestTable, type TestTable } from '#test/support/dynamo.js';
import { RecordingMailer, RecordingScheduler } from '#test/support/fakes.js';
import { RecordingEngine, workflowKit } from '#test/support/workflows.js';

let now = new Date('2026-06-01T12:00:00.000Z');
let t: TestTable;
let engine: RecordingEngine;
let templateId: string;
const mailer = new RecordingMailer();
const emailCtx = {
  mailer,
  signingSecret: async () => 'test-signing-secret-test-signing-secret',
  publicUrl: 'https://crm.example.com',
};

before(async () => {
  t = await createTestTable(() => now);
  engine = new RecordingEngine();
  templateId = (
    await createTemplate(t.deps, { name: 'Hi', subject: 'Hi', html: '<a href="{{ unsubscribeUrl }}">u</a>' })
  ).id;
  await workflowKit(t, engine).publishedWorkflow({
    name: 'Reconciled',
    trigger: { type: 'tagAdded', tag: 'rec' },
    steps: [{ id: 'welcome', type: 'sendEmail', templateId }],
  });
});

const later = (ms: number) => {
  now = new Date(now.getTime() + ms);
};

describe('reconciliation', () => {
  it('starts the execution of an enrollment whose enroller died before StartExecution, once', async () => {
    const c = await contacts.createContact(t.deps, { email: 'lost@example.com' });
    engine.failStarts = 1;
    await assert.rejects(
      enrollFromEvent(t.deps, engine, { eventId: 'e-lost', contactId: c.id, triggerKey: 'tag:rec' }),
    );
    const [enrollment] = (await workflows.listEnrollments(t.deps, c.id, { limit: 5 })).items;
    assert.deepEqual([enrollment?.status, enrollment?.startedAt], ['active', undefined]);
    assert.equal(engine.executions.has(String(enrollment?.executionName)), false);

    // Too young: its enroller may still be at it.
    assert.equal((await reconcileEnrollments(t.deps, engine)).started, 0);
    later(RECONCILE_AFTER_MS + 1000);
    const report = await reconcileEnrollments(t.deps, engine);
    assert.deepEqual([report.started, report.closed], [1, 0]);
    assert.equal(engine.executions.get(String(enrollment?.executionName)), 'RUNNING');
    const after = await t.deps.store.getEnrollment(c.id, String(enrollment?.id));
    assert.equal(after?.startedAt, now.toISOString());
    // Confirmed: it is not looked at again.
    assert.equal((await reconcileEnrollments(t.deps, engine)).looked, 0);
  });

  it('confirms enrollments whose execution runs, and closes one whose execution ended unseen', async () => {
    const c = await contacts.createContact(t.deps, { email: 'gone@example.com' });
    const [enrollment] = await enrollFromEvent(t.deps, engine, {
      eventId: 'e-gone',
      contactId: c.id,
      triggerKey: 'tag:rec',
    });
    assert.ok(enrollment?.id);
    // Started and confirmed: never listed.
    later(RECONCILE_AFTER_MS + 1000);
    assert.equal((await reconcileEnrollments(t.deps, engine)).looked, 0);
    // An execution that timed out without a word (its status change lost): closed as failed.
    engine.executions.set(enrollment.executionName, 'TIMED_OUT');
    assert.equal(
      await closeEnrollmentOfExecution(t.deps, {
        status: 'TIMED_OUT',
        input: { enrollmentId: enrollment.id, contactId: c.id },
      }),
      'closed',
    );
    assert.equal(
      await closeEnrollmentOfExecution(t.deps, {
        status: 'TIMED_OUT',
        input: { enrollmentId: enrollment.id, contactId: c.id },
      }),
      'ignored',
    );
    const closed = await t.deps.store.getEnrollment(c.id, enrollment.id);
    assert.deepEqual([closed?.status, closed?.stopReason], ['failed', 'execution_timed_out']);
    const stats = (await workflows.getWorkflow(t.deps, enrollment.workflowId)).stats;
    assert.equal(stats?.outcomes.execution_timed_out, 1);
  });

  it('sends a follow-up left sending by a crashed attempt, once, after its lease', async () => {
    const c = await contacts.createContact(t.deps, { email: 'stuck@example.com' });
    const followUp = await scheduleFollowUp(t.deps, new RecordingScheduler(), c.id, {
      templateId,
      sendAt: new Date(now.getTime() + 60_000).toISOString(),
    });
    later(61_000);
    // The attempt claimed the send and died (its follow-up is sending, its claim leased).
    const sending = { ...followUp, status: 'sending' as const, updatedAt: now.toISOString() };
    await t.deps.store.commit([
      {
        kind: 'claimSend',
        send: {
          enrollmentId: 'follow-up',
          stepId: followUp.id,
          contactId: c.id,
          templateId,
          status: 'sending',
          claimedUntil: new Date(now.getTime() + 35_000).toISOString(),
          attempt: 1,
        },
      },
      { kind: 'putFollowUp', followUp: sending, expectedStatus: 'scheduled' },
    ]);
    assert.equal((await reconcileFollowUps(t.deps, emailCtx)).looked, 0, 'not stuck yet');
    later(STUCK_SENDING_MS + 1000);
    const report = await reconcileFollowUps(t.deps, emailCtx);
    assert.deepEqual(report.outcomes, ['sent']);
    assert.equal(mailer.sent.filter((m) => m.to === c.email).length, 1);
    assert.equal((await t.deps.store.getFollowUp(followUp.id))?.status, 'sent');
    assert.equal((await reconcileFollowUps(t.deps, emailCtx)).looked, 0);
  });
});
