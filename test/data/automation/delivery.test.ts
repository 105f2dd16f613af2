/**
 * Step emails under failure, on DynamoDB Local: a crashed attempt's send claim is retried after its
 * lease, a template that cannot render leaves nothing claimed, and the per-step gauges always equal
 * where the enrollments really are.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { runStep, runStepTask } from '#automation/steps.js';
import * as workflows from '#automation/workflows.js';
import { unsubscribe } from '#messaging/feedback.js';
import { SendInProgress, sendIdHeader } from '#messaging/sender.js';
import { createTemplate } from '#messaging/templates.js';
import { createTestTable, type TestTable } from '#test/support/dynamo.js';
import { RecordingMailer } from '#test/support/fakes.js';
import { RecordingEngine, stepContext, workflowKit } from '#test/support/workflows.js';

let t: TestTable;
let kit: ReturnType<typeof workflowKit>;
const mailer = new RecordingMailer();
let templateId: string;
let loopingId: string;
const ctx = () => stepContext(mailer);

before(async () => {
  t = await createTestTable();
  kit = workflowKit(t, new RecordingEngine());
  templateId = (
    await createTemplate(t.deps, {
      name: 'Hi',
      subject: 'Hi {{ contact.firstName }}',
      html: '<p>Hi</p><a href="{{ unsubscribeUrl }}">Unsubscribe</a>',
    })
  ).id;
  // Renders for the sample contact; not for a contact whose field makes the loop enormous.
  loopingId = (
    await createTemplate(t.deps, {
      name: 'Loop',
      subject: 'Loop',
      html: '{% for i in (1..contact.fields.n) %}x{% endfor %}<a href="{{ unsubscribeUrl }}">u</a>',
    })
  ).id;
});

const series = (tag: string, first = templateId) => ({
  name: `Series ${tag}`,
  trigger: { type: 'tagAdded', tag },
  steps: [
    { id: 'welcome', type: 'sendEmail', templateId: first },
    { id: 'pause', type: 'wait', duration: 'P1D' },
    { id: 'second', type: 'sendEmail', templateId },
    { id: 'tagged', type: 'addTag', tag: 'nurtured' },
  ],
});

describe('step emails under failure', () => {
  it('enters the wait after an email from the email’s own Task, once; a retry then does nothing', async () => {
    await kit.publishedWorkflow(series('fold'));
    const { contact, enrollment, step } = await kit.enrolled('fold', 'fold@example.com');
    const welcome = step('welcome', 'sendEmail', { templateId, thenEnter: 'pause', stopAs: 'error' });
    assert.deepEqual(await runStepTask(t.deps, ctx(), welcome), { stop: false });
    assert.equal((await t.deps.store.getEnrollment(contact.id, enrollment.id))?.currentStep, 'pause');
    const sent = mailer.sent.filter((m) => m.to === 'fold@example.com').length;
    assert.equal(sent, 1);
    // Step Functions retries the Task (its answer was lost): no second email, the wait stays entered.
    assert.deepEqual(await runStepTask(t.deps, ctx(), welcome), { stop: false });
    assert.equal(mailer.sent.filter((m) => m.to === 'fold@example.com').length, 1);
    const view = await workflows.getWorkflow(t.deps, enrollment.workflowId);
    assert.equal(view.stats?.steps.pause?.current, 1);
    assert.equal(view.stats?.steps.welcome?.current ?? 0, 0);
  });

  it('fails a current version’s Task with Tendril.Stop when the enrollment must end; older ones read stop', async () => {
    await kit.publishedWorkflow(series('stop'));
    const { contact, step } = await kit.enrolled('stop', 'stop@example.com');
    await unsubscribe(t.deps, contact.id, 'test');
    const input = step('welcome', 'sendEmail', { templateId });
    await assert.rejects(runStepTask(t.deps, ctx(), { ...input, stopAs: 'error' }), (err: Error) => {
      assert.equal(err.name, 'Tendril.Stop');
      return true;
    });
    // Ended now: a version compiled before Tendril.Stop still gets its answer.
    assert.deepEqual(await runStepTask(t.deps, ctx(), input), { stop: true, reason: 'unsubscribed' });
  });

  it('retries a crashed attempt’s claim after its lease, sends once, with the slot’s id on the message', async () => {
    await kit.publishedWorkflow(series('crash'));
    const { contact, enrollment, step } = await kit.enrolled('crash', 'crash@example.com');
    const slot = { enrollmentId: enrollment.id, stepId: 'welcome' };
    const claim = (claimedUntil: string) => ({
      ...slot,
      contactId: contact.id,
      templateId,
      workflowId: enrollment.workflowId,
      status: 'sending' as const,
      claimedUntil,
      attempt: 1,
    });
    // An attempt claimed the slot and died before calling the provider; its lease runs 30 s more.
    await t.deps.store.commit([
      { kind: 'claimSend', send: claim(new Date(Date.now() + 30_000).toISOString()) },
    ]);
    await assert.rejects(
      runStep(t.deps, ctx(), step('welcome', 'sendEmail', { templateId })),
      SendInProgress,
    );
    assert.equal(mailer.sent.filter((m) => m.to === contact.email).length, 0);

    // Its lease ended: the next attempt takes the slot over and sends.
    const stale = await t.deps.store.getSend(contact.id, enrollment.id, 'welcome');
    await t.deps.store.commit([
      {
        kind: 'claimSend',
        send: claim(new Date(Date.now() - 1000).toISOString()),
        takeOver: { claimedUntil: stale?.claimedUntil },
      },
    ]);
    assert.deepEqual(await runStep(t.deps, ctx(), step('welcome', 'sendEmail', { templateId })), {
      stop: false,
    });
    assert.deepEqual(await runStep(t.deps, ctx(), step('welcome', 'sendEmail', { templateId })), {
      stop: false,
    });
    const mine = mailer.sent.filter((m) => m.to === contact.email);
    assert.equal(mine.length, 1);
    assert.equal(mine[0]?.headers['X-Tendril-Send-Id'], sendIdHeader(contact.id, slot));
    const send = await t.deps.store.getSend(contact.id, enrollment.id, 'welcome');
    assert.deepEqual([send?.status, send?.attempt, send?.claimedUntil], ['sent', 2, undefined]);
  });

  it('claims nothing for a template that cannot render for this contact, and stops the enrollment visibly', async () => {
    await kit.publishedWorkflow(series('loop', loopingId));
    const { contact, enrollment, step } = await kit.enrolled('loop', 'loop@example.com', { n: 100_000_000 });
    assert.deepEqual(await runStep(t.deps, ctx(), step('welcome', 'sendEmail', { templateId: loopingId })), {
      stop: true,
      reason: 'render_failed',
    });
    assert.equal(await t.deps.store.getSend(contact.id, enrollment.id, 'welcome'), undefined);
    const ended = await t.deps.store.getEnrollment(contact.id, enrollment.id);
    assert.deepEqual([ended?.status, ended?.stopReason], ['stopped', 'render_failed']);
  });

  it('keeps the step gauges equal to where enrollments are, whatever stops them', async () => {
    const wf = await kit.publishedWorkflow(series('gauges'));
    // A seeded sequence of contacts, each stopped at a different point in a different way.
    let seed = 7;
    const random = () => {
      seed = (seed * 48271) % 2147483647;
      return seed / 2147483647;
    };
    const enrollments = [];
    for (let i = 0; i < 24; i++) {
      const e = await kit.enrolled('gauges', `g${i}@example.com`);
      enrollments.push(e);
      const { step, contact } = e;
      // Half as current versions run it (the email's Task enters the wait after it), half as
      // versions compiled before that (a Task of its own enters the wait).
      const folded = random() < 0.5;
      const path: Array<() => Promise<unknown>> = [
        () =>
          runStep(
            t.deps,
            ctx(),
            step('welcome', 'sendEmail', { templateId, ...(folded ? { thenEnter: 'pause' } : {}) }),
          ),
        ...(folded ? [] : [() => runStep(t.deps, ctx(), step('pause', 'enter'))]),
        () => runStep(t.deps, ctx(), step('second', 'sendEmail', { templateId })),
        () => runStep(t.deps, ctx(), step('tagged', 'addTag', { tag: 'nurtured' })),
        () => runStep(t.deps, ctx(), step('Done', 'complete', { outcome: 'completed' })),
      ];
      const stopAt = Math.floor(random() * path.length);
      const unsubscribeAt = random() < 0.5 ? Math.floor(random() * path.length) : -1;
      for (let s = 0; s <= stopAt; s++) {
        if (s === unsubscribeAt) await unsubscribe(t.deps, contact.id, 'test');
        await path[s]?.();
        // A retried step must not move the gauges again.
        if (random() < 0.3) await path[s]?.();
      }
    }
    const actual = await Promise.all(
      enrollments.map((e) => t.deps.store.getEnrollment(e.contact.id, e.enrollment.id)),
    );
    const view = await workflows.getWorkflow(t.deps, wf.id);
    const active = actual.filter((e) => e?.status === 'active');
    assert.equal(view.stats?.active, active.length);
    for (const stepId of ['welcome', 'pause', 'second', 'tagged']) {
      const here = active.filter((e) => e?.currentStep === stepId).length;
      assert.equal(view.stats?.steps[stepId]?.current ?? 0, here, `current at ${stepId}`);
      assert.ok((view.stats?.steps[stepId]?.current ?? 0) >= 0);
    }
    const ended = actual.filter((e) => e?.status !== 'active');
    const outcomes = Object.values(view.stats?.outcomes ?? {}).reduce((a, b) => a + b, 0);
    assert.equal(outcomes, ended.length);
  });
});
