/**
 * Stored likelihoods and churn from service cases on DynamoDB Local: after training, the trainer
 * stores every contact's likelihood and band (young contacts too: they are who the model is for);
 * the batch read answers a list page's ids, each band lists its contacts the most likely first,
 * paged, each contact in one band; a run again stores the same items, a contact whose likelihood
 * changed moves band, a capped run scores only what it read. A customer with open cases and a bad
 * CSAT rating has a higher churn risk than one without, explained by those factors.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { AppStore } from '#app/store.js';
import type { Contact } from '#contacts/model.js';
import * as contacts from '#contacts/rules.js';
import type { Deps } from '#platform/store.js';
import { HIGH_FROM, LIKELIHOOD_BANDS, type LikelihoodBand, MEDIUM_FROM } from '#predictions/model.js';
import { contactsInBand, likelihoodsOf, predictContact } from '#predictions/predictions.js';
import { trainModel } from '#predictions/training.js';
import { createDeal, createPipeline } from '#sales/pipelines.js';
import { setStage } from '#scoring/scoring.js';
import { openCase, updateCase } from '#service/cases.js';
import { rateCase } from '#service/csat.js';
import { createTestTable } from '#test/support/dynamo.js';
import { idSequence } from '#test/support/fixed-ids.js';

const DAY_MS = 86_400_000;
const start = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
let now = start;

/** ULID-shaped ids in a fixed sequence: the held-out contacts are the same every run. */
const sequence = idSequence;

let deps: Deps<AppStore>;
/** The table's own ULIDs: a case's reference is its id's last 8 characters, the sequence's are all 0. */
let ulids: Deps<AppStore>['ids'];
let pipelineId = '';
let seq = 0;

/** A contact created `age` days ago; `hot` ones are tagged (the signal the model learns). */
async function contact(age: number, hot: boolean, won: boolean): Promise<Contact> {
  now = new Date(start.getTime() - age * DAY_MS);
  const c = await contacts.createContact(deps, {
    email: `l${seq++}@likelihoods.example`,
    tags: hot ? ['demo', 'pricing', 'trial'] : [],
  });
  now = start;
  if (won)
    await createDeal(deps, {
      title: `Deal ${c.id}`,
      amount: 100,
      currency: 'EUR',
      pipelineId,
      stage: 'Won',
      contactId: c.id,
    });
  return c;
}

/** Every contact of a band, page by page. */
async function allInBand(band: LikelihoodBand, limit = 7): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await contactsInBand(deps, band, { limit, cursor });
    ids.push(...page.items.map((c) => c.id));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

describe('stored likelihoods', () => {
  let youngHot = '';
  let youngCold = '';
  let all: string[] = [];

  before(async () => {
    const t = await createTestTable(() => now);
    deps = { ...t.deps, ids: { next: sequence('01KLIKE') } };
    ulids = t.deps.ids;
    const pipeline = await createPipeline(deps, {
      name: 'Sales',
      stages: [
        { name: 'Qualified', probability: 0.2 },
        { name: 'Won', probability: 1 },
      ],
    });
    pipelineId = pipeline.id;
    for (let i = 0; i < 24; i++) all.push((await contact(120, true, true)).id);
    for (let i = 0; i < 26; i++) all.push((await contact(120, false, false)).id);
    for (let i = 0; i < 2; i++) all.push((await contact(120, true, false)).id);
    youngHot = (await contact(10, true, false)).id;
    youngCold = (await contact(10, false, false)).id;
    all = [...all, youngHot, youngCold];
  });

  it('scores every contact read after training, each in the band of its likelihood', async () => {
    const run = await trainModel(deps);
    assert.equal(run.outcome, 'trained', JSON.stringify(run));
    assert.equal(run.contactsRead, all.length);
    assert.equal(run.scored, all.length, 'every contact read, labeled or not');
    const model = await deps.store.getPredictionModel();
    const stored = await likelihoodsOf(deps, [youngHot, youngCold, '01KNOSUCHCONTACT0000000000']);
    assert.deepEqual(
      stored.map((l) => l.contactId),
      [youngHot, youngCold],
      'in the order asked; unknown ids have none',
    );
    const [hot, cold] = stored;
    assert.ok(hot && cold);
    assert.ok(hot.likelihood > cold.likelihood, `${hot.likelihood} > ${cold.likelihood}`);
    assert.equal(hot.band, 'high');
    assert.equal(cold.band, 'low');
    assert.equal(hot.scoredAt, now.toISOString());
    assert.equal(hot.modelTrainedAt, model?.trainedAt);
    // The same number as the contact's prediction.
    assert.equal((await predictContact(deps, youngHot)).likelihood, hot.likelihood);
    for (const l of await likelihoodsOf(deps, all))
      assert.equal(
        l.band,
        l.likelihood >= HIGH_FROM ? 'high' : l.likelihood >= MEDIUM_FROM ? 'medium' : 'low',
      );
  });

  it('lists each band’s contacts, the most likely first, paged, each contact in one band', async () => {
    const bands = Object.fromEntries(
      await Promise.all(LIKELIHOOD_BANDS.map(async (b) => [b, await allInBand(b)] as const)),
    ) as Record<LikelihoodBand, string[]>;
    assert.ok(bands.high.includes(youngHot));
    assert.ok(bands.low.includes(youngCold));
    assert.deepEqual(
      [...bands.low, ...bands.medium, ...bands.high].sort(),
      [...all].sort(),
      'every contact, once',
    );
    const stored = new Map((await likelihoodsOf(deps, bands.high)).map((l) => [l.contactId, l.likelihood]));
    const likelihoods = bands.high.map((id) => stored.get(id) as number);
    assert.deepEqual(
      likelihoods,
      [...likelihoods].sort((a, b) => b - a),
    );
    const first = await contactsInBand(deps, 'high', { limit: 2 });
    assert.equal(first.items.length, 2);
    assert.equal(first.items[0]?.email.endsWith('@likelihoods.example'), true, 'contacts, not ids');
    assert.ok(first.nextCursor);
  });

  it('stores the same items again, moves a contact whose likelihood changed, and scores only what a capped run read', async () => {
    const before = await likelihoodsOf(deps, all);
    const again = await trainModel(deps);
    assert.equal(again.scored, all.length);
    assert.deepEqual(await likelihoodsOf(deps, all), before, 'the same data, the same items');
    assert.equal((await allInBand('low', 100)).length, before.filter((l) => l.band === 'low').length);

    // The young cold contact is tagged like the converted ones: the next run moves it.
    await contacts.addTags(deps, youngCold, ['demo', 'pricing', 'trial']);
    now = new Date(start.getTime() + 3_600_000);
    await trainModel(deps);
    const [moved] = await likelihoodsOf(deps, [youngCold]);
    assert.equal(moved?.band, 'high');
    assert.equal(moved?.scoredAt, now.toISOString());
    assert.ok(!(await allInBand('low', 100)).includes(youngCold), 'not in its old band');
    assert.ok((await allInBand('high', 100)).includes(youngCold));

    // A capped run reads (and scores) the newest contacts only; the others keep their last score.
    const scoredBefore = now.toISOString();
    now = new Date(now.getTime() + 3_600_000);
    const capped = await trainModel(deps, { maxContacts: 10 });
    assert.equal(capped.capped, true);
    assert.equal(capped.scored, 10);
    const times = (await likelihoodsOf(deps, all)).map((l) => l.scoredAt);
    assert.equal(times.filter((at) => at === now.toISOString()).length, 10);
    assert.equal(times.filter((at) => at === scoredBefore).length, all.length - 10);
    now = start;
  });
});

describe('churn risk from service cases', () => {
  it('is higher for a customer with open cases and a bad rating, explained by them', async () => {
    const quiet = await contact(200, false, false);
    const unhappy = await contact(200, false, false);
    for (const c of [quiet, unhappy]) await setStage(deps, c.id, { stage: 'customer' });
    const opening = (subject: string, priority: 'normal' | 'urgent') => ({
      subject,
      email: unhappy.email,
      priority,
      channel: 'api' as const,
      tags: [],
      message: { kind: 'inbound' as const, from: unhappy.email, text: 'It broke again.', attachments: [] },
    });
    // A case opened 20 days ago, urgent and still open; another resolved and rated 1 of 5.
    const service = { ...deps, ids: ulids };
    now = new Date(start.getTime() - 20 * DAY_MS);
    await openCase(service, opening('Export fails', 'urgent'));
    now = new Date(start.getTime() - 3 * DAY_MS);
    const rated = await openCase(service, opening('Invoice wrong', 'normal'));
    await updateCase(service, rated.id, { status: 'resolved' });
    now = start;
    await rateCase(service, rated.id, 1, 'Took too long.');

    const base = (await predictContact(deps, quiet.id)).churn;
    const churn = (await predictContact(deps, unhappy.id)).churn;
    assert.ok(base && churn);
    assert.equal(churn.openCases, 1);
    assert.equal(churn.csatAverage, 1);
    // Urgent and old: 3 of 4 points of 0.25; a rating of 1: 0.15; but writing to support is activity:
    // silent for 3 days (0.25 × 3/60) where the quiet one never was active (0.25).
    assert.equal(Math.round((churn.risk - base.risk) * 1000) / 1000, 0.1);
    assert.equal(churn.lastActivityAt, new Date(start.getTime() - 3 * DAY_MS).toISOString());
    assert.ok(churn.risk > base.risk);
    const factor = (f: string) => churn.factors.find((x) => x.feature === f);
    assert.equal(factor('openCases')?.contribution, 0.188);
    assert.equal(factor('openCases')?.detail, '1 open case (1 high or urgent, 1 open over 14 days)');
    assert.equal(factor('satisfaction')?.contribution, 0.15);
    assert.match(
      factor('satisfaction')?.detail ?? '',
      /^Last rated 1 of 5, 0 days ago; average 1 of 5 from 1 rating/,
    );
    assert.equal(base.openCases, 0);
    assert.equal(
      base.factors.some((f) => f.feature === 'openCases' || f.feature === 'satisfaction'),
      false,
    );
  });
});
