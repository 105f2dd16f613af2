/**
 * The CRM steps on DynamoDB Local, through the step runner as the workflow-step Lambda runs them:
 * a deal made once per enrollment step however often its Task is retried, linked to the contact and
 * announced as a user's deal is; the contact's open deal moved (DealStageChanged once), or the step
 * skipped and recorded when there is none; the owner's email sent once, or skipped without an owner;
 * a webhook POSTed signed, and after its retries its failure counted and recorded while the
 * enrollment goes on. And a dry run's words for each, with nothing done.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { User } from '#access/model.js';
import type { UserDirectory } from '#access/users.js';
import { WEBHOOK_ERROR } from '#automation/compiler.js';
import { workflowDealId } from '#automation/deal-steps.js';
import { dryRunWorkflow } from '#automation/dry-run.js';
import type { StepPorts } from '#automation/step-ports.js';
import { runStep, runStepTask, type StepInput } from '#automation/steps.js';
import * as workflows from '#automation/workflows.js';
import { createContact } from '#contacts/rules.js';
import { DomainError, type ErrorDetail } from '#platform/errors.js';
import * as sales from '#sales/pipelines.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';
import { RecordingMailer } from '#test/support/fakes.js';
import { RecordingEngine, stepContext, workflowKit } from '#test/support/workflows.js';
import { verifySignature } from '#webhooks/delivery.js';
import { createWebhook } from '#webhooks/rules.js';

let t: TestTable;
const engine = new RecordingEngine();
let kit: ReturnType<typeof workflowKit>;
const mailer = new RecordingMailer();
const owner: User = { id: 'user-ana', name: 'Ana Owner', email: 'ana@crm.example.com' };
const users: UserDirectory = {
  list: async () => [owner],
  get: async (id) => (id === owner.id ? owner : undefined),
  add: async () => assert.fail('not here'),
};
const posts: Array<{ url: string; body: string; headers: Record<string, string> }> = [];
let answer = 200;
const counted: string[] = [];
const ports = (): StepPorts => ({
  contactDeals: (id) => t.deps.store.listDealsOfContacts([id], 50),
  users,
  access: t.deps,
  getWebhook: (id) => t.deps.store.getWebhook(id),
  poster: {
    post: async (url, body, headers) => {
      posts.push({ url, body, headers });
      return { status: answer, latencyMs: 2 };
    },
  },
  count: (metric) => counted.push(metric),
});
const ctx = () => ({ ...stepContext(mailer), ports: async () => ports() });
const stages = ['Trial', 'Negotiation', 'Won', 'Lost'].map((name, i) => ({
  name,
  probability: [0.2, 0.6, 1, 0][i] ?? 0,
}));
let pipelineId = '';
let webhook: { id: string; secret: string };
let workflowTag = '';

before(async () => {
  t = await createTestTable();
  kit = workflowKit(t, engine);
  pipelineId = (await sales.createPipeline(t.deps, { name: 'Sales', stages })).id;
  const made = await createWebhook(
    t.deps,
    { allowPrivate: false },
    { url: 'https://hooks.example.com/tendril', eventTypes: ['ContactCreated'] },
  );
  webhook = { id: made.webhook.id, secret: made.secret };
  workflowTag = 'trial';
  await kit.publishedWorkflow({
    name: 'Trial to deal',
    trigger: { type: 'tagAdded', tag: workflowTag },
    steps: [
      {
        id: 'open-deal',
        type: 'createDeal',
        pipelineId,
        stage: 'Trial',
        name: '{{ contact.company }} trial',
        amount: 1200,
        currency: 'EUR',
      },
      {
        id: 'tell-owner',
        type: 'notifyOwner',
        subject: '{{ contact.firstName }} started a trial',
        message: 'Call {{ contact.email }}',
      },
      { id: 'pause', type: 'wait', duration: 'P1D' },
      { id: 'to-billing', type: 'webhook', webhookId: webhook.id },
      { id: 'win', type: 'moveDeal', pipelineId, stage: 'Won' },
      { id: 'after-win', type: 'wait', duration: 'PT1H' },
    ],
  });
});

/** Enrolled as the kit does, its steps run as current versions do (a stop fails the Task). */
async function enrolled(email: string, extra: { owner?: string; company?: string } = {}) {
  const e = await kit.enrolled(workflowTag, email, {}, extra);
  const step = (stepId: string, action: StepInput['action'], args: Partial<StepInput> = {}) =>
    e.step(stepId, action, { stopAs: 'error', ...args });
  const current = async () => (await t.deps.store.getEnrollment(e.contact.id, e.enrollment.id))?.currentStep;
  return { ...e, step, current };
}
const events = async (type: string, dealId: string) =>
  (await outboxEvents(t)).filter((e) => e.detailType === type && e.detail.dealId === dealId);

describe('createDeal and moveDeal steps', () => {
  it('make one deal per enrollment step, linked to the contact, whatever the retries', async () => {
    const { contact, enrollment, step } = await enrolled('buyer@acme.example', {
      company: 'Acme',
      owner: owner.id,
    });
    const create = step('open-deal', 'createDeal', {
      pipelineId,
      stage: 'Trial',
      name: '{{ contact.company }} trial',
      amount: 1200,
      currency: 'EUR',
    });
    assert.deepEqual(await runStepTask(t.deps, ctx(), create), {
      stop: false,
      outcome: 'created',
      dealId: workflowDealId(enrollment.id, 'open-deal'),
    });
    // The Task retried (the Lambda timed out after the commit): the same deal, not a second.
    await runStepTask(t.deps, ctx(), create);
    const deal = await t.deps.store.getDeal(workflowDealId(enrollment.id, 'open-deal'));
    assert.ok(deal);
    assert.equal(deal.title, 'Acme trial');
    assert.equal(deal.contactId, contact.id);
    assert.equal(deal.owner, owner.id);
    assert.equal(deal.amount, 1200);
    assert.equal(deal.currency, 'EUR');
    assert.equal(deal.stage, 'Trial');
    assert.equal((await events('DealCreated', deal.id)).length, 1);
    const board = await t.deps.store.listDealsOnBoard(pipelineId);
    assert.equal(board.filter((d) => d.contactId === contact.id).length, 1);
  });

  it('move the deal this enrollment made (not yet indexed) as a user’s move would, once', async () => {
    const { enrollment, step, current } = await enrolled('mover@acme.example', { company: 'Mover' });
    await runStepTask(t.deps, ctx(), step('open-deal', 'createDeal', { pipelineId, stage: 'Trial' }));
    const dealId = workflowDealId(enrollment.id, 'open-deal');
    const move = step('win', 'moveDeal', { pipelineId, stage: 'Won', thenEnter: 'after-win' });
    // The first attempt moved the deal and died before entering the wait: its retry moves nothing.
    await runStep(t.deps, ctx(), { ...move, thenEnter: undefined } as StepInput);
    assert.deepEqual(await runStepTask(t.deps, ctx(), move), { stop: false, outcome: 'moved', dealId });
    assert.equal(await current(), 'after-win');
    const deal = await t.deps.store.getDeal(dealId);
    assert.equal(deal?.stage, 'Won');
    assert.equal(deal?.outcome, 'won');
    const moved = await events('DealStageChanged', dealId);
    assert.equal(moved.length, 1, 'one stage change');
    assert.equal(moved[0]?.detail.fromStage, 'Trial');
    assert.equal(moved[0]?.detail.toStage, 'Won');
  });

  it('move the contact’s own open deal found through its index, the newest of the pipeline', async () => {
    const { contact, step } = await enrolled('owned@acme.example');
    const closed = await sales.createDeal(t.deps, {
      title: 'Old',
      amount: 1,
      currency: 'EUR',
      pipelineId,
      stage: 'Lost',
      contactId: contact.id,
      lostReason: 'price',
    });
    const open = await sales.createDeal(t.deps, {
      title: 'Renewal',
      amount: 50,
      currency: 'EUR',
      pipelineId,
      stage: 'Trial',
      contactId: contact.id,
    });
    // The companies consumer indexes a deal under its contact from DealCreated.
    for (const d of [closed, open])
      await t.deps.store.commit([{ kind: 'putContactDeal', contactId: contact.id, dealId: d.id }]);
    const result = await runStepTask(
      t.deps,
      ctx(),
      step('win', 'moveDeal', { pipelineId, stage: 'Negotiation' }),
    );
    assert.deepEqual(result, { stop: false, outcome: 'moved', dealId: open.id });
    assert.equal((await t.deps.store.getDeal(open.id))?.stage, 'Negotiation');
    assert.equal((await t.deps.store.getDeal(closed.id))?.stage, 'Lost', 'a closed deal is not moved');
  });

  it('skip a contact without an open deal: recorded, not a failure, and the same on a retry', async () => {
    const { enrollment, step, current } = await enrolled('nodeal@acme.example');
    const move = step('win', 'moveDeal', { pipelineId, stage: 'Won', thenEnter: 'after-win' });
    assert.deepEqual(await runStepTask(t.deps, ctx(), move), {
      stop: false,
      outcome: 'skipped: no open deal',
    });
    assert.equal(await current(), 'after-win');
    // A retry that finds the skip recorded (its wait not yet entered) does not loop on the step's claim.
    const again = await enrolled('nodeal2@acme.example');
    const first = await runStepTask(
      t.deps,
      ctx(),
      again.step('win', 'moveDeal', { pipelineId, stage: 'Won' }),
    );
    assert.equal(first.outcome, 'skipped: no open deal');
    assert.equal(await again.current(), 'win/skipped');
    const retried = await runStepTask(
      t.deps,
      ctx(),
      again.step('win', 'moveDeal', { pipelineId, stage: 'Won', thenEnter: 'after-win' }),
    );
    assert.deepEqual(retried, { stop: false, outcome: 'skipped' });
    assert.equal(await again.current(), 'after-win');
    const stats = await t.deps.store.getWorkflowStats(enrollment.workflowId, enrollment.version);
    assert.ok((stats['entered:win/skipped'] ?? 0) >= 2, JSON.stringify(stats));
    assert.equal((await t.deps.store.getEnrollment(enrollment.contactId, enrollment.id))?.status, 'active');
  });

  it('refuse at save a webhook subscription that does not exist', async () => {
    const err = await kit
      .publishedWorkflow({
        name: 'Bad webhook',
        trigger: { type: 'tagAdded', tag: 'bad-hook' },
        steps: [
          { id: 'ok', type: 'webhook', webhookId: webhook.id },
          { id: 'gone', type: 'webhook', webhookId: '01JF00000000000000000000H9' },
        ],
      })
      .catch((e: unknown) => e);
    assert.ok(err instanceof DomainError);
    assert.deepEqual(
      (err.details as ErrorDetail[]).map((d) => [d.path, d.code]),
      [['steps.1.webhookId', 'not_found']],
    );
  });

  it('refuse at publish a pipeline or stage that does not exist', async () => {
    const err = await kit
      .publishedWorkflow({
        name: 'Bad deal',
        trigger: { type: 'tagAdded', tag: 'bad' },
        steps: [
          { id: 'a', type: 'createDeal', pipelineId, stage: 'Signed' },
          { id: 'b', type: 'moveDeal', pipelineId: '01JF00000000000000000000P9', stage: 'Won' },
        ],
      })
      .catch((e: unknown) => e);
    assert.ok(err instanceof DomainError);
    assert.deepEqual(
      (err.details as ErrorDetail[]).map((d) => d.path),
      ['steps.0.stage', 'steps.1.pipelineId'],
    );
  });
});

describe('the notifyOwner step', () => {
  it('emails the contact’s owner once, with the merge fields filled in', async () => {
    const { contact, step, current } = await enrolled('lead@acme.example', { owner: owner.id });
    const before = mailer.sent.length;
    const notify = step('tell-owner', 'notifyOwner', {
      subject: '{{ contact.firstName }} started a trial',
      message: 'Call {{ contact.email }}',
      thenEnter: 'pause',
    });
    // The first attempt sent and died before entering the wait: its retry sends nothing.
    await runStep(t.deps, ctx(), { ...notify, thenEnter: undefined } as StepInput);
    assert.deepEqual(await runStepTask(t.deps, ctx(), notify), { stop: false, outcome: 'sent' });
    const sent = mailer.sent.slice(before);
    assert.equal(sent.length, 1, 'one email whatever the retries');
    assert.equal(sent[0]?.to, owner.email);
    assert.equal(sent[0]?.subject, 'Kim started a trial');
    assert.match(String(sent[0]?.text), /Call lead@acme\.example/);
    assert.match(String(sent[0]?.text), new RegExp(`/#/contacts/${contact.id}`));
    assert.equal(await current(), 'pause');
  });

  it('skips a contact without an owner, and one whose owner is not a user', async () => {
    const before = mailer.sent.length;
    const none = await enrolled('orphan@acme.example');
    const notify = { subject: 'Hi', message: 'x' };
    assert.deepEqual(await runStepTask(t.deps, ctx(), none.step('tell-owner', 'notifyOwner', notify)), {
      stop: false,
      outcome: 'skipped: no owner',
    });
    assert.equal(await none.current(), 'tell-owner/skipped');
    const stranger = await enrolled('stranger@acme.example', { owner: 'someone-else' });
    const result = await runStepTask(t.deps, ctx(), stranger.step('tell-owner', 'notifyOwner', notify));
    assert.equal(result.outcome, 'skipped: the owner is not a user');
    assert.equal(mailer.sent.length, before);
  });
});

describe('the webhook step', () => {
  it('POSTs the contact and enrollment to the subscription, signed with its secret', async () => {
    answer = 200;
    const { contact, enrollment, step, current } = await enrolled('hooked@acme.example');
    const before = posts.length;
    const result = await runStepTask(
      t.deps,
      ctx(),
      step('to-billing', 'webhook', { webhookId: webhook.id, attempt: 0 }),
    );
    assert.deepEqual(result, { stop: false, outcome: 'delivered' });
    const post = posts[before];
    assert.ok(post);
    assert.equal(post.url, 'https://hooks.example.com/tendril');
    const body = JSON.parse(post.body);
    assert.equal(body.data.contact.id, contact.id);
    assert.equal(body.data.enrollment.id, enrollment.id);
    assert.ok(
      verifySignature(webhook.secret, String(post.headers['tendril-signature']), post.body, new Date()),
    );
    assert.equal(await current(), 'to-billing');
  });

  it('fails for the state machine to retry, then counts and records the failure; the enrollment goes on', async () => {
    answer = 503;
    const { enrollment, step, current } = await enrolled('down@acme.example');
    const hook = step('to-billing', 'webhook', { webhookId: webhook.id });
    for (let attempt = 0; attempt < 3; attempt++) {
      const err = await runStepTask(t.deps, ctx(), { ...hook, attempt }).catch((e: unknown) => e);
      assert.equal((err as Error).name, WEBHOOK_ERROR);
    }
    assert.equal(counted.length, 0, 'retries are not failures yet');
    const failed = step('to-billing/failed', 'webhookFailed', {
      webhookId: webhook.id,
      error: { Error: WEBHOOK_ERROR, Cause: 'answered 503' },
    });
    assert.deepEqual(await runStepTask(t.deps, ctx(), failed), { stop: false, outcome: 'failed' });
    assert.deepEqual(await runStepTask(t.deps, ctx(), failed), { stop: false, outcome: 'failed' });
    assert.deepEqual(counted, ['WebhookFailed'], 'counted once, whatever the retries');
    assert.equal(await current(), 'to-billing/failed');
    const still = await t.deps.store.getEnrollment(enrollment.contactId, enrollment.id);
    assert.equal(still?.status, 'active');
    // The next step runs as usual.
    answer = 200;
    const next = await runStepTask(t.deps, ctx(), step('win', 'moveDeal', { pipelineId, stage: 'Won' }));
    assert.equal(next.outcome, 'skipped: no open deal');
  });
});

describe('a dry run of the CRM steps', () => {
  it('says what each would do for the contact, and does none of it', async () => {
    const wf = await workflows.createWorkflow(t.deps, {
      name: 'Dry CRM',
      trigger: { type: 'tagAdded', tag: 'dry-crm' },
      steps: [
        { id: 'move-first', type: 'moveDeal', pipelineId, stage: 'Negotiation' },
        {
          id: 'open-deal',
          type: 'createDeal',
          pipelineId,
          stage: 'Trial',
          name: '{{ contact.company }} trial',
          amount: 5,
        },
        { id: 'move', type: 'moveDeal', pipelineId, stage: 'Won' },
        { id: 'tell', type: 'notifyOwner', subject: 'About {{ contact.firstName }}', message: 'x' },
        { id: 'hook', type: 'webhook', webhookId: webhook.id },
      ],
    } as never);
    const c = await createContact(t.deps, {
      email: 'dry@acme.example',
      firstName: 'Dee',
      company: 'Dryco',
      owner: owner.id,
    });
    const before = (await t.items()).length;
    const sentBefore = mailer.sent.length;
    const postsBefore = posts.length;
    const run = await dryRunWorkflow(t.deps, wf.id, { contactId: c.id });
    assert.deepEqual(
      run.steps.map((s) => [s.stepId, s.outcome]),
      [
        ['move-first', 'would move the contact’s open deal in Sales to Negotiation (none: skipped)'],
        ['open-deal', 'would create the deal “Dryco trial” (5 USD) in Sales at Trial'],
        ['move', 'would move the deal step open-deal made to Won (Sales)'],
        ['tell', `would email the contact’s owner (${owner.id}) “About Dee”`],
        ['hook', `would POST the contact and the enrollment, signed, to webhook ${webhook.id}`],
      ],
    );
    assert.equal(run.ending, 'completed');
    assert.equal((await t.items()).length, before, 'nothing written');
    assert.equal(mailer.sent.length, sentBefore);
    assert.equal(posts.length, postsBefore);
  });
});
