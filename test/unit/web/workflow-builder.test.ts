/**
 * The workflow builder's document model (web/src/builder): edits keep the JSON round trip exact, ids
 * come from the step's type and are unique and valid, a duplicate renames what it copies (and the
 * conditions naming a copied email), API error paths land on the step they concern, durations read in
 * words and as number + unit, and the flow's layout puts every branch side by side in reading order.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { workflowDefinitionSchema } from '../../../functions/automation/language.js';
import { drawable, starterDefinition } from '../../../web/src/builder/document.js';
import { durationParts, durationWords, isoDuration } from '../../../web/src/builder/duration.js';
import { buildFlow } from '../../../web/src/builder/layout.js';
import {
  allIds,
  type Definition,
  duplicateStep,
  emailsBefore,
  insertStep,
  moveStep,
  newStep,
  removeStep,
  renameStep,
  STEP_ID,
  STEP_TYPES,
  type StepType,
  walkSteps,
  withDocumentKey,
} from '../../../web/src/builder/model.js';
import { inWords, targetOf } from '../../../web/src/builder/problems.js';

const T = '01JABCDEFGHJKMNPQRSTVWXYZ0';

function sample(): Definition {
  return {
    name: 'Nurture',
    timezone: 'UTC',
    trigger: { type: 'formSubmitted', formId: T },
    reenrollment: 'never',
    steps: [
      { id: 'email-1', type: 'sendEmail', templateId: T },
      { id: 'wait-1', type: 'wait', duration: 'P2D' },
      {
        id: 'if-1',
        type: 'if',
        condition: { emailClicked: { step: 'email-1' } },
        ...{ then: [{ id: 'email-2', type: 'sendEmail', templateId: T }], else: [] },
      },
      {
        id: 'split-1',
        type: 'split',
        branches: [
          { percent: 50, steps: [{ id: 'email-3', type: 'sendEmail', templateId: T }] },
          { percent: 50, steps: [] },
        ],
      },
    ],
  } as Definition;
}

/** Random edits from the builder's own operations, applied at random places. */
const edits = fc.array(
  fc.record({
    op: fc.constantFrom('insert', 'remove', 'move', 'duplicate'),
    type: fc.constantFrom(...STEP_TYPES),
    pick: fc.nat(1000),
    up: fc.boolean(),
  }),
  { maxLength: 25 },
);

function apply(doc: Definition, edit: { op: string; type: StepType; pick: number; up: boolean }): Definition {
  const steps = walkSteps(doc.steps);
  const at = steps[edit.pick % Math.max(1, steps.length)];
  if (edit.op === 'insert' || !at) {
    const lists = [
      ['steps'],
      ...steps.flatMap(({ step, path }) => (step.type === 'if' ? [[...path, 'then']] : [])),
    ];
    const list = lists[edit.pick % lists.length] as Array<string | number>;
    return insertStep(doc, { list, index: edit.pick % 3 }, newStep(edit.type, allIds(doc)));
  }
  if (edit.op === 'remove') return removeStep(doc, at.path);
  if (edit.op === 'move') return moveStep(doc, at.path, edit.up ? -1 : 1) ?? doc;
  return duplicateStep(doc, at.path)?.doc ?? doc;
}

describe('workflow builder model', () => {
  it('keeps the JSON round trip exact and every id unique and valid, whatever the edits', () => {
    fc.assert(
      fc.property(edits, (list) => {
        let doc = sample();
        for (const e of list) doc = apply(doc, e);
        assert.deepEqual(JSON.parse(JSON.stringify(doc, null, 2)), doc);
        assert.equal(drawable(JSON.parse(JSON.stringify(doc))), undefined);
        const ids = walkSteps(doc.steps).map(({ step }) => step.id);
        assert.equal(new Set(ids).size, ids.length, ids.join(','));
        for (const id of ids) assert.match(id, STEP_ID);
      }),
    );
  });

  it('makes steps the language accepts once their choices are filled in', () => {
    let doc = withDocumentKey(starterDefinition(), 'goal', { type: 'tagAdded', tag: 'customer' });
    assert.deepEqual(Object.keys(doc), ['name', 'timezone', 'trigger', 'goal', 'reenrollment', 'steps']);
    doc = { ...doc, trigger: { type: 'tagAdded', tag: 'lead' } };
    for (const type of STEP_TYPES) {
      const step = newStep(type, allIds(doc));
      const filled = {
        ...step,
        ...('templateId' in step ? { templateId: T } : {}),
        ...('tag' in step ? { tag: 'vip' } : {}),
        ...('field' in step ? { field: 'plan', value: 'pro' } : {}),
        ...('pipelineId' in step ? { pipelineId: T, stage: 'Won' } : {}),
        ...('message' in step ? { message: 'Call them' } : {}),
        ...('webhookId' in step ? { webhookId: T } : {}),
      };
      if (filled.type === 'if') filled.condition = { hasTag: 'vip' };
      if (filled.type === 'waitForEvent') filled.event = { type: 'tagAdded', tag: 'vip' };
      doc = insertStep(doc, { list: ['steps'], index: doc.steps.length }, filled);
    }
    const parsed = workflowDefinitionSchema.safeParse(doc);
    assert.ok(parsed.success, JSON.stringify(parsed.error?.issues));
    // What the API stores is what the builder made: the JSON tab shows the same document after a save.
    assert.deepEqual(parsed.data, doc);
    assert.deepEqual(
      doc.steps.map((s) => s.id),
      [
        'email-1',
        'wait-1',
        'wait-until-1',
        'wait-event-1',
        'if-1',
        'split-1',
        'add-tag-1',
        'remove-tag-1',
        'task-1',
        'set-field-1',
        'create-deal-1',
        'move-deal-1',
        'notify-owner-1',
        'webhook-1',
        'exit-1',
      ],
    );
  });

  it('duplicates a step with new ids, the copy naming its own copied email', () => {
    const doc = insertStep(sample(), { list: ['steps', 3, 'branches', 1, 'steps'], index: 0 }, {
      id: 'if-2',
      type: 'if',
      condition: { emailOpened: { step: 'email-3' } },
      ...{ then: [], else: [] },
    } as never);
    const result = duplicateStep(doc, ['steps', 3]);
    assert.ok(result);
    assert.deepEqual(result.path, ['steps', 4]);
    const copy = result.doc.steps[4];
    assert.ok(copy?.type === 'split');
    assert.equal(copy.id, 'split-2');
    assert.equal(copy.branches[0]?.steps[0]?.id, 'email-4');
    const inner = copy.branches[1]?.steps[0];
    assert.ok(inner?.type === 'if');
    assert.deepEqual(inner.condition, { emailOpened: { step: 'email-4' } });
    // The original is untouched.
    assert.deepEqual(result.doc.steps[3], doc.steps[3]);
  });

  it('renames a step and the conditions naming it; moves within a list only', () => {
    const renamed = renameStep(sample(), ['steps', 0], 'welcome');
    assert.equal(renamed.steps[0]?.id, 'welcome');
    assert.deepEqual((renamed.steps[2] as { condition: unknown }).condition, {
      emailClicked: { step: 'welcome' },
    });
    assert.equal(moveStep(sample(), ['steps', 0], -1), undefined);
    assert.deepEqual(
      moveStep(sample(), ['steps', 0], 1)?.steps.map((s) => s.id),
      ['wait-1', 'email-1', 'if-1', 'split-1'],
    );
  });

  it('offers the emails before a step, not those inside earlier branches', () => {
    const doc = sample();
    assert.deepEqual(
      emailsBefore(doc, ['steps', 3, 'branches', 1, 'steps', 0]).map((s) => s.id),
      ['email-1'],
    );
    assert.deepEqual(
      emailsBefore(doc, ['steps', 3, 'branches', 0, 'steps', 1]).map((s) => s.id),
      ['email-1', 'email-3'],
    );
  });

  it('maps the API’s error paths to the step they concern', () => {
    const doc = sample();
    assert.deepEqual(targetOf(doc, 'steps.2.then.0.templateId'), {
      kind: 'step',
      id: 'email-2',
      field: 'templateId',
    });
    assert.deepEqual(targetOf(doc, 'steps.3.branches.0.steps.0'), { kind: 'step', id: 'email-3', field: '' });
    assert.deepEqual(targetOf(doc, 'steps.3.branches'), { kind: 'step', id: 'split-1', field: 'branches' });
    assert.deepEqual(targetOf(doc, 'steps.2.condition'), { kind: 'step', id: 'if-1', field: 'condition' });
    assert.deepEqual(targetOf(doc, 'trigger.formId'), { kind: 'trigger', field: 'formId' });
    assert.deepEqual(targetOf(doc, 'goal.condition'), { kind: 'goal', field: 'condition' });
    assert.deepEqual(targetOf(doc, 'steps'), { kind: 'document', field: 'steps' });
    // An empty reference is a choice to make; other problems keep the API's words.
    const empty = insertStep(doc, { list: ['steps'], index: 0 }, newStep('sendEmail', allIds(doc)));
    assert.equal(inWords(empty, 'steps.0.templateId', 'must be a 26-character ULID'), 'Choose a template.');
    assert.equal(inWords(doc, 'steps.0.templateId', 'no template with this id'), 'no template with this id');
  });

  it('reads durations in words and as a number and a unit', () => {
    assert.equal(durationWords('P2D'), '2 days');
    assert.equal(durationWords('P1DT6H'), '1 day 6 hours');
    assert.deepEqual(durationParts('P1DT6H'), { amount: 30, unit: 'hours' });
    assert.deepEqual(durationParts('P2W'), { amount: 2, unit: 'weeks' });
    assert.equal(durationParts('nonsense'), undefined);
    for (const unit of ['minutes', 'hours', 'days', 'weeks'] as const)
      assert.deepEqual(durationParts(isoDuration(3, unit)), { amount: 3, unit });
  });

  it('lays the flow out with branches side by side, Yes before No and A before B', () => {
    const flow = buildFlow(sample());
    const at = (key: string) => flow.nodes.get(key);
    const yes = at('add:steps.2.then:0');
    const no = at('add:steps.2.else:0');
    const a = at('add:steps.3.branches.0.steps:0');
    const b = at('add:steps.3.branches.1.steps:0');
    assert.ok(yes && no && a && b);
    assert.equal(yes.y, no.y);
    assert.ok(yes.x + yes.w <= no.x, 'Yes left of No');
    assert.ok(a.x + a.w <= b.x, 'A left of B');
    // Cards never overlap.
    const cards = flow.items.filter((n) => n.kind !== 'join');
    for (const [i, p] of cards.entries())
      for (const q of cards.slice(i + 1))
        assert.ok(
          p.x + p.w <= q.x || q.x + q.w <= p.x || p.y + p.h <= q.y || q.y + q.h <= p.y,
          `${p.key} overlaps ${q.key}`,
        );
    // Reading order: trigger, then each add point before the step it precedes.
    assert.deepEqual(
      flow.items.slice(0, 4).map((n) => n.key),
      ['trigger', 'add:steps:0', 'steps.0', 'add:steps:1'],
    );
  });
});
