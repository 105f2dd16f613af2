/**
 * A dry run of a draft for one contact on DynamoDB Local: the path taken through an if (on a click
 * the marketer assumes) and a split, each step's outcome, the emails rendered for the contact, a
 * field set by a step seen by a later condition, the goal ending it — and nothing written at all;
 * a waitForEvent step's event found (a click assumed, a tag on the contact or added by the run) or waited for.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { dryRunWorkflow, inWords } from '#automation/dry-run.js';
import * as workflows from '#automation/workflows.js';
import { createContact, getContact } from '#contacts/rules.js';
import { createTemplate } from '#messaging/templates.js';
import { DomainError } from '#platform/errors.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';

let t: TestTable;
before(async () => {
  t = await createTestTable();
});

describe('a dry run', () => {
  it('follows the draft for a contact, renders its emails, and writes nothing', async () => {
    const template = (name: string) =>
      createTemplate(t.deps, {
        name,
        subject: `${name}, {{ contact.firstName }}`,
        html: `<p>${name} for {{ contact.firstName }}</p><a href="{{ unsubscribeUrl }}">Unsubscribe</a>`,
      });
    const [hello, nudge, offer] = [await template('Hello'), await template('Nudge'), await template('Offer')];
    const wf = await workflows.createWorkflow(t.deps, {
      name: 'Dry',
      trigger: { type: 'tagAdded', tag: 'lead' },
      goal: { type: 'condition', condition: { hasTag: 'customer' } },
      steps: [
        { id: 'hello', type: 'sendEmail', templateId: hello.id },
        { id: 'pause', type: 'wait', duration: 'P1DT6H' },
        {
          id: 'clicked',
          type: 'if',
          condition: { emailClicked: { step: 'hello' } },
          then: [{ id: 'warm', type: 'updateField', field: 'temperature', value: 'warm' }],
          else: [{ id: 'nudge', type: 'sendEmail', templateId: nudge.id }],
        },
        {
          id: 'test',
          type: 'split',
          branches: [
            { percent: 50, steps: [{ id: 'tag-a', type: 'addTag', tag: 'saw-a' }] },
            { percent: 50, steps: [{ id: 'tag-b', type: 'addTag', tag: 'saw-b' }] },
          ],
        },
        {
          id: 'is-warm',
          type: 'if',
          condition: { field: 'temperature', op: 'eq', value: 'warm' },
          then: [{ id: 'offer', type: 'sendEmail', templateId: offer.id }],
          else: [],
        },
        { id: 'won', type: 'addTag', tag: 'customer' },
        { id: 'never', type: 'addTag', tag: 'after-goal' },
      ],
    } as never);
    const contact = await createContact(t.deps, { email: 'dry@example.com', firstName: 'Dora' });
    const events = (await outboxEvents(t)).length;

    const clicked = await dryRunWorkflow(t.deps, wf.id, { contactId: contact.id, clicked: ['hello'] });
    const outcomes = clicked.steps.map((s) => `${s.stepId}: ${s.outcome}`);
    assert.equal(outcomes[0], 'hello: would send “Hello, Dora”');
    assert.match(clicked.steps[0]?.email?.html ?? '', /Hello for Dora/);
    assert.equal(outcomes[1], 'pause: waits 1 day 6 hours (skipped)');
    assert.equal(outcomes[2], 'clicked: Yes');
    assert.equal(outcomes[3], 'warm: would set temperature to "warm"');
    assert.match(outcomes[4] ?? '', /^test: path [AB] \(50% of enrollments\)$/);
    assert.match(outcomes[5] ?? '', /^tag-[ab]: would add the tag saw-[ab]$/);
    assert.deepEqual(outcomes.slice(6), [
      'is-warm: Yes',
      'offer: would send “Offer, Dora”',
      'won: would add the tag customer',
      'never: the goal is met: the enrollment ends here',
    ]);
    assert.equal(clicked.ending, 'goal_met');

    // Without the click: the nudge instead, and no offer (the field was never set).
    const cold = await dryRunWorkflow(t.deps, wf.id, { contactId: contact.id });
    const coldIds = cold.steps.map((s) => s.stepId);
    assert.ok(
      coldIds.includes('nudge') && !coldIds.includes('warm') && !coldIds.includes('offer'),
      `${coldIds}`,
    );
    // The same contact takes the same split path each time.
    assert.equal(cold.steps.find((s) => s.stepId === 'test')?.outcome, clicked.steps[4]?.outcome);

    // Nothing happened for real.
    assert.equal((await outboxEvents(t)).length, events, 'no event');
    const after = await getContact(t.deps, contact.id);
    assert.deepEqual(
      [after.tags, after.fields, after.version],
      [contact.tags, contact.fields, contact.version],
    );
  });

  it('skips the wait of a waitForEvent step, saying whether its event has happened for the contact', async () => {
    const hello = await createTemplate(t.deps, {
      name: 'Hi',
      subject: 'Hi {{ contact.firstName }}',
      html: '<p>Hi</p><a href="{{ unsubscribeUrl }}">Unsubscribe</a>',
    });
    const wf = await workflows.createWorkflow(t.deps, {
      name: 'Chaser',
      trigger: { type: 'tagAdded', tag: 'lead' },
      steps: [
        { id: 'hi', type: 'sendEmail', templateId: hello.id },
        { id: 'click', type: 'waitForEvent', event: { type: 'emailClicked', step: 'hi' }, timeout: 'P3D' },
        {
          id: 'clicked',
          type: 'if',
          condition: { emailClicked: { step: 'hi' } },
          then: [{ id: 'hot', type: 'addTag', tag: 'hot' }],
          else: [],
        },
        { id: 'heat', type: 'waitForEvent', event: { type: 'tagAdded', tag: 'hot' }, timeout: 'PT12H' },
        { id: 'vip', type: 'waitForEvent', event: { type: 'tagAdded', tag: 'vip' }, timeout: 'P1W' },
        { id: 'reply', type: 'waitForEvent', event: { type: 'emailReplied' }, timeout: 'P2D' },
      ],
    } as never);
    const contact = await createContact(t.deps, {
      email: 'wait@example.com',
      firstName: 'Wim',
      tags: ['vip'],
    });

    const outcomes = async (clicked?: string[]) =>
      (await dryRunWorkflow(t.deps, wf.id, { contactId: contact.id, ...(clicked ? { clicked } : {}) })).steps
        .filter((s) => s.type === 'waitForEvent')
        .map((s) => `${s.stepId}: ${s.outcome}`);
    // A click assumed: received at once, and the tag an earlier step of the run added counts.
    assert.deepEqual(await outcomes(['hi']), [
      'click: received: a click in hi (as assumed); goes on at once',
      'heat: received: the contact has the tag hot; goes on at once',
      'vip: received: the contact has the tag vip; goes on at once',
      'reply: would wait up to 2 days for a reply by email, then go on (skipped)',
    ]);
    // No click: it would wait for it, and for the tag no step added; the tag the contact has still counts.
    assert.deepEqual(await outcomes(), [
      'click: would wait up to 3 days for a click in hi, then go on (skipped)',
      'heat: would wait up to 12 hours for the tag hot, then go on (skipped)',
      'vip: received: the contact has the tag vip; goes on at once',
      'reply: would wait up to 2 days for a reply by email, then go on (skipped)',
    ]);
    const run = await dryRunWorkflow(t.deps, wf.id, { contactId: contact.id });
    assert.equal(run.ending, 'completed', 'it goes on after the waits');
  });

  it('says when there is no such contact (404), and puts durations in words', async () => {
    const wf = await workflows.createWorkflow(t.deps, {
      name: 'Tiny',
      trigger: { type: 'tagAdded', tag: 'x' },
      steps: [{ id: 'tag', type: 'addTag', tag: 'y' }],
    } as never);
    const missing = await dryRunWorkflow(t.deps, wf.id, { contactId: '01JF0000000000000000000C99' }).catch(
      (err: unknown) => err,
    );
    assert.ok(missing instanceof DomainError);
    assert.equal(missing.kind, 'not_found');
    assert.equal(inWords(90_000), '1 day 1 hour');
    assert.equal(inWords(1_209_600), '2 weeks');
  });
});
