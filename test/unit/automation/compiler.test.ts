import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { compileWorkflow, taskStates } from '#automation/compiler.js';
import { durationSeconds, workflowDefinitionSchema } from '#automation/language.js';

const require = createRequire(import.meta.url);
const aslValidator = require('asl-validator') as (d: unknown) => { isValid: boolean; errors: unknown[] };
const EXAMPLES = 'workflows/examples';
const OPTIONS = {
  workflowId: '01JF0000000000000000000WF0',
  version: 1,
  stepFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:tendril-workflow-step',
};

type Asl = ReturnType<typeof compileWorkflow>;
/** A Task's payload: its Parameters, or their Payload for a callback Task. */
const payload = (asl: Asl, name: string) => {
  const parameters = (asl.States[name] as { Parameters: Record<string, unknown> }).Parameters;
  return (parameters.Payload ?? parameters) as Record<string, unknown>;
};
/** The parameters of a step, in the Task of its own or among those fused into another Task. */
const stepParameters = (asl: Asl, id: string) =>
  taskStates(asl)
    .flatMap((name) => {
      const p = payload(asl, name);
      return [p, ...((p.fused as Array<Record<string, unknown>> | undefined) ?? [])];
    })
    .find((p) => p.stepId === id);

const examples = readdirSync(EXAMPLES).filter((f) => f.endsWith('.json') && !f.endsWith('.golden.json'));

describe('workflow compiler', () => {
  it('has examples to compile', () => assert.ok(examples.length >= 2));

  for (const file of examples) {
    it(`compiles ${file} to valid ASL matching its golden file`, () => {
      const def = workflowDefinitionSchema.parse(JSON.parse(readFileSync(join(EXAMPLES, file), 'utf8')));
      const asl = compileWorkflow(def, OPTIONS);
      const verdict = aslValidator(structuredClone(asl));
      assert.equal(verdict.isValid, true, JSON.stringify(verdict.errors));
      const golden = join(EXAMPLES, file.replace(/\.json$/, '.asl.golden.json'));
      const text = `${JSON.stringify(asl, null, 2)}\n`;
      if (process.env.UPDATE_GOLDEN === '1') writeFileSync(golden, text);
      assert.equal(
        text,
        readFileSync(golden, 'utf8'),
        `${golden} is out of date (UPDATE_GOLDEN=1 npm run test:unit)`,
      );
      // Deterministic: the same input compiles to the same document.
      assert.deepEqual(compileWorkflow(def, OPTIONS), asl);
    });
  }

  it('names states after step ids, carries ids only, and ends a stopped enrollment by one Catch', () => {
    const def = workflowDefinitionSchema.parse(
      JSON.parse(readFileSync(join(EXAMPLES, 'welcome-series.json'), 'utf8')),
    );
    const asl = compileWorkflow(def, OPTIONS);
    assert.equal(asl.StartAt, 'welcome');
    assert.deepEqual(taskStates(asl, 'sendEmail'), ['welcome', 'guide', 'case-study', 'offer', 'last-call']);
    for (const name of taskStates(asl)) {
      const state = asl.States[name] as { Parameters: Record<string, unknown>; Catch?: unknown[] };
      const parameters = payload(asl, name);
      assert.equal(parameters['enrollmentId.$'], '$.enrollmentId');
      assert.ok(JSON.stringify(state.Parameters).length < 600, 'payloads carry ids, not records');
      if (name === 'Failed') continue;
      // Every step's Task ends a stopped enrollment (goal met, unsubscribed…) in End; anything else
      // that escapes its retries goes to the failure handler.
      assert.equal(parameters.stopAs, 'error');
      assert.deepEqual(state.Catch?.slice(-2), [
        { ErrorEquals: ['Tendril.Stop'], ResultPath: '$.stopped', Next: 'End' },
        { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Failed' },
      ]);
    }
    assert.deepEqual(
      Object.values(asl.States).filter((s) => s.Type === 'Choice'),
      [],
      'no Choice gate after each step',
    );
    // A fixed wait after an email is the email's own callback Task: nobody answers its token, its
    // timeout is the wait and goes on to the next step; the Lambda enters the wait when it has sent.
    const welcome = asl.States.welcome as {
      Resource: string;
      TimeoutSeconds: number;
      Next: string;
      Catch: unknown[];
    };
    assert.equal(welcome.Resource, 'arn:aws:states:::lambda:invoke.waitForTaskToken');
    assert.equal(welcome.TimeoutSeconds, 2 * 86400);
    assert.equal(welcome.Next, 'guide');
    assert.deepEqual(welcome.Catch[0], { ErrorEquals: ['States.Timeout'], ResultPath: null, Next: 'guide' });
    assert.equal(payload(asl, 'welcome').thenEnter, 'wait-1');
    assert.equal(payload(asl, 'welcome')['taskToken.$'], '$$.Task.Token');
    assert.equal('wait-1' in asl.States, false);
    // A chain with a send-time window: the email's Task computes the whole chain, one Wait waits it.
    assert.deepEqual(payload(asl, 'guide').waits, [
      { seconds: 3 * 86400 },
      { time: '09:00', timezone: 'contact' },
    ]);
    assert.equal(payload(asl, 'guide').thenEnter, 'wait-2');
    assert.equal((asl.States.guide as { Next: string }).Next, 'wait-2');
    assert.deepEqual(asl.States['wait-2'], {
      Type: 'Wait',
      SecondsPath: '$.step.seconds',
      Next: 'case-study',
    });
    assert.equal('morning' in asl.States, false);
    assert.equal('morning/wait' in asl.States, false);
    // The email and the tag the workflow ends with are one Task, which completes the enrollment
    // and ends the execution: no completion Task after it (and none at all when no path needs one).
    const lastCall = asl.States['last-call'] as { End?: boolean; Next?: string };
    assert.equal(lastCall.End, true);
    assert.equal(lastCall.Next, undefined);
    assert.deepEqual(payload(asl, 'last-call').fused, [
      { action: 'addTag', stepId: 'nurtured', tag: 'nurtured' },
    ]);
    assert.equal(payload(asl, 'last-call').thenComplete, true);
    assert.equal('nurtured' in asl.States, false);
    assert.equal('Done' in asl.States, false);
    // Six states entered per enrollment: 5 Tasks and the chain's Wait.
    assert.deepEqual(Object.keys(asl.States), [
      'welcome',
      'guide',
      'wait-2',
      'case-study',
      'offer',
      'last-call',
      'End',
      'Failed',
      'Fail',
    ]);
  });

  it('adds up fixed waits after an action into its timeout, and fuses actions up to a step that is not one', () => {
    const def = workflowDefinitionSchema.parse({
      name: 'Fused',
      trigger: { type: 'tagAdded', tag: 'x' },
      steps: [
        { id: 'tag', type: 'addTag', tag: 'a' },
        { id: 'field', type: 'updateField', field: 'lifecycleStage', value: 'lead' },
        { id: 'first', type: 'wait', duration: 'P1D' },
        { id: 'second', type: 'wait', duration: 'PT1H' },
        { id: 'check', type: 'if', condition: { hasTag: 'vip' }, then: [], else: [] },
        { id: 'untag', type: 'removeTag', tag: 'a' },
      ],
    });
    const asl = compileWorkflow(def, OPTIONS);
    assert.equal(aslValidator(structuredClone(asl)).isValid, true);
    assert.equal((asl.States.tag as { TimeoutSeconds: number }).TimeoutSeconds, 86400 + 3600);
    assert.equal(payload(asl, 'tag').thenEnter, 'first');
    assert.equal('waits' in payload(asl, 'tag'), false, 'fixed waits need no computing');
    assert.deepEqual(payload(asl, 'tag').fused, [
      { action: 'updateField', stepId: 'field', field: 'lifecycleStage', value: 'lead' },
    ]);
    assert.deepEqual(Object.keys(asl.States).slice(0, 2), ['tag', 'check']);
    assert.equal((asl.States.tag as { Next: string }).Next, 'check');
    // The if is a Task of its own (its result is read); the step after it starts a Task again.
    assert.equal(payload(asl, 'check').action, 'evaluate');
    assert.equal(payload(asl, 'untag').thenComplete, true);
    assert.equal('fused' in payload(asl, 'untag'), false);
  });

  it('keeps the completion Task for a path that ends in a wait (no Task of its own to complete it)', () => {
    const def = workflowDefinitionSchema.parse({
      name: 'Ends waiting',
      trigger: { type: 'tagAdded', tag: 'x' },
      steps: [
        {
          id: 'check',
          type: 'if',
          condition: { hasTag: 'vip' },
          then: [{ id: 'hello', type: 'sendEmail', templateId: '01JF0000000000000000000000' }],
          else: [{ id: 'pause', type: 'wait', duration: 'P1D' }],
        },
      ],
    });
    const asl = compileWorkflow(def, OPTIONS);
    assert.equal((asl.States.hello as { End?: boolean }).End, true);
    assert.equal((asl.States.pause as { Next: string }).Next, 'pause/wait');
    assert.equal((asl.States['pause/wait'] as { Next: string }).Next, 'Done');
    assert.equal((asl.States.Done as { End: boolean }).End, true);
  });

  it('enters a wait by its own Task where no one-Task step comes right before it', () => {
    const def = workflowDefinitionSchema.parse({
      name: 'Waits',
      trigger: { type: 'tagAdded', tag: 'x' },
      steps: [
        { id: 'first', type: 'wait', duration: 'P1D' },
        { id: 'second', type: 'wait', duration: 'PT1H' },
        { id: 'hello', type: 'sendEmail', templateId: '01JF0000000000000000000000' },
      ],
    });
    const asl = compileWorkflow(def, OPTIONS);
    assert.equal((asl.States.first as { Type: string }).Type, 'Task');
    assert.equal((asl.States.first as { Next: string }).Next, 'first/wait');
    assert.equal((asl.States.second as { Parameters: { action: string } }).Parameters.action, 'enter');
    assert.equal((asl.States['second/wait'] as { Next: string }).Next, 'hello');
    assert.equal('thenEnter' in (asl.States.hello as { Parameters: object }).Parameters, false);
  });

  it("passes a sendEmail step's subscription type to its task, and only when it has one", () => {
    const def = workflowDefinitionSchema.parse({
      name: 'Typed',
      trigger: { type: 'tagAdded', tag: 'x' },
      steps: [
        {
          id: 'news',
          type: 'sendEmail',
          templateId: '01JF0000000000000000000000',
          subscriptionType: 'newsletter',
        },
        { id: 'plain', type: 'sendEmail', templateId: '01JF0000000000000000000000' },
      ],
    });
    const asl = compileWorkflow(def, OPTIONS);
    const params = (id: string) => stepParameters(asl, id) ?? {};
    assert.equal(params('news').subscriptionType, 'newsletter');
    assert.equal('subscriptionType' in params('plain'), false);
    assert.throws(() =>
      workflowDefinitionSchema.parse({
        ...def,
        steps: [
          {
            id: 'x',
            type: 'sendEmail',
            templateId: '01JF0000000000000000000000',
            subscriptionType: 'Not An Id',
          },
        ],
      }),
    );
  });

  it("passes a createTask step's owner to its task, and only when it names one", () => {
    const def = workflowDefinitionSchema.parse({
      name: 'Owned',
      trigger: { type: 'scoreReached' },
      steps: [
        { id: 'mine', type: 'createTask', title: 'Call', dueIn: 'P1D', owner: 'sam' },
        { id: 'theirs', type: 'createTask', title: 'Call', dueIn: 'PT2H' },
      ],
    });
    const asl = compileWorkflow(def, OPTIONS);
    const params = (id: string) => stepParameters(asl, id) ?? {};
    assert.equal(params('mine').owner, 'sam');
    assert.equal(params('theirs').dueInSeconds, 7200);
    assert.equal('owner' in params('theirs'), false, "the contact's owner is read when the step runs");
    assert.equal(
      workflowDefinitionSchema.safeParse({
        ...def,
        steps: [{ id: 'x', type: 'createTask', title: 'Call', dueIn: 'P1D', owner: '' }],
      }).success,
      false,
    );
  });

  it('branches if steps and joins them again', () => {
    const def = workflowDefinitionSchema.parse(
      JSON.parse(readFileSync(join(EXAMPLES, 'webinar-follow-up.json'), 'utf8')),
    );
    const asl = compileWorkflow(def, OPTIONS);
    const branch = asl.States['engaged/branch'] as { Choices: Array<{ Next: string }>; Default: string };
    assert.equal(branch.Default, 'recording');
    // `hot` and `call` are one Task (the path's actions fused), which joins the other path at `cold`.
    assert.equal((asl.States.hot as { Next: string }).Next, 'cold');
    assert.deepEqual(
      (payload(asl, 'hot').fused as Array<{ stepId: string }>).map((s) => s.stepId),
      ['call'],
    );
    assert.equal('call' in asl.States, false);
    assert.equal((asl.States.done as { End: boolean }).End, true);
    // Only the branch is a Choice, on the evaluated condition (a stop is the Task's error).
    assert.deepEqual(branch.Choices, [{ Variable: '$.step.result', BooleanEquals: true, Next: 'hot' }]);
    assert.equal(payload(asl, 'thanks').thenEnter, 'pause');
  });
});

describe('workflow language', () => {
  const base = { name: 'W', trigger: { type: 'tagAdded', tag: 'lead' } };
  const problems = (def: unknown) => {
    const r = workflowDefinitionSchema.safeParse(def);
    assert.equal(r.success, false);
    return r.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`) ?? [];
  };

  it('parses ISO durations', () => {
    assert.equal(durationSeconds('P2D'), 172800);
    assert.equal(durationSeconds('PT1H30M'), 5400);
    assert.equal(durationSeconds('P1W'), 604800);
    assert.equal(durationSeconds('P1DT6H'), 108000);
    for (const bad of ['P', 'PT', '2D', 'P1Y', 'P1M', 'PT-1H'])
      assert.equal(durationSeconds(bad), undefined, bad);
  });

  it('reports each problem at its path', () => {
    const out = problems({
      ...base,
      steps: [
        { id: 'a', type: 'wait', duration: 'tomorrow' },
        { id: 'x', type: 'addTag', tag: 'x' },
        {
          id: 'b',
          type: 'if',
          condition: { emailOpened: { step: 'a' } },
          then: [{ id: 'c', type: 'bogus' }],
        },
        { id: 'Bad Id', type: 'exit' },
      ],
    });
    assert.ok(
      out.some((p) => p.startsWith('steps.0.duration:')),
      out.join('\n'),
    );
    assert.ok(
      out.some((p) => p.startsWith('steps.2.then.0.type')),
      out.join('\n'),
    );
    assert.ok(
      out.some((p) => p.startsWith('steps.3.id')),
      out.join('\n'),
    );
  });

  it('refuses a step id used twice, also across branches', () => {
    const out = problems({
      ...base,
      steps: [
        { id: 'a', type: 'addTag', tag: 'x' },
        { id: 'b', type: 'if', condition: { hasTag: 'x' }, then: [{ id: 'a', type: 'exit' }] },
      ],
    });
    assert.deepEqual(out, ['steps.1.then.0.id: step id a is used twice']);
  });

  it('refuses waits that add up to more than an execution may last, counting the longer branch', () => {
    const wait = (id: string, days: number) => ({ id, type: 'wait', duration: `P${days}D` });
    const out = problems({
      ...base,
      steps: [
        wait('w1', 200),
        { id: 'b', type: 'if', condition: { hasTag: 'x' }, then: [wait('w2', 100)], else: [wait('w3', 170)] },
      ],
    });
    assert.equal(out.length, 1);
    assert.match(String(out[0]), /^steps: the waits on the longest path add up to 370 days/);
    assert.equal(
      workflowDefinitionSchema.safeParse({ ...base, steps: [wait('w1', 200), wait('w2', 150)] }).success,
      true,
    );
  });

  it('requires email conditions to name an earlier sendEmail step', () => {
    const out = problems({
      ...base,
      steps: [
        { id: 'check', type: 'if', condition: { emailOpened: { step: 'later' } }, then: [], else: [] },
        { id: 'later', type: 'sendEmail', templateId: '01JF0000000000000000000000' },
      ],
    });
    assert.deepEqual(out, ['steps.0.condition: step later is not a sendEmail step before this one']);
  });

  it('rejects unknown fields, bad time zones and missing triggers', () => {
    const out = problems({
      name: 'W',
      timezone: 'Mars/Olympus',
      steps: [{ id: 'x', type: 'exit', extra: 1 }],
    });
    assert.ok(out.some((p) => p.startsWith('timezone')));
    assert.ok(out.some((p) => p.startsWith('trigger')));
    assert.ok(out.some((p) => p.startsWith('steps.0')));
  });
});
