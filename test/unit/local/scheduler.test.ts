/**
 * The local EventBridge Scheduler, driven through the real Scheduler adapter (SDK v3 over HTTP):
 * one-time schedules fire once at their (scaled) time and delete themselves; retries end in the
 * dead-letter file; stored schedules survive a restart.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { LocalScheduler } from '#local/scheduler.js';
import { atExpression, eventBridgeScheduler } from '#platform/aws/scheduler.js';
import type { ScheduledAction } from '#platform/scheduler.js';

const TARGET = 'arn:aws:lambda:us-east-1:000000000000:function:target';
const dir = mkdtempSync(join(tmpdir(), 'tendril-scheduler-'));
const file = join(dir, 'schedules.json');
const deadLetters = join(dir, 'dead.jsonl');
let local: LocalScheduler;
let closeServer: () => void;
const fired: unknown[] = [];
let failNext = 0;

const config = {
  groupName: 'tendril-test',
  targetArn: TARGET,
  roleArn: 'arn:aws:iam::000000000000:role/scheduler',
  deadLetterArn: 'arn:aws:sqs:us-east-1:000000000000:dlq',
};

async function startLocal(scale: number) {
  local = new LocalScheduler({
    region: 'us-east-1',
    account: '000000000000',
    timeScale: scale,
    file,
    deadLetterFile: deadLetters,
  });
  local.registerTarget(TARGET, async (input) => {
    if (failNext > 0) {
      failNext--;
      throw new Error('target failed');
    }
    fired.push(input);
  });
  await local.start();
  const { url, server } = await local.listen();
  closeServer = () => server.close();
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_SCHEDULER: url,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });
}

const until = async (check: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

before(() => startLocal(3600));
after(async () => {
  await local.stop();
  closeServer();
});

describe('local scheduler', () => {
  it('writes at() expressions in UTC without fractions', () => {
    assert.equal(atExpression(new Date('2026-11-23T10:11:12.345Z')), 'at(2026-11-23T10:11:12)');
  });

  it('fires once at the scaled time, then deletes the schedule; creating it twice is a no-op', async () => {
    const scheduler = eventBridgeScheduler(config);
    const action: ScheduledAction = { kind: 'followUp', followUpId: 'f1' };
    const at = new Date(Date.now() + 3600 * 1000); // an hour: one second at 3600x
    await scheduler.scheduleOnce('follow-up-f1', at, action);
    await scheduler.scheduleOnce('follow-up-f1', at, action);
    assert.equal(local.list().length, 1);
    assert.equal(fired.length, 0);
    await until(() => fired.length === 1);
    assert.deepEqual(fired[0], action);
    await until(() => local.list().length === 0);
  });

  it('cancels a schedule, and cancelling a missing one is fine', async () => {
    const scheduler = eventBridgeScheduler(config);
    await scheduler.scheduleOnce('task-t1', new Date(Date.now() + 1800 * 1000), {
      kind: 'taskReminder',
      taskId: 't1',
      dueAt: 'x',
    });
    await scheduler.cancel('task-t1');
    await scheduler.cancel('task-t1');
    // It was due in half a second: once nothing is due within a second, it would have fired.
    await until(() => !local.busy(1000));
    await local.idle();
    assert.equal(fired.filter((f) => (f as { taskId?: string }).taskId === 't1').length, 0);
  });

  it('retries a failing target, then parks it in the dead-letter file', async () => {
    const before = fired.length;
    failNext = 1;
    await eventBridgeScheduler(config).scheduleOnce('retried', new Date(), {
      kind: 'followUp',
      followUpId: 'r',
    });
    await until(() => fired.length === before + 1, 8000);
    assert.equal(failNext, 0, 'failed once, then succeeded on retry');

    failNext = 100;
    await local.call('POST', 'doomed', new URLSearchParams(), {
      GroupName: 'g',
      ScheduleExpression: atExpression(new Date()),
      ActionAfterCompletion: 'DELETE',
      Target: {
        Arn: TARGET,
        Input: '{"kind":"followUp","followUpId":"d"}',
        RetryPolicy: { MaximumRetryAttempts: 1 },
      },
    });
    await until(() => existsSync(deadLetters) && readFileSync(deadLetters, 'utf8').includes('doomed'), 8000);
    failNext = 0;
    // Dead-lettered, then removed (ActionAfterCompletion DELETE).
    await until(() => !local.list().some((s) => s.name === 'doomed'));
  });

  it('keeps schedules in its file across a restart', async () => {
    await eventBridgeScheduler(config).scheduleOnce('survivor', new Date(Date.now() + 3600 * 1000), {
      kind: 'followUp',
      followUpId: 'survivor',
    });
    await local.stop();
    closeServer();
    await startLocal(3600);
    assert.ok(local.list().some((s) => s.name === 'survivor'));
    await until(() => fired.some((f) => (f as { followUpId?: string }).followUpId === 'survivor'));
  });
  it('says it is busy only when a schedule fires within the horizon', async () => {
    const scheduler = eventBridgeScheduler(config);
    // Two hours ahead at 3600x: two seconds.
    await scheduler.scheduleOnce('busy-check', new Date(Date.now() + 7200 * 1000), {
      kind: 'followUp',
      followUpId: 'b1',
    });
    assert.equal(local.busy(0), false);
    assert.equal(local.busy(5_000), true);
    await until(() => fired.some((f) => (f as { followUpId?: string }).followUpId === 'b1'), 8_000);
    await local.idle();
    assert.equal(local.busy(5_000), false);
  });
});
