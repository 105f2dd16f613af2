/**
 * The CRM steps (createDeal, moveDeal, notifyOwner, webhook) in the language and the compiler: what
 * the language refuses, the Task each compiles to (a wait after one entered by its Task), and the
 * webhook's own retries and catch into `<step>/failed`, which goes on with the next step. The signed
 * body is the webhooks' (a receiver verifies it as a subscription's delivery).
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { compileWorkflow, taskStates, WEBHOOK_ERROR } from '#automation/compiler.js';
import { stepSchema, workflowDefinitionSchema } from '#automation/language.js';
import type { Enrollment } from '#automation/model.js';
import { WebhookFailed, webhookStep, workflowWebhookBody } from '#automation/webhook-step.js';
import type { Contact } from '#contacts/model.js';
import { verifySignature } from '#webhooks/delivery.js';

const require = createRequire(import.meta.url);
const aslValidator = require('asl-validator') as (d: unknown) => { isValid: boolean; errors: unknown[] };
const OPTIONS = {
  workflowId: '01JF0000000000000000000WF0',
  version: 3,
  stepFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:tendril-workflow-step',
};
const P = '01JF00000000000000000000P1';
const H = '01JF00000000000000000000H1';
type State = {
  Type: string;
  Next?: string;
  End?: boolean;
  Parameters?: Record<string, unknown> & { Payload?: Record<string, unknown> };
  TimeoutSeconds?: number;
  Retry?: Array<{ ErrorEquals: string[]; MaxAttempts?: number }>;
  Catch?: Array<{ ErrorEquals: string[]; Next: string; ResultPath?: string | null }>;
};

const definition = (steps: unknown[]) =>
  workflowDefinitionSchema.parse({ name: 'CRM', trigger: { type: 'tagAdded', tag: 'trial' }, steps });
const compiled = (steps: unknown[]) => {
  const asl = compileWorkflow(definition(steps), OPTIONS);
  const verdict = aslValidator(structuredClone(asl));
  assert.equal(verdict.isValid, true, JSON.stringify(verdict.errors));
  return asl as unknown as { StartAt: string; States: Record<string, State> };
};
const problems = (step: unknown) => {
  const parsed = stepSchema.safeParse(step);
  return parsed.success ? [] : parsed.error.issues.map((i) => i.path.join('.'));
};

describe('the CRM steps in the language', () => {
  it('accept a deal, a move, an owner’s email and a webhook', () => {
    assert.deepEqual(problems({ id: 'd', type: 'createDeal', pipelineId: P, stage: 'Trial' }), []);
    assert.deepEqual(
      problems({ id: 'd', type: 'createDeal', pipelineId: P, stage: 'Trial', amount: 99.5, currency: 'EUR' }),
      [],
    );
    assert.deepEqual(problems({ id: 'm', type: 'moveDeal', pipelineId: P, stage: 'Won' }), []);
    assert.deepEqual(problems({ id: 'n', type: 'notifyOwner', subject: 'Hi', message: 'Call' }), []);
    assert.deepEqual(problems({ id: 'w', type: 'webhook', webhookId: H }), []);
  });

  it('refuse what they cannot run', () => {
    assert.deepEqual(problems({ id: 'd', type: 'createDeal', pipelineId: 'sales', stage: 'Trial' }), [
      'pipelineId',
    ]);
    assert.deepEqual(
      problems({ id: 'd', type: 'createDeal', pipelineId: P, stage: 'Trial', amount: -1, currency: 'eur' }),
      ['amount', 'currency'],
    );
    assert.deepEqual(problems({ id: 'd', type: 'createDeal', pipelineId: P, stage: 'T', amount: 1.005 }), [
      'amount',
    ]);
    assert.deepEqual(problems({ id: 'm', type: 'moveDeal', pipelineId: P, stage: '  ' }), ['stage']);
    assert.deepEqual(problems({ id: 'm', type: 'moveDeal', pipelineId: P }), ['stage']);
    assert.deepEqual(problems({ id: 'n', type: 'notifyOwner', subject: '', message: 'x' }), ['subject']);
    assert.deepEqual(problems({ id: 'w', type: 'webhook', webhookId: H, url: 'https://x.example' }), ['']);
    assert.deepEqual(problems({ id: 'w', type: 'webhook', webhookId: 'https://x.example' }), ['webhookId']);
  });
});

describe('the CRM steps compiled', () => {
  it('share one Task when consecutive, carrying their settings, and wait in it for the wait after them', () => {
    const asl = compiled([
      {
        id: 'deal',
        type: 'createDeal',
        pipelineId: P,
        stage: 'Trial',
        name: '{{ contact.company }}',
        amount: 10,
      },
      { id: 'tell', type: 'notifyOwner', subject: 'New trial', message: 'Call them' },
      { id: 'pause', type: 'wait', duration: 'P1D' },
      { id: 'move', type: 'moveDeal', pipelineId: P, stage: 'Won' },
      { id: 'after', type: 'wait', duration: 'PT1H' },
    ]);
    assert.deepEqual(taskStates(asl as never, 'createDeal'), ['deal']);
    assert.deepEqual(asl.States.deal?.Parameters?.Payload, {
      action: 'createDeal',
      stepId: 'deal',
      'enrollmentId.$': '$.enrollmentId',
      'contactId.$': '$.contactId',
      'workflowId.$': '$.workflowId',
      'version.$': '$.version',
      pipelineId: P,
      stage: 'Trial',
      name: '{{ contact.company }}',
      amount: 10,
      fused: [{ action: 'notifyOwner', stepId: 'tell', subject: 'New trial', message: 'Call them' }],
      thenEnter: 'pause',
      stopAs: 'error',
      'taskToken.$': '$$.Task.Token',
    });
    // The wait is the Task's own timeout: nobody answers its token, the timeout goes on.
    assert.equal(asl.States.deal?.TimeoutSeconds, 86_400);
    assert.equal(asl.States.deal?.Next, 'move');
    assert.deepEqual(asl.States.deal?.Catch?.[0], {
      ErrorEquals: ['States.Timeout'],
      ResultPath: null,
      Next: 'move',
    });
    assert.equal(asl.States.tell, undefined, 'no Task of its own');
    assert.equal(asl.States.pause, undefined, 'no Wait of its own');
    assert.equal(asl.States.move?.Parameters?.Payload?.thenEnter, 'after');
    assert.equal(asl.States.move?.Parameters?.Payload?.stage, 'Won');
    assert.equal(asl.States.move?.TimeoutSeconds, 3600);
    assert.equal(asl.States.move?.Catch?.[0]?.Next, 'Done');
  });

  it('retry a webhook that fails, then record the failure and go on with the next step', () => {
    const asl = compiled([
      {
        id: 'check',
        type: 'if',
        condition: { hasTag: 'vip' },
        then: [{ id: 'hook', type: 'webhook', webhookId: H }],
      },
      { id: 'bye', type: 'addTag', tag: 'done' },
    ]);
    const hook = asl.States.hook as State;
    assert.equal(hook.Parameters?.action, 'webhook');
    assert.equal(hook.Parameters?.webhookId, H);
    assert.equal(hook.Parameters?.['attempt.$'], '$$.State.RetryCount');
    assert.equal(hook.Next, 'bye');
    assert.deepEqual(hook.Retry?.[0]?.ErrorEquals, [WEBHOOK_ERROR]);
    assert.ok((hook.Retry?.[0]?.MaxAttempts ?? 0) >= 3);
    assert.deepEqual(
      hook.Catch?.map((c) => [c.ErrorEquals[0], c.Next]),
      [
        [WEBHOOK_ERROR, 'hook/failed'],
        ['Tendril.Stop', 'End'],
        ['States.ALL', 'Failed'],
      ],
    );
    const failed = asl.States['hook/failed'] as State;
    assert.equal(failed.Parameters?.action, 'webhookFailed');
    assert.equal(failed.Parameters?.stepId, 'hook/failed');
    assert.equal(failed.Parameters?.['error.$'], '$.error');
    assert.equal(failed.Next, 'bye', 'the enrollment goes on');
    // The failure record's own failure is the enrollment's: no webhook retry or catch on it.
    assert.ok(!JSON.stringify(failed.Retry).includes(WEBHOOK_ERROR));
    assert.deepEqual(Object.keys(asl.States).slice(0, 5), [
      'check',
      'check/branch',
      'hook',
      'hook/failed',
      'bye',
    ]);
  });

  it('end the workflow after a webhook that is the last step, failed or not', () => {
    const asl = compiled([{ id: 'hook', type: 'webhook', webhookId: H }]);
    assert.equal(asl.States.hook?.Next, 'Done');
    assert.equal(asl.States['hook/failed']?.Next, 'Done');
  });
});

describe('the webhook step’s POST', () => {
  const contact = {
    id: '01JF00000000000000000000C1',
    email: 'kim@example.com',
    firstName: 'Kim',
    tags: ['trial'],
    fields: { plan: 'pro' },
  } as unknown as Contact;
  const enrollment = {
    id: '01JF00000000000000000000E1',
    enrolledAt: '2026-12-01T10:00:00.000Z',
  } as Enrollment;
  const input = { stepId: 'hook', workflowId: OPTIONS.workflowId, version: 3, webhookId: H, attempt: 2 };
  const now = new Date('2026-12-02T10:00:00.000Z');
  const subscription = {
    webhook: { id: H, url: 'https://hooks.example.com/in', enabled: true },
    secret: 'whsec_test',
  } as never;

  it('is the contact and the enrollment, signed as a subscription’s delivery', async () => {
    const posts: Array<{ url: string; body: string; headers: Record<string, string> }> = [];
    const ports = {
      getWebhook: async () => subscription,
      poster: {
        post: async (url: string, body: string, headers: Record<string, string>) => {
          posts.push({ url, body, headers });
          return { status: 204, latencyMs: 3 };
        },
      },
    };
    assert.deepEqual(await webhookStep(ports, input, enrollment, contact, now), { outcome: 'delivered' });
    const [post] = posts;
    assert.ok(post);
    assert.equal(post.url, 'https://hooks.example.com/in');
    assert.equal(post.body, workflowWebhookBody(input, enrollment, contact, now));
    const body = JSON.parse(post.body);
    assert.equal(body.id, `${enrollment.id}.hook`);
    assert.equal(body.data.contact.email, 'kim@example.com');
    assert.deepEqual(body.data.contact.fields, { plan: 'pro' });
    assert.equal(body.data.enrollment.id, enrollment.id);
    assert.equal(post.headers['tendril-delivery-attempt'], '3');
    assert.equal(post.headers['tendril-event-id'], `${enrollment.id}.hook`);
    const sig = String(post.headers['tendril-signature']);
    assert.ok(verifySignature('whsec_test', sig, post.body, now));
    assert.ok(!verifySignature('whsec_other', sig, post.body, now));
  });

  it('fails with the error the state machine retries when it is not answered 2xx', async () => {
    const answer = (
      result: { status: number; latencyMs: number } | { error: string; latencyMs: number },
    ) => ({
      getWebhook: async () => subscription,
      poster: { post: async () => result },
    });
    for (const result of [
      { status: 500, latencyMs: 1 },
      { status: 301, latencyMs: 1 },
      { error: 'timeout', latencyMs: 1 },
    ]) {
      const err = await webhookStep(answer(result), input, enrollment, contact, now).catch((e: unknown) => e);
      assert.ok(err instanceof WebhookFailed, JSON.stringify(result));
      assert.equal(err.name, WEBHOOK_ERROR);
    }
  });

  it('skips a deleted or disabled subscription without a POST', async () => {
    const post = async () => assert.fail('no POST');
    assert.deepEqual(
      await webhookStep(
        { getWebhook: async () => undefined, poster: { post } },
        input,
        enrollment,
        contact,
        now,
      ),
      { outcome: 'skipped: the webhook was deleted' },
    );
    const off = { webhook: { id: H, url: 'https://x.example', enabled: false }, secret: 's' } as never;
    assert.deepEqual(
      await webhookStep({ getWebhook: async () => off, poster: { post } }, input, enrollment, contact, now),
      { outcome: 'skipped: the webhook is disabled' },
    );
  });
});
