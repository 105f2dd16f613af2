/** Workflows on DynamoDB Local, with a recording Step Functions engine and mailer. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { enrollFromEvent } from '#automation/enrollment.js';
import { runStep } from '#automation/steps.js';
import * as workflows from '#automation/workflows.js';
import * as contacts from '#contacts/rules.js';
import { handleSesEvent, unsubscribe } from '#messaging/feedback.js';
import { createTemplate } from '#messaging/templates.js';
import { DomainError, RetryableError } from '#platform/errors.js';
import { STATUS_OF } from '#platform/http/handler.js';
import { createTestTable, type TestTable } from '#test/support/dynamo.js';
import { RecordingMailer } from '#test/support/fakes.js';
import { RecordingEngine, stepContext, workflowKit } from '#test/support/workflows.js';

let t: TestTable;
let engine: RecordingEngine;
let mailer: RecordingMailer;
let templateId: string;
const ctx = () => stepContext(mailer);

before(async () => {
  t = await createTestTable();
  engine = new RecordingEngine();
  mailer = new RecordingMailer();
  templateId = (
    await createTemplate(t.deps, { name: 'Hi', subject: 'Hi {{ contact.firstName }}', html: '<p>Hi</p>' })
  ).id;
});

const definition = (tag: string, extra: Record<string, unknown> = {}) => ({
  name: `Nurture ${tag}`,
  trigger: { type: 'tagAdded', tag },
  goal: { type: 'tagAdded', tag: 'customer' },
  steps: [
    { id: 'welcome', type: 'sendEmail', templateId },
    { id: 'pause', type: 'wait', duration: 'P1D' },
    {
      id: 'opened',
      type: 'if',
      condition: { emailOpened: { step: 'welcome' } },
      then: [{ id: 'hot', type: 'addTag', tag: 'engaged' }],
    },
  ],
  ...extra,
});

async function publishedWorkflow(tag: string, extra: Record<string, unknown> = {}) {
  return workflowKit(t, engine).publishedWorkflow(definition(tag, extra));
}

const enrolled = (tag: string, email: string) => workflowKit(t, engine).enrolled(tag, email);

describe('workflows on DynamoDB', () => {
  it('reports invalid definitions and missing references with their paths', async () => {
    await assert.rejects(
      workflows.createWorkflow(t.deps, {
        ...definition('x'),
        steps: [{ id: 'a', type: 'sendEmail', templateId: '01JF0000000000000000000000' }],
      }),
      (e: unknown) =>
        e instanceof DomainError &&
        STATUS_OF[e.kind] === 400 &&
        JSON.stringify(e.details).includes('steps.0.templateId'),
    );
    await assert.rejects(
      workflows.createWorkflow(t.deps, {
        ...definition('x'),
        trigger: { type: 'formSubmitted', formId: '01JF0000000000000000000000' },
      }),
      (e: unknown) => e instanceof DomainError && JSON.stringify(e.details).includes('trigger.formId'),
    );
  });

  it('publishes versions; running enrollments keep theirs', async () => {
    const wf = await publishedWorkflow('versioned');
    const { enrollment } = await enrolled('versioned', 'v@example.com');
    assert.equal(enrollment.version, 1);
    await workflows.updateWorkflow(t.deps, wf.id, { ...definition('versioned'), name: 'Renamed' });
    const { version } = await workflows.publishWorkflow(t.deps, engine, wf.id);
    assert.equal(version.version, 2);
    const view = await workflows.getWorkflow(t.deps, wf.id);
    assert.equal(view.published?.version, 2);
    assert.equal(view.workflow.name, 'Renamed');
    assert.equal((await t.deps.store.getEnrollment(enrollment.contactId, enrollment.id))?.version, 1);
    assert.equal((await t.deps.store.getWorkflowVersion(wf.id, 1))?.definition.name, 'Nurture versioned');
  });

  it('enrolls once per trigger event, with a deterministic execution name, and never twice with reenrollment never', async () => {
    const wf = await publishedWorkflow('once');
    const c = await contacts.createContact(t.deps, { email: 'once@example.com' });
    const event = { eventId: 'evt-once-1', contactId: c.id, triggerKey: 'tag:once' };
    const [first] = await enrollFromEvent(t.deps, engine, event);
    const [again] = await enrollFromEvent(t.deps, engine, event);
    assert.equal(again?.id, first?.id);
    assert.equal(first?.executionName, `${wf.id}-v1-${c.id}-1`);
    const starts = engine.started.filter((s) => s.name === first?.executionName);
    assert.equal(starts.length, 2, 'the redelivery restarts the same execution (a no-op in Step Functions)');
    assert.deepEqual(starts[0]?.input, starts[1]?.input);
    assert.deepEqual(await enrollFromEvent(t.deps, engine, { ...event, eventId: 'evt-once-2' }), []);
    assert.equal((await workflows.listEnrollments(t.deps, c.id, { limit: 10 })).items.length, 1);
  });

  it('runs the steps: an email is sent once per step, even when retried; throttling is retried', async () => {
    await publishedWorkflow('send');
    const { contact, enrollment, step } = await enrolled('send', 'send@example.com');
    mailer.failures = 1;
    await assert.rejects(
      runStep(t.deps, ctx(), step('welcome', 'sendEmail', { templateId })),
      RetryableError,
    );
    assert.deepEqual(await runStep(t.deps, ctx(), step('welcome', 'sendEmail', { templateId })), {
      stop: false,
    });
    assert.deepEqual(await runStep(t.deps, ctx(), step('welcome', 'sendEmail', { templateId })), {
      stop: false,
    });
    const mine = mailer.sent.filter((m) => m.to === contact.email);
    assert.equal(mine.length, 1);
    assert.equal(mine[0]?.subject, 'Hi Kim');
    assert.equal(mine[0]?.headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
    assert.match(
      String(mine[0]?.headers['List-Unsubscribe']),
      /^<https:\/\/crm\.example\.com\/u\/[0-9A-Z]{26}\.[\w-]{43}>$/,
    );
    const timeline = await contacts.listActivities(t.deps, contact.id, { limit: 10 });
    assert.equal(timeline.items.filter((a) => a.type === 'email').length, 1);

    // The open SES reports is what the `if` step reads.
    assert.deepEqual(
      await runStep(
        t.deps,
        ctx(),
        step('opened', 'evaluate', { condition: { emailOpened: { step: 'welcome' } } }),
      ),
      {
        stop: false,
        result: false,
      },
    );
    const send = await t.deps.store.getSend(contact.id, enrollment.id, 'welcome');
    assert.equal(
      await handleSesEvent(t.deps, {
        detailType: 'Email Opened',
        detail: { mail: { messageId: String(send?.messageId) } },
      }),
      'opened',
    );
    assert.equal(
      await handleSesEvent(t.deps, {
        detailType: 'Email Opened',
        detail: { mail: { messageId: String(send?.messageId) } },
      }),
      'ignored: opened already recorded',
    );
    assert.deepEqual(
      await runStep(
        t.deps,
        ctx(),
        step('opened', 'evaluate', { condition: { emailOpened: { step: 'welcome' } } }),
      ),
      {
        stop: false,
        result: true,
      },
    );
    await runStep(t.deps, ctx(), step('Done', 'complete', { outcome: 'completed' }));
    const view = await workflows.getWorkflow(t.deps, enrollment.workflowId);
    assert.deepEqual(view.stats?.steps.welcome, { entered: 1, current: 0 });
    assert.deepEqual(view.stats?.steps.opened, { entered: 1, current: 0 });
    assert.equal(view.stats?.outcomes.completed, 1);
    assert.equal((await t.deps.store.getEnrollment(contact.id, enrollment.id))?.status, 'completed');
  });

  it('stops at send time for unsubscribed, suppressed or converted contacts, and for paused workflows', async () => {
    await publishedWorkflow('stop');
    const cases: Array<[string, (c: { id: string; email: string }) => Promise<unknown>, string]> = [
      ['unsub@example.com', (c) => unsubscribe(t.deps, c.id, 'test'), 'unsubscribed'],
      [
        'bounce@example.com',
        (c) =>
          handleSesEvent(t.deps, {
            detailType: 'Email Bounced',
            detail: {
              mail: { messageId: 'm-1' },
              bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: c.email }] },
            },
          }),
        'suppressed',
      ],
      ['goal@example.com', (c) => contacts.addTags(t.deps, c.id, ['customer']), 'goal_met'],
    ];
    for (const [email, act, reason] of cases) {
      const { contact, enrollment, step } = await enrolled('stop', email);
      await act(contact);
      const before = mailer.sent.length;
      assert.deepEqual(await runStep(t.deps, ctx(), step('welcome', 'sendEmail', { templateId })), {
        stop: true,
        reason,
      });
      assert.equal(mailer.sent.length, before, `${email}: nothing sent`);
      const ended = await t.deps.store.getEnrollment(contact.id, enrollment.id);
      assert.equal(ended?.status, 'stopped');
      assert.equal(ended?.stopReason, reason);
    }
    const wf = await publishedWorkflow('paused');
    const { step } = await enrolled('paused', 'paused@example.com');
    await workflows.pauseWorkflow(t.deps, wf.id);
    assert.deepEqual(await runStep(t.deps, ctx(), step('welcome', 'sendEmail', { templateId })), {
      stop: true,
      reason: 'workflow_paused',
    });
    const c = await contacts.createContact(t.deps, { email: 'late@example.com' });
    assert.deepEqual(
      await enrollFromEvent(t.deps, engine, {
        eventId: 'evt-late',
        contactId: c.id,
        triggerKey: 'tag:paused',
      }),
      [],
    );
  });

  it('completes the enrollment in the Task of the step that ends its path (thenComplete), once', async () => {
    await publishedWorkflow('last');
    const { contact, enrollment, step } = await enrolled('last', 'last@example.com');
    const last = step('hot', 'addTag', { tag: 'engaged', thenComplete: true });
    assert.deepEqual(await runStep(t.deps, ctx(), last), { stop: false });
    const ended = await t.deps.store.getEnrollment(contact.id, enrollment.id);
    assert.equal(ended?.status, 'completed');
    assert.equal(ended?.currentStep, 'hot');
    assert.ok((await t.deps.store.getContact(contact.id))?.tags.includes('engaged'));
    // A retry of that Task finds the enrollment over: it ends the execution, and nothing is counted twice.
    assert.deepEqual(await runStep(t.deps, ctx(), last), { stop: true, reason: 'completed' });
    const view = await workflows.getWorkflow(t.deps, enrollment.workflowId);
    assert.equal(view.stats?.outcomes.completed, 1);
    assert.deepEqual(view.stats?.steps.hot, { entered: 1, current: 0 });
  });

  it('re-enrolls after exit when the workflow allows it', async () => {
    await publishedWorkflow('again', { reenrollment: 'afterExit' });
    const { contact, step } = await enrolled('again', 'again@example.com');
    await runStep(t.deps, ctx(), step('Done', 'complete', { outcome: 'exited' }));
    const [second] = await enrollFromEvent(t.deps, engine, {
      eventId: 'evt-again-2',
      contactId: contact.id,
      triggerKey: 'tag:again',
    });
    assert.equal(second?.number, 2);
    assert.match(String(second?.executionName), /-2$/);
  });
});
