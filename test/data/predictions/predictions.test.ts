/**
 * Conversion predictions on DynamoDB Local: the trainer reads real stored contacts, won deals,
 * standings, site summaries and send ledgers through the paged contact list, trains, and stores the
 * model with its run (capped runs say so; a timer's redelivered event does not train again); a
 * contact's prediction is read with its factors, a customer's churn risk from its stored visits;
 * with too few converted contacts the run is skipped, says why, and predictions say "no model yet".
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { AppStore } from '#app/store.js';
import * as contacts from '#contacts/rules.js';
import { DomainError } from '#platform/errors.js';
import { makeEvent } from '#platform/events.js';
import type { Deps } from '#platform/store.js';
import { isHoldout } from '#predictions/logistic.js';
import { predictContact, viewModel } from '#predictions/predictions.js';
import { signalsOf, trainModel } from '#predictions/training.js';
import { createDeal, createPipeline } from '#sales/pipelines.js';
import { scoreEvent, setStage } from '#scoring/scoring.js';
import { createTestTable, type TestTable } from '#test/support/dynamo.js';
import { idSequence } from '#test/support/fixed-ids.js';

const DAY_MS = 86_400_000;
// Near the real time: raw visits carry a TTL that DynamoDB Local honours.
const start = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
let now = start;
const daysAgo = (d: number) => new Date(now.getTime() - d * DAY_MS);

/** ULID-shaped ids in a fixed sequence: the held-out contacts are the same every run. */
const sequence = idSequence;

interface World {
  t: TestTable;
  deps: Deps<AppStore>;
  pipelineId: string;
  seq: number;
}

async function world(prefix: string): Promise<World> {
  const t = await createTestTable(() => now);
  const deps = { ...t.deps, ids: { next: sequence(prefix) } };
  now = daysAgo(0);
  const pipeline = await createPipeline(deps, {
    name: 'Sales',
    stages: [
      { name: 'Qualified', probability: 0.2 },
      { name: 'Won', probability: 1 },
    ],
  });
  return { t, deps, pipelineId: pipeline.id, seq: 0 };
}

/** A contact created `age` days ago; `hot` ones were tagged, asked for a demo and read the pricing page. */
async function contact(w: World, age: number, hot: boolean, won: boolean) {
  const was = now;
  now = new Date(was.getTime() - age * DAY_MS);
  const c = await contacts.createContact(w.deps, {
    email: `c${w.seq++}@predictions.example`,
    source: hot ? `form:demo` : 'import',
    tags: hot ? ['demo', 'pricing'] : [],
  });
  now = was;
  if (hot) {
    const event = makeEvent(
      'FormSubmitted',
      { contactId: c.id, formId: 'F1', activityId: 'a', created: false } as never,
      {
        eventId: `ev-${c.id}`,
        occurredAt: now.toISOString(),
      },
    );
    assert.equal(await scoreEvent(w.deps, event as never), 'scored');
    await w.deps.store.commit([
      {
        kind: 'recordVisits',
        contactId: c.id,
        visits: [
          { id: `v-${c.id}`, at: daysAgo(3).toISOString(), type: 'page', path: '/pricing', source: 'site' },
        ],
      },
    ]);
  }
  if (won)
    await createDeal(w.deps, {
      title: `Deal ${c.id}`,
      amount: 100,
      currency: 'EUR',
      pipelineId: w.pipelineId,
      stage: 'Won',
      contactId: c.id,
    });
  return c;
}

/** An email of a campaign sent to the contact, opened `openedDaysAgo` days ago. */
async function openedEmail(w: World, contactId: string, campaignId: string, openedDaysAgo: number) {
  const at = daysAgo(openedDaysAgo).toISOString();
  const send = {
    enrollmentId: 'campaign',
    stepId: campaignId,
    contactId,
    templateId: 'T',
    status: 'sending' as const,
    claimedUntil: at,
  };
  await w.deps.store.commit([{ kind: 'claimSend', send }]);
  await w.deps.store.commit([
    {
      kind: 'completeSend',
      send: { ...send, status: 'sent', messageId: `m-${contactId}-${campaignId}`, sentAt: at },
    },
  ]);
  await w.deps.store.commit([{ kind: 'recordEngagement', send, type: 'opened', at }]);
}

describe('conversion predictions', () => {
  let w: World;
  const hot: string[] = [];
  const cold: string[] = [];
  let young = '';

  before(async () => {
    w = await world('01KPRED');
    // 26 converted (hot, a won deal; one of them only 10 days old), 34 old enough without one
    // (3 of them hot too), 4 too young to count.
    for (let i = 0; i < 25; i++) hot.push((await contact(w, 120, true, true)).id);
    hot.push((await contact(w, 10, true, true)).id);
    for (let i = 0; i < 31; i++) cold.push((await contact(w, 120, false, false)).id);
    for (let i = 0; i < 3; i++) cold.push((await contact(w, 120, true, false)).id);
    for (let i = 0; i < 3; i++) await contact(w, 10, false, false);
    young = (await contact(w, 10, true, false)).id;
    await openedEmail(w, hot[0] as string, 'C1', 5);
    await openedEmail(w, hot[0] as string, 'C2', 2);
  });

  it('reads each contact’s features from what is stored', async () => {
    const c = await w.deps.store.getContact(hot[0] as string);
    const signals = (await signalsOf(w.deps, [c as never])).get(hot[0] as string);
    assert.equal(signals?.tags, 2);
    assert.equal(signals?.source, 'form:demo');
    assert.equal(signals?.standing?.points, 20);
    assert.equal(signals?.standing?.stage, 'lead');
    assert.equal(signals?.web?.pageViews, 1);
    assert.deepEqual(signals?.email, { opens: 2, clicks: 0, lastEngagedAt: daysAgo(2).toISOString() });
  });

  it('trains on the labeled contacts and stores the model with its held-out AUC', async () => {
    const run = await trainModel(w.deps);
    assert.deepEqual(
      { ...run, at: undefined },
      {
        at: undefined,
        outcome: 'trained',
        contactsRead: 64,
        labeled: 60,
        positives: 26,
        capped: false,
        scored: 64,
      },
    );
    const view = await viewModel(w.deps);
    const model = view.model;
    assert.ok(model, 'stored');
    const labeled = [...hot, ...cold];
    const held = labeled.filter((id) => isHoldout(id));
    assert.equal(model.holdoutSize, held.length);
    assert.equal(model.trainingSize, labeled.length - held.length);
    assert.equal(model.holdoutPositives, held.filter((id) => hot.includes(id)).length);
    assert.equal(model.trainedAt, now.toISOString());
    assert.equal(model.labelDays, 90);
    assert.ok(model.auc >= 0.9, `the hot ones are easy to tell: AUC ${model.auc}`);
    const coef = (f: string) => model.coefficients.find((c) => c.feature === f);
    assert.ok((coef('score')?.coefficient as number) > 0);
    assert.ok((coef('tags')?.coefficient as number) > 0);
    assert.equal(coef('pageViews')?.label, 'Page views');
    assert.deepEqual(view.lastRun, run);
    assert.equal(view.trainedEveryHours, 24);
  });

  it('predicts with the stored model, explained by its top three factors', async () => {
    const likely = await predictContact(w.deps, young);
    assert.equal(likely.status, 'predicted');
    assert.equal(likely.factors.length, 3);
    for (const f of likely.factors) assert.ok(f.label && f.detail && Number.isFinite(f.contribution));
    const stored = await w.deps.store.getPredictionModel();
    assert.equal(likely.modelTrainedAt, stored?.trainedAt);
    assert.equal(likely.modelAuc, Math.round((stored?.auc as number) * 1000) / 1000);
    assert.equal(likely.stage, 'lead');
    assert.equal(likely.churn, undefined, 'not a customer');
    const unlikely = await predictContact(w.deps, cold[0] as string);
    assert.ok(
      (likely.likelihood as number) > (unlikely.likelihood as number),
      `${likely.likelihood} > ${unlikely.likelihood}`,
    );
    await assert.rejects(
      predictContact(w.deps, '01KNOSUCHCONTACT0000000000'),
      (e) => e instanceof DomainError && e.kind === 'not_found',
    );
  });

  it('gives a customer whose visits stopped a churn risk, from its stored visits', async () => {
    const id = cold[1] as string;
    await setStage(w.deps, id, { stage: 'customer' });
    await w.deps.store.commit([
      {
        kind: 'recordVisits',
        contactId: id,
        visits: [40, 50, 60, 70, 80, 85].map((d) => ({
          id: `old-${d}`,
          at: daysAgo(d).toISOString(),
          type: 'page' as const,
          path: '/docs',
          source: 'site' as const,
        })),
      },
    ]);
    const p = await predictContact(w.deps, id);
    assert.equal(p.stage, 'customer');
    // Drop 0.35 (6 visits before, none since) + silence 0.25 × 40/60; no cases.
    assert.equal(p.churn?.risk, Math.round((0.35 + (0.25 * 40) / 60) * 1000) / 1000);
    assert.equal(p.churn?.level, 'medium');
    assert.equal(p.churn?.openCases, 0);
    assert.equal(p.churn?.recentEngagement, 0);
    assert.equal(p.churn?.previousEngagement, 3);
    assert.deepEqual(
      p.churn?.factors.map((f) => f.feature),
      ['pageViews', 'daysSinceActivity'],
    );
  });

  it('says when reading stopped at the cap, and does not run twice for one timer event or within the hour', async () => {
    const capped = await trainModel(w.deps, { maxContacts: 30 });
    assert.equal(capped.capped, true);
    assert.equal(capped.contactsRead, 30);
    const first = await trainModel(w.deps, { runKey: '2026-12-02T00:00:00Z' });
    assert.equal(first.capped, false);
    const model = await w.deps.store.getPredictionModel();
    now = new Date(now.getTime() + 60_000);
    const again = await trainModel(w.deps, { runKey: '2026-12-02T00:00:00Z' });
    assert.deepEqual(again, first, 'the recorded run, not a new one');
    assert.deepEqual(await w.deps.store.getPredictionModel(), model);
    // The timer's guard: nothing within the hour after a run, a new run after it.
    assert.deepEqual(await trainModel(w.deps, { notWithinMinutes: 60 }), first);
    now = new Date(now.getTime() + 60 * 60_000);
    const later = await trainModel(w.deps, { notWithinMinutes: 60 });
    assert.equal(later.at, now.toISOString());
    now = start;
  });
});

describe('conversion predictions with too few converted contacts', () => {
  it('skip training, say why, and keep predictions at "no model yet"', async () => {
    const w = await world('01KFEWP');
    for (let i = 0; i < 5; i++) await contact(w, 120, true, true);
    for (let i = 0; i < 30; i++) await contact(w, 120, false, false);
    const before = await predictContact(
      w.deps,
      (await w.deps.store.listContacts({ limit: 1 })).items[0]?.id as string,
    );
    assert.equal(before.status, 'no_model');
    assert.match(
      before.message as string,
      /^No model yet: it is trained every 24 hours once at least 20 contacts/,
    );

    const run = await trainModel(w.deps);
    assert.equal(run.outcome, 'skipped');
    assert.equal(run.reason, 'too_few_positives');
    assert.equal(run.message, '5 contacts have a won deal; training needs at least 20.');
    assert.equal(await w.deps.store.getPredictionModel(), undefined);
    const view = await viewModel(w.deps);
    assert.equal(view.model, undefined);
    assert.deepEqual(view.lastRun, run);
    const id = (await w.deps.store.listContacts({ limit: 1 })).items[0]?.id as string;
    const p = await predictContact(w.deps, id);
    assert.deepEqual(
      { status: p.status, message: p.message, factors: p.factors, likelihood: p.likelihood },
      {
        status: 'no_model',
        message: 'No model yet: 5 contacts have a won deal; training needs at least 20.',
        factors: [],
        likelihood: undefined,
      },
    );
  });
});
