/**
 * The local Step Functions emulation across a restart: state machines and their versions are kept,
 * and an execution that was waiting continues from its Wait (for the time it had left) instead of
 * starting over or being lost.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LocalStepFunctions } from '#local/step-functions.js';

const LAMBDA = 'arn:aws:lambda:us-east-1:000000000000:function:step';
// A day-long wait between two steps; at 86,400x a day is one second.
const definition = JSON.stringify({
  StartAt: 'first',
  States: {
    first: {
      Type: 'Task',
      Resource: LAMBDA,
      Parameters: { step: 'first', 'who.$': '$.who' },
      ResultPath: '$.first',
      Next: 'pause',
    },
    pause: { Type: 'Wait', Seconds: 86_400, Next: 'second' },
    second: {
      Type: 'Task',
      Resource: LAMBDA,
      Parameters: { step: 'second', 'who.$': '$.who', 'first.$': '$.first' },
      End: true,
    },
  },
});

function emulator(file: string, calls: unknown[], announced: Array<Record<string, unknown>> = []) {
  const sfn = new LocalStepFunctions({
    region: 'us-east-1',
    account: '000000000000',
    timeScale: 86_400,
    file,
    onStatusChange: async (detail) => {
      announced.push(detail);
    },
  });
  sfn.registerLambda(LAMBDA, async (input) => {
    calls.push(input);
    return { done: (input as { step: string }).step };
  });
  return sfn;
}

async function until(check: () => boolean) {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(check(), 'condition not reached');
}

/** Publishes the machine and starts one execution; resolves once its first step ran (it is then waiting). */
async function startWaiting(sfn: LocalStepFunctions, calls: unknown[], who: string) {
  await sfn.resume();
  const { stateMachineVersionArn } = (await sfn.call('CreateStateMachine', {
    name: 'wf',
    definition,
    roleArn: 'arn:aws:iam::000000000000:role/r',
    publish: true,
  })) as { stateMachineVersionArn: string };
  const { executionArn } = (await sfn.call('StartExecution', {
    stateMachineArn: stateMachineVersionArn,
    name: `wf-v1-${who}-1`,
    input: JSON.stringify({ who }),
  })) as { executionArn: string };
  await until(() => calls.length === 1);
  return { stateMachineVersionArn, executionArn };
}

describe('local Step Functions across a restart', () => {
  it('keeps state machines and resumes a waiting execution at its Wait, running each step once', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tendril-sfn-')), 'step-functions.json');
    const callsBefore: unknown[] = [];
    const before = emulator(file, callsBefore);
    const created = await startWaiting(before, callsBefore, 'ada');
    const { executionArn } = created;
    await until(() => !before.busy(0)); // now inside the Wait
    await before.suspend();
    assert.equal(callsBefore.length, 1, 'suspended before the second step');
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    assert.equal(stored.executions[0].status, 'RUNNING');
    assert.equal(stored.executions[0].checkpoint.state, 'pause');

    const callsAfter: unknown[] = [];
    const after = emulator(file, callsAfter);
    await after.resume();
    await after.idle();
    assert.deepEqual(callsAfter, [{ step: 'second', who: 'ada', first: { done: 'first' } }]);
    const described = (await after.call('DescribeExecution', { executionArn })) as {
      status: string;
      output: string;
    };
    assert.equal(described.status, 'SUCCEEDED');
    assert.deepEqual(JSON.parse(described.output), { done: 'second' });

    // The published version is still there: a new execution starts on it.
    await after.call('StartExecution', {
      stateMachineArn: created.stateMachineVersionArn,
      name: 'wf-v1-bob-1',
      input: JSON.stringify({ who: 'bob' }),
    });
    await after.idle();
    assert.deepEqual(
      callsAfter.map((c) => (c as { who: string }).who),
      ['ada', 'bob', 'bob'],
    );
    await after.suspend();
  });

  it('marks an execution stopped through the API as aborted, and does not resume it', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tendril-sfn-')), 'step-functions.json');
    const calls: unknown[] = [];
    const sfn = emulator(file, calls);
    const { executionArn } = await startWaiting(sfn, calls, 'cy');
    await sfn.call('StopExecution', { executionArn });
    await sfn.suspend();
    assert.equal(
      ((await sfn.call('DescribeExecution', { executionArn })) as { status: string }).status,
      'ABORTED',
    );
    assert.deepEqual(
      JSON.parse(readFileSync(file, 'utf8')).executions,
      [],
      'only running executions are kept',
    );
    const again = emulator(file, calls);
    await again.resume();
    await again.idle();
    assert.equal(calls.length, 1);
  });

  it('says it is busy while a step runs or a Wait ends within the horizon, idle while waiting longer', async () => {
    const calls: unknown[] = [];
    const sfn = emulator(join(mkdtempSync(join(tmpdir(), 'tendril-sfn-')), 'step-functions.json'), calls);
    await startWaiting(sfn, calls, 'di');
    await until(() => !sfn.busy(0)); // in the Wait (one second at this scale)
    assert.equal(sfn.busy(0), false);
    assert.equal(sfn.busy(5_000), true, 'the Wait ends within five seconds');
    await sfn.idle();
    assert.equal(sfn.busy(5_000), false, 'finished');
    assert.equal(calls.length, 2);
  });

  it('has a started execution on disk when StartExecution answers, and announces how executions end', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tendril-sfn-')), 'step-functions.json');
    const calls: unknown[] = [];
    const announced: Array<Record<string, unknown>> = [];
    const sfn = emulator(file, calls, announced);
    await sfn.resume();
    const { stateMachineVersionArn } = (await sfn.call('CreateStateMachine', {
      name: 'wf',
      definition,
      roleArn: 'arn:aws:iam::000000000000:role/r',
      publish: true,
    })) as { stateMachineVersionArn: string };
    const start = (who: string) =>
      sfn.call('StartExecution', {
        stateMachineArn: stateMachineVersionArn,
        name: `wf-v1-${who}-1`,
        input: JSON.stringify({ who }),
      }) as Promise<{ executionArn: string }>;
    const { executionArn } = await start('ed');
    // Read at once: a kill -9 now would find it.
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { executions: Array<{ executionArn: string }> };
    assert.ok(stored.executions.some((e) => e.executionArn === executionArn));
    const stopped = await start('fay');
    await until(() => calls.length === 2);
    await sfn.call('StopExecution', { executionArn: stopped.executionArn });
    await sfn.idle();
    assert.deepEqual(announced.map((d) => [d.name, d.status]).sort(), [
      ['wf-v1-ed-1', 'SUCCEEDED'],
      ['wf-v1-fay-1', 'ABORTED'],
    ]);
    assert.deepEqual(JSON.parse(String(announced.find((d) => d.name === 'wf-v1-ed-1')?.input)), {
      who: 'ed',
    });
    await sfn.suspend();
  });
});
