/**
 * The contacts behind a step's counts, on DynamoDB Local: the step index written with each move
 * (who is at a step now, who ever entered it), the sharded pages and their cursor, and refusals.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { workflowRoutes } from '#automation/routes.js';
import { listStepContacts } from '#automation/step-contacts.js';
import { STEP_SHARDS, stepShard } from '#automation/step-index.js';
import { runStep } from '#automation/steps.js';
import { DomainError } from '#platform/errors.js';
import { createTestTable, type TestTable } from '#test/support/dynamo.js';
import { RecordingEngine, stepContext, workflowKit } from '#test/support/workflows.js';

let t: TestTable;
const engine = new RecordingEngine();
before(async () => {
  t = await createTestTable();
});
const ctx = () => stepContext();

const definition = (tag: string) => ({
  name: `Step lists ${tag}`,
  trigger: { type: 'tagAdded', tag },
  steps: [
    { id: 'tag-1', type: 'addTag', tag: 'one' },
    { id: 'pause', type: 'wait', duration: 'P1D' },
    { id: 'tag-2', type: 'addTag', tag: 'two' },
  ],
});

type Status = 'current' | 'entered';
const list = (wf: string, step: string, status: Status, limit = 25, cursor?: string) =>
  listStepContacts(t.deps, wf, step, { status, limit, cursor });

/** Every page of a list, following the cursor. */
async function everything(wf: string, step: string, status: Status, limit: number) {
  const pages = [];
  let cursor: string | undefined;
  do {
    const page = await list(wf, step, status, limit, cursor);
    pages.push(page.items);
    cursor = page.nextCursor;
    assert.ok(pages.length < 100, 'the pages end');
  } while (cursor);
  return pages;
}

const emails = (items: Array<{ email?: string }>) => items.map((i) => i.email).sort();

async function refused(promise: Promise<unknown>, kind: string, code: string) {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof DomainError, String(err));
    assert.equal(err.kind, kind);
    assert.equal(err.code, code);
    return true;
  });
}

describe('the contacts of a step', () => {
  it('lists who is at a step now and who ever entered it, as they move and end', async () => {
    const kit = workflowKit(t, engine);
    const wf = await kit.publishedWorkflow(definition('lists'));
    const a = await kit.enrolled('lists', 'list-a@example.com');
    await runStep(t.deps, ctx(), a.step('tag-1', 'addTag', { tag: 'one', thenEnter: 'pause' }));
    const b = await kit.enrolled('lists', 'list-b@example.com');
    await runStep(t.deps, ctx(), b.step('tag-1', 'addTag', { tag: 'one' }));
    const c = await kit.enrolled('lists', 'list-c@example.com');
    await runStep(t.deps, ctx(), c.step('tag-1', 'addTag', { tag: 'one', thenEnter: 'pause' }));
    await runStep(t.deps, ctx(), c.step('tag-2', 'addTag', { tag: 'two' }));

    assert.deepEqual(emails((await list(wf.id, 'tag-1', 'current')).items), ['list-b@example.com']);
    assert.deepEqual(emails((await list(wf.id, 'pause', 'current')).items), ['list-a@example.com']);
    assert.deepEqual(emails((await list(wf.id, 'tag-2', 'current')).items), ['list-c@example.com']);
    assert.deepEqual(emails((await list(wf.id, 'tag-1', 'entered')).items), [
      'list-a@example.com',
      'list-b@example.com',
      'list-c@example.com',
    ]);
    assert.deepEqual(emails((await list(wf.id, 'pause', 'entered')).items), [
      'list-a@example.com',
      'list-c@example.com',
    ]);
    const [onPause] = (await list(wf.id, 'pause', 'current')).items;
    assert.equal(onPause?.contactId, a.contact.id);
    assert.equal(onPause?.enrollmentId, a.enrollment.id);
    assert.equal(onPause?.firstName, 'Kim');

    // The lists agree with the step's counts.
    const view = await import('#automation/workflows.js').then((w) => w.getWorkflow(t.deps, wf.id));
    assert.equal(view.stats?.steps['tag-1']?.entered, 3);
    assert.equal(view.stats?.steps['tag-1']?.current, 1);

    // An ended enrollment is at no step any more, but it did enter them.
    await runStep(t.deps, ctx(), c.step('done', 'complete', { outcome: 'completed' }));
    assert.deepEqual((await list(wf.id, 'tag-2', 'current')).items, []);
    assert.deepEqual(emails((await list(wf.id, 'tag-2', 'entered')).items), ['list-c@example.com']);

    // A step the published version does not have, or a workflow that does not exist: 404.
    await refused(list(wf.id, 'nowhere', 'current'), 'not_found', 'not_found');
    await refused(list('01JZZZZZZZZZZZZZZZZZZZZZZZ', 'tag-1', 'current'), 'not_found', 'not_found');
  });

  it('pages over the shards newest first, each enrollment once', async () => {
    const kit = workflowKit(t, engine);
    const wf = await kit.publishedWorkflow(definition('pages'));
    const enrolled = [];
    for (let i = 0; i < 14; i++) {
      const e = await kit.enrolled('pages', `page-${String(i).padStart(2, '0')}@example.com`);
      await runStep(t.deps, ctx(), e.step('tag-1', 'addTag', { tag: 'one' }));
      enrolled.push(e);
    }
    const shards = new Set(enrolled.map((e) => stepShard(e.enrollment.id)));
    assert.ok(shards.size > 1, `the enrollments are spread over shards (${STEP_SHARDS})`);

    for (const status of ['current', 'entered'] as const) {
      const pages = await everything(wf.id, 'tag-1', status, 3);
      assert.equal(pages.length, 5, 'fourteen in pages of three');
      assert.deepEqual(
        pages.map((p) => p.length),
        [3, 3, 3, 3, 2],
      );
      const all = pages.flat();
      assert.deepEqual(emails(all), enrolled.map((e) => e.contact.email).sort());
      const order = all.map((i) => `${i.enteredAt}#${i.enrollmentId}`);
      assert.deepEqual(order, [...order].sort().reverse(), 'newest entry first');
    }

    // Moving on takes an enrollment off the step's `current` list only.
    const moved = enrolled[0];
    assert.ok(moved);
    await runStep(t.deps, ctx(), moved.step('tag-2', 'addTag', { tag: 'two' }));
    const current = (await everything(wf.id, 'tag-1', 'current', 100)).flat();
    assert.equal(current.length, 13);
    assert.ok(!current.some((i) => i.enrollmentId === moved.enrollment.id));
    assert.equal((await everything(wf.id, 'tag-1', 'entered', 100)).flat().length, 14);
  });

  it('refuses a cursor that is not this list’s and a status it does not know', async () => {
    const kit = workflowKit(t, engine);
    const wf = await kit.publishedWorkflow(definition('cursors'));
    for (let i = 0; i < 3; i++) {
      const e = await kit.enrolled('cursors', `cursor-${i}@example.com`);
      await runStep(t.deps, ctx(), e.step('tag-1', 'addTag', { tag: 'one' }));
    }
    const first = await list(wf.id, 'tag-1', 'current', 1);
    assert.ok(first.nextCursor);
    await refused(list(wf.id, 'tag-1', 'entered', 1, first.nextCursor), 'invalid', 'invalid_cursor');
    await refused(list(wf.id, 'tag-1', 'current', 1, 'not-a-cursor'), 'invalid', 'invalid_cursor');
    const forged = Buffer.from(JSON.stringify({ s: 'current', p: ['x'] })).toString('base64url');
    await refused(list(wf.id, 'tag-1', 'current', 1, forged), 'invalid', 'invalid_cursor');

    const query = workflowRoutes.listStepContacts.query;
    assert.equal(query.safeParse({ status: 'gone' }).success, false, 'an unknown status is a 400');
    assert.deepEqual(query.safeParse({}).data, { status: 'current', limit: 25 });
    const params = workflowRoutes.listStepContacts.params;
    assert.equal(params.safeParse({ id: wf.id, stepId: 'Not A Step' }).success, false);
    // A split's path goes in the query: API Gateway decodes a `%2F` in the path before routing.
    assert.equal(params.safeParse({ id: wf.id, stepId: 'test/b' }).success, false, 'no slash in the path');
    assert.equal(query.safeParse({ path: 'b' }).data?.path, 'b', 'a split path');
    assert.equal(query.safeParse({ path: 'z' }).success, false);
  });
});
