/**
 * The builder's waitForEvent step (web/src/builder): a new one waits for a click in the email just
 * before it (or for a tag to choose when there is none), renaming or duplicating the email it names
 * keeps it naming the right one, its card reads in words, the API's problem about its email lands on
 * it in the builder's words, its tag is one the tag pickers suggest, and what the builder makes is a
 * document the API accepts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { workflowDefinitionSchema } from '#automation/language.js';
import { type Names, stepSummary } from '../../../web/src/builder/labels.js';
import {
  type Definition,
  duplicateStep,
  emailsBefore,
  insertStep,
  newStep,
  newWaitEvent,
  renameStep,
  type Step,
} from '../../../web/src/builder/model.js';
import { inWords, targetOf } from '../../../web/src/builder/problems.js';
import { definitionTags } from '../../../web/src/builder/refs.js';

const T = '01JABCDEFGHJKMNPQRSTVWXYZ0';

function doc(steps: Step[]): Definition {
  return { name: 'Chaser', timezone: 'UTC', trigger: { type: 'tagAdded', tag: 'lead' }, steps };
}
const email = (id: string): Step => ({ id, type: 'sendEmail', templateId: T });
const waitFor = (id: string, event: Extract<Step, { type: 'waitForEvent' }>['event']): Step => ({
  id,
  type: 'waitForEvent',
  event,
  timeout: 'P3D',
});

const names = (): Names => ({
  templates: new Map([[T, 'Welcome']]),
  forms: new Map(),
  segments: new Map(),
  pipelines: new Map(),
  meetingTypes: new Map(),
  fields: new Map(),
  emails: new Map([['email-1', T]]),
});

describe('the builder’s waitForEvent step', () => {
  it('waits for a click in the nearest earlier email by default, else for a tag to choose', () => {
    const d = doc([email('email-1'), email('email-2')]);
    const before = emailsBefore(d, ['steps', 2]).map((s) => s.id);
    assert.deepEqual(newStep('waitForEvent', new Set(['email-1', 'email-2']), before), {
      id: 'wait-event-1',
      type: 'waitForEvent',
      event: { type: 'emailClicked', step: 'email-2' },
      timeout: 'P3D',
    });
    assert.deepEqual(newStep('waitForEvent', new Set()), {
      id: 'wait-event-1',
      type: 'waitForEvent',
      event: { type: 'tagAdded', tag: '' },
      timeout: 'P3D',
    });
    // The event's kinds as the panel switches between them: nothing left of the previous one.
    assert.deepEqual(newWaitEvent('emailReplied', ['email-1']), { type: 'emailReplied' });
    assert.deepEqual(newWaitEvent('emailClicked', []), { type: 'emailClicked', step: '' });
    assert.deepEqual(newWaitEvent('tagAdded', ['email-1']), { type: 'tagAdded', tag: '' });

    // Added after the email, the document is one the API accepts as it is.
    const added = insertStep(d, { list: ['steps'], index: 2 }, newStep('waitForEvent', new Set(), before));
    assert.equal(workflowDefinitionSchema.safeParse(added).success, true);
  });

  it('follows the email it names when that email is renamed or duplicated with it', () => {
    const d = doc([email('email-1'), waitFor('wait-event-1', { type: 'emailClicked', step: 'email-1' })]);
    const renamed = renameStep(d, ['steps', 0], 'welcome');
    assert.deepEqual(renamed.steps[1], waitFor('wait-event-1', { type: 'emailClicked', step: 'welcome' }));
    // Renaming another step leaves it alone; a tag wait has no email to follow.
    const tagged = doc([email('email-1'), waitFor('w', { type: 'tagAdded', tag: 'vip' })]);
    assert.deepEqual(renameStep(tagged, ['steps', 0], 'welcome').steps[1], tagged.steps[1]);

    // Duplicated alone, the copy still waits for a click in the same (earlier) email.
    const alone = duplicateStep(d, ['steps', 1]);
    assert.deepEqual(alone?.doc.steps[2], waitFor('wait-event-2', { type: 'emailClicked', step: 'email-1' }));

    // Duplicated inside an if with its email: the copy waits for the copied email.
    const nested = doc([
      {
        id: 'if-1',
        type: 'if',
        condition: { hasTag: 'vip' },
        then: [email('email-1'), waitFor('wait-event-1', { type: 'emailClicked', step: 'email-1' })],
        else: [],
      },
    ]);
    const copy = duplicateStep(nested, ['steps', 0]);
    const copied = copy?.doc.steps[1] as Extract<Step, { type: 'if' }>;
    assert.deepEqual(copied.then, [
      email('email-2'),
      waitFor('wait-event-2', { type: 'emailClicked', step: 'email-2' }),
    ]);
    assert.equal(workflowDefinitionSchema.safeParse(copy?.doc).success, true);
  });

  it('reads in words on its card', () => {
    const n = names();
    const said = (event: Extract<Step, { type: 'waitForEvent' }>['event'], timeout = 'P3D') =>
      stepSummary({ id: 'w', type: 'waitForEvent', event, timeout }, n);
    assert.equal(said({ type: 'emailClicked', step: 'email-1' }), 'Up to 3 days for a click in “Welcome”');
    assert.equal(said({ type: 'emailReplied' }, 'PT12H'), 'Up to 12 hours for a reply by email');
    assert.equal(said({ type: 'tagAdded', tag: 'vip' }, 'P1W'), 'Up to 1 week for the tag “vip”');
    assert.equal(said({ type: 'tagAdded', tag: '' }), 'Up to 3 days for a tag (none chosen)');
    assert.equal(
      said({ type: 'emailClicked', step: '' }),
      'Up to 3 days for a click in an email (none chosen)',
    );
  });

  it('shows the API’s problem about its email on it, in the builder’s words', () => {
    // The API refuses a click in a step that is not an earlier email at [..., 'event', 'step'].
    const refused = doc([
      {
        id: 'if-1',
        type: 'if',
        condition: { hasTag: 'vip' },
        then: [waitFor('wait-event-1', { type: 'emailClicked', step: '' })],
        else: [],
      },
    ]);
    const parsed = workflowDefinitionSchema.safeParse(refused);
    assert.equal(parsed.success, false);
    const paths = (parsed.error?.issues ?? []).map((i) => i.path.join('.'));
    assert.ok(paths.includes('steps.0.then.0.event.step'), paths.join(', '));
    assert.deepEqual(targetOf(refused, 'steps.0.then.0.event.step'), {
      kind: 'step',
      id: 'wait-event-1',
      field: 'event.step',
    });
    assert.equal(
      inWords(refused, 'steps.0.then.0.event.step', 'must be lower-case letters'),
      'Choose an email.',
    );
    const untagged = doc([waitFor('w', { type: 'tagAdded', tag: '' })]);
    assert.deepEqual(targetOf(untagged, 'steps.0.event.tag'), { kind: 'step', id: 'w', field: 'event.tag' });
    assert.equal(inWords(untagged, 'steps.0.event.tag', 'is too short'), 'Choose or type a tag.');
  });

  it('offers its tag among the tags in use', () => {
    assert.deepEqual(definitionTags(doc([waitFor('w', { type: 'tagAdded', tag: 'demo-booked' })])), [
      'lead',
      'demo-booked',
    ]);
  });
});
