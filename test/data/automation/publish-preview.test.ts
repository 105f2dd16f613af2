/**
 * Before publishing, on DynamoDB Local: what changed against the published version, step by step
 * and in the settings, and the enrollments running on each version by the step they are at.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { diffDefinitions, previewPublish } from '#automation/publish-preview.js';
import { runStep } from '#automation/steps.js';
import * as workflows from '#automation/workflows.js';
import { createTestTable, type TestTable } from '#test/support/dynamo.js';
import { RecordingEngine, stepContext, workflowKit } from '#test/support/workflows.js';

let t: TestTable;
const engine = new RecordingEngine();
before(async () => {
  t = await createTestTable();
});
const ctx = () => stepContext();

const v1 = {
  name: 'Onboarding',
  trigger: { type: 'tagAdded', tag: 'trial' },
  steps: [
    { id: 'tag-1', type: 'addTag', tag: 'one' },
    { id: 'pause', type: 'wait', duration: 'P1D' },
    { id: 'tag-2', type: 'addTag', tag: 'two' },
    { id: 'tag-3', type: 'addTag', tag: 'three' },
  ],
};

describe('a publish preview', () => {
  it('lists what changed and who is running on which version and step', async () => {
    const kit = workflowKit(t, engine);
    const wf = await kit.publishedWorkflow(v1);
    const first = await previewPublish(t.deps, wf.id);
    assert.deepEqual(first.steps, [], 'the draft is the published version');
    assert.deepEqual(first.running, []);

    // Two contacts enrolled: one at the wait, one at the first step.
    const a = await kit.enrolled('trial', 'preview-a@example.com');
    await runStep(t.deps, ctx(), a.step('tag-1', 'addTag', { tag: 'one', thenEnter: 'pause' }));
    const b = await kit.enrolled('trial', 'preview-b@example.com');
    await runStep(t.deps, ctx(), b.step('tag-1', 'addTag', { tag: 'one' }));

    await workflows.updateWorkflow(t.deps, wf.id, {
      ...v1,
      name: 'Onboarding, shorter',
      steps: [
        { id: 'tag-1', type: 'addTag', tag: 'uno' },
        { id: 'tag-3', type: 'addTag', tag: 'three' },
        { id: 'pause', type: 'wait', duration: 'P1D' },
        { id: 'exit', type: 'exit' },
      ],
    } as never);
    const preview = await previewPublish(t.deps, wf.id);
    assert.equal(preview.publishedVersion, 1);
    assert.equal(preview.nextVersion, 2);
    assert.deepEqual(preview.settings, ['name']);
    assert.deepEqual(preview.steps.map((s) => `${s.stepId} ${s.change}`).sort(), [
      'exit added',
      'pause moved',
      'tag-1 changed',
      'tag-2 removed',
      'tag-3 moved',
    ]);
    assert.deepEqual(preview.running, [{ version: 1, active: 2, atSteps: { 'tag-1': 1, pause: 1 } }]);
  });

  it('finds a step moved into a branch, and one whose branch steps changed only', () => {
    const base = {
      name: 'x',
      timezone: 'UTC',
      reenrollment: 'never' as const,
      trigger: { type: 'tagAdded' as const, tag: 'x' },
    };
    const before = {
      ...base,
      steps: [
        { id: 'check', type: 'if' as const, condition: { hasTag: 'a' }, then: [], else: [] },
        { id: 'tag', type: 'addTag' as const, tag: 'b' },
      ],
    };
    const after = {
      ...base,
      steps: [
        {
          id: 'check',
          type: 'if' as const,
          condition: { hasTag: 'a' },
          then: [{ id: 'tag', type: 'addTag' as const, tag: 'b' }],
          else: [],
        },
      ],
    };
    assert.deepEqual(diffDefinitions(before, after).steps, [
      { stepId: 'tag', change: 'moved', type: 'addTag' },
    ]);
  });
});
