/**
 * Callback Tasks in the local Step Functions emulation (`.waitForTaskToken` through the per-state
 * Task override): the Lambda gets a token in its Payload; SendTaskSuccess ends the wait with its
 * output; an unanswered Task times out (scaled) into its Catch; a token no longer waited on is
 * answered TaskTimedOut; SendTaskFailure fails the Task with the given error.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AwsApiError } from '#local/aws-json-api.js';
import { LocalStepFunctions } from '#local/step-functions.js';

const LAMBDA = 'arn:aws:lambda:us-east-1:000000000000:function:step';
// Waits up to a day for its token (a second at 86,400x), then goes on to `late`.
const definition = JSON.stringify({
  StartAt: 'await',
  States: {
    await: {
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken',
      Parameters: { FunctionName: LAMBDA, Payload: { 'who.$': '$.who', 'taskToken.$': '$$.Task.Token' } },
      TimeoutSeconds: 86_400,
      ResultPath: '$.answer',
      Catch: [
        { ErrorEquals: ['States.Timeout'], ResultPath: null, Next: 'late' },
        { ErrorEquals: ['Custom.Refused'], ResultPath: '$.refused', Next: 'late' },
      ],
      End: true,
    },
    late: { Type: 'Pass', Result: 'timed out', ResultPath: '$.answer', End: true },
  },
});

async function started(who: string, onToken?: (token: string, sfn: LocalStepFunctions) => Promise<void>) {
  const sfn = new LocalStepFunctions({ region: 'us-east-1', account: '000000000000', timeScale: 86_400 });
  const tokens: string[] = [];
  sfn.registerLambda(LAMBDA, async (input) => {
    const token = String((input as { taskToken: string }).taskToken);
    tokens.push(token);
    await onToken?.(token, sfn);
    return {};
  });
  const { stateMachineArn } = (await sfn.call('CreateStateMachine', {
    name: `cb-${who}`,
    definition,
    roleArn: 'arn:aws:iam::000000000000:role/sfn',
  })) as { stateMachineArn: string };
  const { executionArn } = (await sfn.call('StartExecution', {
    stateMachineArn,
    name: who,
    input: JSON.stringify({ who }),
  })) as { executionArn: string };
  for (let i = 0; i < 200 && tokens.length === 0; i++) await new Promise((r) => setTimeout(r, 5));
  const describe = async () =>
    (await sfn.call('DescribeExecution', { executionArn })) as { status: string; output?: string };
  return { sfn, tokens, describe };
}

describe('a callback Task locally', () => {
  it('gives the Lambda a token and ends the wait with SendTaskSuccess’s output', async () => {
    const { sfn, tokens, describe } = await started('ada');
    assert.equal(tokens.length, 1);
    assert.notEqual(tokens[0], 'local-task-token', 'a token of its own, not the placeholder');
    assert.equal((await describe()).status, 'RUNNING');
    await sfn.call('SendTaskSuccess', {
      taskToken: tokens[0],
      output: JSON.stringify({ outcome: 'received' }),
    });
    await sfn.idle();
    const done = await describe();
    assert.equal(done.status, 'SUCCEEDED');
    assert.deepEqual(JSON.parse(done.output ?? '{}'), { who: 'ada', answer: { outcome: 'received' } });
    // Answered once: the token is no longer waited on.
    await assert.rejects(
      sfn.call('SendTaskSuccess', { taskToken: tokens[0], output: '{}' }),
      (err: AwsApiError) => err.type === 'TaskTimedOut',
    );
  });

  it('takes an answer the Lambda gives its own token while it runs (the event had already happened)', async () => {
    const { sfn, describe } = await started('bo', async (token, s) => {
      await s.call('SendTaskSuccess', { taskToken: token, output: JSON.stringify({ outcome: 'received' }) });
    });
    await sfn.idle();
    assert.deepEqual(JSON.parse((await describe()).output ?? '{}').answer, { outcome: 'received' });
  });

  it('times out into its Catch when nobody answers (the timeout scaled)', async () => {
    const { sfn, tokens, describe } = await started('cy');
    await sfn.idle();
    const done = await describe();
    assert.equal(done.status, 'SUCCEEDED');
    assert.equal(JSON.parse(done.output ?? '{}').answer, 'timed out');
    await assert.rejects(
      sfn.call('SendTaskSuccess', { taskToken: tokens[0], output: '{}' }),
      (err: AwsApiError) => err.type === 'TaskTimedOut',
    );
  });

  it('fails the Task with SendTaskFailure’s error (caught by name)', async () => {
    const { sfn, tokens, describe } = await started('di');
    await sfn.call('SendTaskFailure', { taskToken: tokens[0], error: 'Custom.Refused', cause: 'no' });
    await sfn.idle();
    const done = await describe();
    assert.equal(done.status, 'SUCCEEDED');
    assert.deepEqual(JSON.parse(done.output ?? '{}').refused, { Error: 'Custom.Refused', Cause: 'no' });
  });
});
