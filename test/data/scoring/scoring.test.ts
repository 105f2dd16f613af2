/**
 * Lead scoring on DynamoDB Local: events a contact caused give points by the workspace's rules
 * (once per event, also when two arrive at once), the score decays, crossing the threshold makes the
 * contact an MQL and enrolls it into `scoreReached` workflows; deals move it to opportunity and
 * customer, never back by a rule; a person may set any stage; settings have a version check.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { enrollFromEvent, triggersOf } from '#automation/enrollment.js';
import { createForm } from '#capture/forms.js';
import * as contacts from '#contacts/rules.js';
import { DomainError } from '#platform/errors.js';
import { type DomainEvent, makeEvent, parseEvent } from '#platform/events.js';
import { createDeal, createPipeline, updateDeal } from '#sales/pipelines.js';
import { DEFAULT_LIFECYCLE } from '#scoring/model.js';
import {
  contactsInStage,
  getScoringSettings,
  saveScoringSettings,
  scoreEvent,
  setStage,
  standingsOf,
  viewStanding,
} from '#scoring/scoring.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';
import { RecordingEngine, workflowKit } from '#test/support/workflows.js';

let t: TestTable;
let now = new Date('2026-12-01T10:00:00.000Z');
let seq = 0;
const event = (e: Omit<DomainEvent, 'source'> & { detail: Record<string, unknown> }) =>
  makeEvent(e.detailType, e.detail as never, {
    eventId: `ev-${String(++seq).padStart(4, '0')}`,
    occurredAt: now.toISOString(),
  }) as DomainEvent;
const formSubmitted = (contactId: string, formId = 'F1') =>
  event({
    detailType: 'FormSubmitted',
    detail: { contactId, formId, activityId: 'a', created: false },
  } as never);
const clicked = (contactId: string) =>
  event({ detailType: 'EmailEngaged', detail: { contactId, messageId: 'm', type: 'clicked' } } as never);
const published = async (type: string) =>
  (await outboxEvents(t)).filter((e) => e.detailType === type).map((e) => e.detail);

let demoForm = '';
before(async () => {
  t = await createTestTable(() => now);
  demoForm = (
    await createForm(t.deps, {
      name: 'Demo request',
      fields: [{ name: 'email', label: 'Email', type: 'email', required: true }],
      tags: [],
      spam: { requireToken: false },
    })
  ).id;
});

describe('lead scoring', () => {
  it('gives a form submission its points once, makes the contact a lead, and records why', async () => {
    const c = await contacts.createContact(t.deps, { email: 'ada@example.com' });
    const submitted = formSubmitted(c.id);
    assert.equal(await scoreEvent(t.deps, submitted), 'scored');
    assert.equal(await scoreEvent(t.deps, submitted), 'duplicate', 'delivered twice, scored once');
    const standing = await viewStanding(t.deps, c.id);
    assert.equal(standing.score, 20, 'the default rule: 20 for a form');
    assert.equal(standing.stage, 'lead');
    assert.deepEqual(
      standing.history.map((h) => [h.reason, h.delta, h.score]),
      [['Submitted a form', 20, 20]],
    );
    const changed = (await published('ScoreChanged')).filter((d) => d.contactId === c.id);
    assert.deepEqual(
      changed.map((d) => [d.previousScore, d.score, d.thresholdReached]),
      [[0, 20, false]],
    );
    const staged = (await published('LifecycleStageChanged')).filter((d) => d.contactId === c.id);
    assert.deepEqual(
      staged.map((d) => [d.fromStage, d.toStage, d.reason]),
      [[undefined, 'lead', 'form_submitted']],
    );
  });

  it('counts two events of one contact scored at once, and scores nothing for an unknown contact', async () => {
    const c = await contacts.createContact(t.deps, { email: 'two@example.com' });
    const outcomes = await Promise.all([
      scoreEvent(t.deps, clicked(c.id)),
      scoreEvent(t.deps, formSubmitted(c.id)),
    ]);
    assert.deepEqual(outcomes, ['scored', 'scored']);
    assert.equal((await viewStanding(t.deps, c.id)).score, 25);
    assert.equal(await scoreEvent(t.deps, clicked('01JUNKNOWNCONTACT000000000')), 'no_contact');
  });

  it('decays points with the half-life, and the workspace’s own rules apply from the next event', async () => {
    const c = await contacts.createContact(t.deps, { email: 'decay@example.com' });
    await saveScoringSettings(t.deps, {
      rules: [
        { id: 'demo', name: 'Asked for a demo', on: 'form_submitted', filter: demoForm, points: 40 },
        { id: 'click', name: 'Clicked', on: 'email_clicked', points: 15 },
      ],
      threshold: 50,
      halfLifeDays: 10,
    });
    await scoreEvent(t.deps, formSubmitted(c.id, 'OTHER'));
    assert.equal((await viewStanding(t.deps, c.id)).score, 0, 'no rule for that form: only the stage moved');
    assert.equal((await viewStanding(t.deps, c.id)).stage, 'lead');
    await scoreEvent(t.deps, formSubmitted(c.id, demoForm));
    now = new Date(now.getTime() + 10 * 86_400_000);
    assert.equal((await viewStanding(t.deps, c.id)).score, 20, '40 after one half-life');
  });

  it('makes a contact that reaches the threshold an MQL, which starts the scoreReached workflows once', async () => {
    const engine = new RecordingEngine();
    const kit = workflowKit(t, engine);
    const onScore = await kit.publishedWorkflow({
      name: 'Hand to sales',
      trigger: { type: 'scoreReached' },
      steps: [{ id: 'task', type: 'createTask', title: 'Call this MQL', dueIn: 'P1D' }],
    });
    const onStage = await kit.publishedWorkflow({
      name: 'MQL nurture',
      trigger: { type: 'lifecycleStageChanged', stage: 'marketing_qualified_lead' },
      steps: [{ id: 'w', type: 'wait', duration: 'P1D' }],
    });
    const c = await contacts.createContact(t.deps, { email: 'mql@example.com' });
    await scoreEvent(t.deps, formSubmitted(c.id, demoForm));
    await scoreEvent(t.deps, clicked(c.id));
    await scoreEvent(t.deps, clicked(c.id));
    const standing = await viewStanding(t.deps, c.id);
    assert.equal(standing.score, 70);
    assert.equal(standing.stage, 'marketing_qualified_lead');
    const changes = (await published('ScoreChanged')).filter((d) => d.contactId === c.id);
    assert.deepEqual(
      changes.map((d) => d.thresholdReached),
      [false, true, false],
      'reached once, at 55',
    );
    const enrolled = [];
    for (const type of ['ScoreChanged', 'LifecycleStageChanged'] as const)
      for (const detail of (await published(type)).filter((d) => d.contactId === c.id))
        for (const trigger of triggersOf(parseEvent(type, detail)))
          enrolled.push(...(await enrollFromEvent(t.deps, engine, trigger)));
    assert.deepEqual(enrolled.map((e) => e.workflowId).sort(), [onScore.id, onStage.id].sort());
  });

  it('moves a contact to opportunity with a deal and to customer when it is won, never back by a rule', async () => {
    const pipeline = await createPipeline(t.deps, {
      name: 'Sales',
      stages: [
        { name: 'Qualified', probability: 0.2 },
        { name: 'Won', probability: 1 },
      ],
    });
    const c = await contacts.createContact(t.deps, { email: 'buyer@example.com' });
    const deal = await createDeal(t.deps, {
      title: 'Deal',
      amount: 100,
      currency: 'EUR',
      pipelineId: pipeline.id,
      stage: 'Qualified',
      contactId: c.id,
    });
    const dealEvent = async (type: 'DealCreated' | 'DealStageChanged') => {
      const detail = (await published(type)).find((d) => d.dealId === deal.id);
      assert.ok(detail, type);
      return parseEvent(type, detail);
    };
    await scoreEvent(t.deps, await dealEvent('DealCreated'));
    assert.equal((await viewStanding(t.deps, c.id)).stage, 'opportunity');
    await updateDeal(t.deps, deal.id, { stage: 'Won', version: deal.version });
    await scoreEvent(t.deps, await dealEvent('DealStageChanged'));
    assert.equal((await viewStanding(t.deps, c.id)).stage, 'customer');
    assert.equal(await scoreEvent(t.deps, formSubmitted(c.id, 'OTHER')), 'unchanged', 'a customer stays one');
    assert.equal((await viewStanding(t.deps, c.id)).stage, 'customer');
  });

  it('lets a person set any stage, with a version check, and keeps the score', async () => {
    const c = await contacts.createContact(t.deps, { email: 'manual@example.com' });
    await scoreEvent(t.deps, clicked(c.id));
    const before = await viewStanding(t.deps, c.id);
    const set = await setStage(t.deps, c.id, { stage: 'customer', expectedVersion: before.version });
    assert.equal(set.stage, 'customer');
    assert.equal(set.score, before.score);
    const back = await setStage(t.deps, c.id, { stage: 'lead' });
    assert.equal(back.stage, 'lead', 'by hand it may go back');
    await assert.rejects(
      setStage(t.deps, c.id, { stage: 'customer', expectedVersion: before.version }),
      (e: DomainError) => e instanceof DomainError && e.kind === 'conflict',
    );
    await assert.rejects(
      setStage(t.deps, '01JUNKNOWNCONTACT000000000', { stage: 'lead' }),
      (e: DomainError) => e instanceof DomainError && e.kind === 'not_found',
    );
    const manual = (await published('LifecycleStageChanged')).filter((d) => d.contactId === c.id);
    assert.deepEqual(
      manual.map((d) => [d.fromStage, d.toStage, d.reason]),
      [
        [undefined, 'customer', 'manual'],
        ['customer', 'lead', 'manual'],
      ],
    );
  });

  it('refuses filters that name nothing or are not spelled as their signal’s, and normalizes tags', async () => {
    await assert.rejects(
      saveScoringSettings(t.deps, {
        rules: [
          { id: 'a', name: 'A', on: 'form_submitted', filter: '01JF0000000000000000000000', points: 5 },
          { id: 'b', name: 'B', on: 'email_clicked', filter: 'not-a-template', points: 5 },
          { id: 'c', name: 'C', on: 'purchase_made', filter: 'My Shop!', points: 5 },
          { id: 'd', name: 'D', on: 'page_visited', filter: 'pricing', points: 5 },
          { id: 'e', name: 'E', on: 'event_tracked', filter: 'signed up', points: 5 },
        ],
        threshold: 50,
        halfLifeDays: 30,
      }),
      (e: DomainError) => {
        assert.ok(e instanceof DomainError && e.kind === 'invalid');
        assert.deepEqual(
          (e.details as Array<{ path: string }>).map((d) => d.path),
          ['rules.0.filter', 'rules.1.filter', 'rules.2.filter', 'rules.3.filter', 'rules.4.filter'],
        );
        return true;
      },
    );
    const saved = await saveScoringSettings(t.deps, {
      rules: [
        { id: 'vip', name: 'VIP', on: 'tag_added', filter: '  VIP  Customer ', points: 5 },
        { id: 'shop', name: 'Shop', on: 'purchase_made', filter: 'Shop', points: 5 },
      ],
      threshold: 50,
      halfLifeDays: 30,
    });
    assert.deepEqual(
      saved.rules.map((r) => r.filter),
      ['vip customer', 'shop'],
    );
  });

  it('refuses settings saved over a newer version, writing nothing', async () => {
    const current = await saveScoringSettings(t.deps, {
      rules: [{ id: 'click', name: 'Clicked', on: 'email_clicked', points: 15 }],
      threshold: 50,
      halfLifeDays: 10,
    });
    await assert.rejects(
      saveScoringSettings(t.deps, {
        rules: [],
        threshold: 10,
        halfLifeDays: 0,
        expectedVersion: current.version - 1,
      }),
      (e: DomainError) => e instanceof DomainError && e.kind === 'conflict',
    );
    const c = await contacts.createContact(t.deps, { email: 'after@example.com' });
    await scoreEvent(t.deps, clicked(c.id));
    assert.equal((await viewStanding(t.deps, c.id)).score, 15, 'the saved rules still apply');
  });

  it('lists a stage’s contacts, latest first, and a page’s scores and stages in one read', async () => {
    const a = await contacts.createContact(t.deps, { email: 'stage-a@example.com' });
    const b = await contacts.createContact(t.deps, { email: 'stage-b@example.com' });
    await setStage(t.deps, a.id, { stage: 'evangelist' });
    now = new Date(now.getTime() + 1000);
    await setStage(t.deps, b.id, { stage: 'evangelist' });
    const page1 = await contactsInStage(t.deps, 'evangelist', { limit: 1 });
    assert.deepEqual(
      page1.items.map((c) => c.email),
      ['stage-b@example.com'],
    );
    const page2 = await contactsInStage(t.deps, 'evangelist', { limit: 1, cursor: page1.nextCursor });
    assert.deepEqual(
      page2.items.map((c) => c.email),
      ['stage-a@example.com'],
    );
    // Moved on: no longer listed in its old stage.
    await setStage(t.deps, b.id, { stage: 'customer' });
    assert.deepEqual(
      (await contactsInStage(t.deps, 'evangelist', { limit: 10 })).items.map((c) => c.id),
      [a.id],
    );
    const plain = await contacts.createContact(t.deps, { email: 'no-standing@example.com' });
    const summaries = await standingsOf(t.deps, [a.id, b.id, plain.id]);
    assert.deepEqual(
      summaries.map((x) => [x.contactId, x.stage]).sort(),
      [
        [a.id, 'evangelist'],
        [b.id, 'customer'],
      ].sort(),
      'a contact with no standing is left out',
    );
  });

  it('is erased with the contact', async () => {
    const c = await contacts.createContact(t.deps, { email: 'gone@example.com' });
    await scoreEvent(t.deps, clicked(c.id));
    assert.ok((await t.deps.store.contactRecords(c.id)).some((r) => r.type === 'Standing'));
    await contacts.deleteContact(t.deps, c.id);
    assert.equal(await t.deps.store.getStanding(c.id), undefined);
    assert.deepEqual(await t.deps.store.listScoreChanges(c.id, 10), []);
  });

  it('moves stages where the workspace says, keeps the rest, and still never backwards', async () => {
    const current = await getScoringSettings(t.deps);
    assert.deepEqual(
      current.lifecycle.moves.formSubmitted,
      'lead',
      'settings saved before stages read the defaults',
    );
    const saved = await saveScoringSettings(t.deps, {
      rules: [{ id: 'click', name: 'Clicked', on: 'email_clicked', points: 30 }],
      threshold: 50,
      halfLifeDays: 0,
      lifecycle: {
        labels: { sales_qualified_lead: 'Ready for sales' },
        moves: { ...DEFAULT_LIFECYCLE.moves, formSubmitted: null, scoreReached: 'sales_qualified_lead' },
      },
    });
    assert.equal(saved.lifecycle.labels.sales_qualified_lead, 'Ready for sales');
    const c = await contacts.createContact(t.deps, { email: 'moves@example.com' });
    assert.equal(await scoreEvent(t.deps, formSubmitted(c.id, 'OTHER')), 'unchanged', 'that move is off');
    assert.equal((await viewStanding(t.deps, c.id)).stage, undefined);
    await scoreEvent(t.deps, clicked(c.id));
    await scoreEvent(t.deps, clicked(c.id));
    assert.equal((await viewStanding(t.deps, c.id)).stage, 'sales_qualified_lead');
    const moved = (await published('LifecycleStageChanged')).filter((d) => d.contactId === c.id);
    assert.deepEqual(
      moved.map((d) => [d.fromStage, d.toStage, d.reason]),
      [[undefined, 'sales_qualified_lead', 'score']],
    );

    // Saved again without stages: they stay as they were.
    const kept = await saveScoringSettings(t.deps, {
      rules: saved.rules,
      threshold: 50,
      halfLifeDays: 0,
      expectedVersion: saved.version,
    });
    assert.deepEqual(kept.lifecycle, saved.lifecycle);

    // A save naming one move changes that one; names given replace the names.
    const partial = await saveScoringSettings(t.deps, {
      rules: saved.rules,
      threshold: 50,
      halfLifeDays: 0,
      lifecycle: { moves: { dealCreated: null } },
    });
    assert.deepEqual(partial.lifecycle, {
      labels: saved.lifecycle.labels,
      moves: { ...saved.lifecycle.moves, dealCreated: null },
    });
  });
});
