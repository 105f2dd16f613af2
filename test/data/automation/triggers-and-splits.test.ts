/**
 * The newer parts of the workflow language on DynamoDB Local: a deal moved to a stage and a click in
 * an email enroll their contact; a random split sends each enrollment down one path (the same one on
 * a retry) and counts each path; a goal that is any condition ends an enrollment at its next step.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { enrollFromEvent, triggersOf } from '#automation/enrollment.js';
import { runStep, runStepTask } from '#automation/steps.js';
import * as workflows from '#automation/workflows.js';
import { createFieldDefinition } from '#contacts/field-definitions.js';
import { createContact, getContact, updateContact } from '#contacts/rules.js';
import { DomainError, type ErrorDetail } from '#platform/errors.js';
import { parseEvent } from '#platform/events.js';
import * as sales from '#sales/pipelines.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';
import { RecordingEngine, stepContext, workflowKit } from '#test/support/workflows.js';

let t: TestTable;
const engine = new RecordingEngine();
let kit: ReturnType<typeof workflowKit>;
const ctx = () => stepContext();
const pathsOf = (err: DomainError) => (err.details as ErrorDetail[]).map((d) => d.path);
const wait = [{ id: 'w', type: 'wait', duration: 'P1D' }];

before(async () => {
  t = await createTestTable();
  kit = workflowKit(t, engine);
});

async function enrollAll(type: string, match: (detail: Record<string, unknown>) => boolean) {
  const events = (await outboxEvents(t)).filter(
    (e) => e.detailType === type && match(e.detail as Record<string, unknown>),
  );
  assert.equal(events.length, 1, `one ${type}`);
  const triggers = triggersOf(parseEvent(type, events[0]?.detail));
  const enrolled = [];
  for (const trigger of triggers) enrolled.push(...(await enrollFromEvent(t.deps, engine, trigger)));
  return { keys: triggers.map((x) => x.triggerKey), workflows: enrolled.map((e) => e.workflowId) };
}

describe('workflow triggers on deals and clicks', () => {
  it('enroll a deal’s contact when it moves to the stage of the pipeline a workflow names', async () => {
    const stages = ['Lead', 'Proposal', 'Won', 'Lost'].map((name, i) => ({
      name,
      probability: [0.1, 0.5, 1, 0][i] ?? 0,
    }));
    const pipeline = await sales.createPipeline(t.deps, { name: 'Trigger test', stages });
    const other = await sales.createPipeline(t.deps, { name: 'Other', stages });
    const onWon = await kit.publishedWorkflow({
      name: 'Won',
      trigger: { type: 'dealStageChanged', pipelineId: pipeline.id, stage: 'Won' },
      steps: wait,
    });
    await kit.publishedWorkflow({
      name: 'Won elsewhere',
      trigger: { type: 'dealStageChanged', pipelineId: other.id, stage: 'Won' },
      steps: wait,
    });
    const refused = await kit
      .publishedWorkflow({
        name: 'Bad stage',
        trigger: { type: 'dealStageChanged', pipelineId: pipeline.id, stage: 'Signed' },
        steps: wait,
      })
      .catch((err: unknown) => err);
    assert.ok(refused instanceof DomainError);
    assert.equal(pathsOf(refused)[0], 'trigger.stage');

    const contact = await createContact(t.deps, { email: 'deal-buyer@example.com' });
    const deal = await sales.createDeal(t.deps, {
      title: 'Big one',
      amount: 5000,
      currency: 'EUR',
      pipelineId: pipeline.id,
      stage: 'Proposal',
      contactId: contact.id,
    });
    await sales.updateDeal(t.deps, deal.id, { version: deal.version, stage: 'Won' });
    const won = await enrollAll('DealStageChanged', (d) => d.dealId === deal.id);
    assert.deepEqual(won.keys, [`deal:stage:${pipeline.id}:Won`]);
    assert.deepEqual(won.workflows, [onWon.id], 'only the workflow on this pipeline');
  });

  it('enroll on a click in any email, or in one made from a template; never on an open', () => {
    const engaged = (type: 'opened' | 'clicked', templateId?: string) =>
      triggersOf(
        parseEvent('EmailEngaged', {
          eventId: `e-${type}-${templateId ?? 'none'}`,
          occurredAt: '2026-12-02T10:00:00.000Z',
          version: 1,
          contactId: '01JF0000000000000000000C01',
          messageId: 'm-1',
          type,
          ...(templateId ? { templateId } : {}),
        }),
      ).map((x) => x.triggerKey);
    assert.deepEqual(engaged('clicked', '01JF0000000000000000000T01'), [
      'email:clicked',
      'email:clicked:01JF0000000000000000000T01',
    ]);
    assert.deepEqual(engaged('clicked'), ['email:clicked']);
    assert.deepEqual(engaged('opened', '01JF0000000000000000000T01'), []);
  });
});

describe('a random split', () => {
  it('sends each enrollment down one path by the percentages, the same one on a retry, counted per path', async () => {
    const wf = await kit.publishedWorkflow({
      name: 'A/B',
      trigger: { type: 'tagAdded', tag: 'ab' },
      steps: [
        {
          id: 'test',
          type: 'split',
          branches: [
            { percent: 70, steps: [{ id: 'tag-a', type: 'addTag', tag: 'path-a' }] },
            { percent: 30, steps: [{ id: 'tag-b', type: 'addTag', tag: 'path-b' }] },
          ],
        },
      ],
    });
    const taken: number[] = [];
    for (let i = 0; i < 40; i++) {
      const { step } = await kit.enrolled('ab', `split-${i}@example.com`);
      const first = await runStep(t.deps, ctx(), step('test', 'split', { percents: [70, 30] }));
      // The Lambda died after choosing: its retry takes the same path and counts nothing twice.
      const again = await runStepTask(
        t.deps,
        ctx(),
        step('test', 'split', { percents: [70, 30], stopAs: 'error' }),
      );
      assert.equal(again.branch, first.branch);
      taken.push(first.branch as number);
    }
    const a = taken.filter((b) => b === 0).length;
    assert.equal(a + taken.filter((b) => b === 1).length, 40, 'every enrollment took a path');
    assert.ok(a > 15 && a < 40, `about 70% took A (${a} of 40)`);
    const view = await workflows.getWorkflow(t.deps, wf.id);
    assert.deepEqual(view.stats?.steps.test, { entered: 40, current: 0 });
    assert.deepEqual(view.stats?.steps['test/a'], { entered: a, current: a });
    assert.deepEqual(view.stats?.steps['test/b'], { entered: 40 - a, current: 40 - a });
  });

  it('is refused when its percentages do not add up to 100, at its path', async () => {
    const refused = await workflows
      .createWorkflow(t.deps, {
        name: 'Bad split',
        trigger: { type: 'tagAdded', tag: 'ab' },
        steps: [
          {
            id: 'test',
            type: 'split',
            branches: [
              { percent: 50, steps: [] },
              { percent: 40, steps: [] },
            ],
          },
        ],
      } as never)
      .catch((err: unknown) => err);
    assert.ok(refused instanceof DomainError);
    assert.deepEqual(pathsOf(refused), ['steps.0.branches']);
  });
});

describe('a goal that is any condition', () => {
  it('ends the enrollment at the next step once it holds, and may not test emails', async () => {
    await kit.publishedWorkflow({
      name: 'Until onboarded',
      trigger: { type: 'tagAdded', tag: 'onboarding' },
      goal: { type: 'condition', condition: { field: 'plan', op: 'eq', value: 'pro' } },
      steps: [
        { id: 'first', type: 'addTag', tag: 'step-1' },
        { id: 'second', type: 'addTag', tag: 'step-2' },
      ],
    });
    const { contact, step } = await kit.enrolled('onboarding', 'goal-condition@example.com', {
      plan: 'free',
    });
    assert.deepEqual(await runStep(t.deps, ctx(), step('first', 'addTag', { tag: 'step-1' })), {
      stop: false,
    });
    // Tagged by the first step since: its version moved on.
    const tagged = await getContact(t.deps, contact.id);
    await updateContact(t.deps, contact.id, { version: tagged.version, fields: { plan: 'pro' } });
    assert.deepEqual(await runStep(t.deps, ctx(), step('second', 'addTag', { tag: 'step-2' })), {
      stop: true,
      reason: 'goal_met',
    });
    const refused = await workflows
      .createWorkflow(t.deps, {
        name: 'Bad goal',
        trigger: { type: 'tagAdded', tag: 'x' },
        goal: { type: 'condition', condition: { emailClicked: { step: 'first' } } },
        steps: [{ id: 'first', type: 'addTag', tag: 'x' }],
      } as never)
      .catch((err: unknown) => err);
    assert.ok(refused instanceof DomainError);
    assert.equal(pathsOf(refused)[0], 'goal.condition');
  });
});

describe('a field set by a step, and a field change as a trigger', () => {
  it('sets a property and a custom field as an edit would, enrolling the workflows waiting for that value', async () => {
    const onPro = await kit.publishedWorkflow({
      name: 'Went pro',
      trigger: { type: 'fieldChanged', field: 'plan', value: 'pro' },
      steps: wait,
    });
    const onCompany = await kit.publishedWorkflow({
      name: 'Company changed',
      trigger: { type: 'fieldChanged', field: 'company' },
      steps: wait,
    });
    await kit.publishedWorkflow({
      name: 'Upgrader',
      trigger: { type: 'tagAdded', tag: 'upgrade' },
      steps: [
        { id: 'set-plan', type: 'updateField', field: 'plan', value: 'pro' },
        { id: 'set-company', type: 'updateField', field: 'company', value: 'Acme' },
      ],
    });
    const { contact, step } = await kit.enrolled('upgrade', 'upgrader@example.com', { plan: 'free' });
    const before = (await outboxEvents(t)).length;
    await runStep(t.deps, ctx(), step('set-plan', 'updateField', { field: 'plan', value: 'pro' }));
    // A retry sets what is already there: nothing changes, no second event.
    await runStep(t.deps, ctx(), step('set-plan', 'updateField', { field: 'plan', value: 'pro' }));
    await runStep(t.deps, ctx(), step('set-company', 'updateField', { field: 'company', value: 'Acme' }));
    const now = await getContact(t.deps, contact.id);
    assert.equal(now.fields.plan, 'pro');
    assert.equal(now.company, 'Acme');
    const updates = (await outboxEvents(t))
      .slice(before)
      .filter(
        (e) =>
          e.detailType === 'ContactUpdated' && (e.detail as { contactId: string }).contactId === contact.id,
      );
    assert.deepEqual(
      updates.map((e) => (e.detail as { changed: string[] }).changed),
      [['fields.plan'], ['company']],
    );
    const enrolled = [];
    for (const e of updates)
      for (const trigger of triggersOf(parseEvent('ContactUpdated', e.detail)))
        enrolled.push(...(await enrollFromEvent(t.deps, engine, trigger)));
    assert.deepEqual(enrolled.map((e) => e.workflowId).sort(), [onPro.id, onCompany.id].sort());

    // Another contact whose plan changed to something else is not enrolled in "went pro".
    const other = await createContact(t.deps, { email: 'downgrader@example.com', fields: { plan: 'pro' } });
    await updateContact(t.deps, other.id, { version: other.version, fields: { plan: 'free' } });
    const [changed] = (await outboxEvents(t)).filter(
      (e) => e.detailType === 'ContactUpdated' && (e.detail as { contactId: string }).contactId === other.id,
    );
    const keys = triggersOf(parseEvent('ContactUpdated', changed?.detail));
    assert.deepEqual(
      keys.map((k) => k.triggerKey),
      ['field:fields.plan'],
    );
    assert.deepEqual(await enrollFromEvent(t.deps, engine, keys[0] as never), []);
  });

  it('refuses a value the field’s definition does not accept, and properties a workflow may not set', async () => {
    await createFieldDefinition(t.deps, { name: 'seats', label: 'Seats', type: 'number' } as never);
    const refused = await workflows
      .createWorkflow(t.deps, {
        name: 'Bad values',
        trigger: { type: 'tagAdded', tag: 'x' },
        steps: [
          { id: 'seats', type: 'updateField', field: 'seats', value: 'many' },
          { id: 'owner', type: 'updateField', field: 'owner', value: 'someone' },
        ],
      } as never)
      .catch((err: unknown) => err);
    assert.ok(refused instanceof DomainError);
    assert.deepEqual(pathsOf(refused), ['steps.1.field']);
    const typed = await workflows
      .createWorkflow(t.deps, {
        name: 'Bad seats',
        trigger: { type: 'tagAdded', tag: 'x' },
        steps: [{ id: 'seats', type: 'updateField', field: 'seats', value: 'many' }],
      } as never)
      .catch((err: unknown) => err);
    assert.ok(typed instanceof DomainError);
    assert.deepEqual(pathsOf(typed), ['steps.0.value']);
  });
});
