/** The workflow editor's path → line mapping (web/src/json-lines.ts), which puts API errors at their lines. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { layoutAsl } from '../../../web/src/asl-graph.js';
import { lineOf, prettyWithLines } from '../../../web/src/json-lines.js';

describe('editor JSON lines', () => {
  it('prints exactly what JSON.stringify(value, null, 2) prints', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        assert.equal(prettyWithLines(value).text, JSON.stringify(value, null, 2));
      }),
    );
  });

  it('finds the line of a path, or of its closest existing ancestor', () => {
    const { text, lines } = prettyWithLines({
      name: 'x',
      steps: [{ id: 'a', type: 'sendEmail', templateId: 'nope' }, { id: 'b' }],
    });
    const at = (line: number) => text.split('\n')[line - 1] ?? '';
    assert.match(at(lineOf(lines, 'steps.0.templateId')), /"templateId": "nope"/);
    assert.match(at(lineOf(lines, 'steps.1.id')), /"id": "b"/);
    assert.match(at(lineOf(lines, 'steps.1.missing')), /^\s+\{$/);
    assert.equal(lineOf(lines, ''), 1);
  });

  it('lays out a compiled state machine by depth from StartAt', () => {
    const { nodes, edges } = layoutAsl({
      StartAt: 'a',
      States: {
        a: { Type: 'Task', Next: 'b' },
        b: { Type: 'Choice', Choices: [{ Next: 'c' }], Default: 'd' },
        c: { Type: 'Succeed' },
        d: { Type: 'Fail' },
      },
    });
    const y = Object.fromEntries(nodes.map((n) => [n.id, n.y]));
    assert.ok((y.a ?? 0) < (y.b ?? 0) && (y.b ?? 0) < (y.c ?? 0));
    assert.equal(y.c, y.d);
    assert.deepEqual(
      edges.map((e) => `${e.from}>${e.to}`),
      ['a>b', 'b>c', 'b>d'],
    );
  });

  it('tells which steps a state stands for: fused into its Task, or the wait it waits in', () => {
    const { nodes } = layoutAsl({
      StartAt: 'mail',
      States: {
        mail: {
          Type: 'Task',
          Parameters: { Payload: { stepId: 'mail', fused: [{ stepId: 'tag' }], thenEnter: 'pause' } },
          Next: 'guide',
        },
        guide: { Type: 'Task', Parameters: { stepId: 'guide', thenEnter: 'chain' }, Next: 'chain' },
        chain: { Type: 'Wait', Next: 'End' },
        End: { Type: 'Succeed' },
      },
    });
    const steps = Object.fromEntries(nodes.map((n) => [n.id, n.steps]));
    assert.deepEqual(steps.mail, ['mail', 'tag', 'pause']);
    // A wait with a state of its own is counted there, not on the Task that enters it.
    assert.deepEqual(steps.guide, ['guide']);
    assert.deepEqual(steps.chain, ['chain']);
  });
});
