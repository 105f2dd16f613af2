/**
 * Training the conversion model (the `predictions-trainer` timer, once a day): reads the contacts
 * through the paged list of all contacts (newest first; never a Scan), reads their features in
 * batches (all of them: every contact is scored after), labels them (rules.ts), trains, scores every
 * contact read (below), and stores the model with the run's account in one commit. A run that cannot
 * train (too few converted contacts…) stores why and keeps the previous model.
 *
 * Bounded: at most MAX_CONTACTS_PER_RUN (50,000) contacts are read per run — about 50,000 queries
 * of send ledgers and 1,000 batch reads, a few minutes at most of the function's 15 — and reading
 * also stops while TIME_RESERVE_MS remain before the deadline; the run then trains on the newest
 * contacts read and says `capped`. Deals are read pipeline by pipeline, each board whole.
 *
 * Scoring: every contact read (labeled or not: the young ones are who the model is for) gets its
 * likelihood and band stored by the model in force — the one just trained, or the previous one when
 * the run kept it (none: nothing is scored) — in batch writes of SCORE_CHUNK, newest contacts first,
 * before the model and the run are committed. Writing stops while SCORE_RESERVE_MS remain before the
 * deadline; the run's `scored` then says how many were written. A contact not reached (past the
 * cap, or the deadline) keeps the likelihood of the last run that reached it, dated by `scoredAt`,
 * and one never reached has none (the list shows "—"); the next day's run starts again from the
 * newest contacts.
 *
 * Idempotent: the run's writes are two puts of fixed items and a put per contact of its key, and
 * training is deterministic (the
 * holdout is a hash of the id, Newton's method starts from the same point), so a run repeated over
 * the same data stores the same model. A timer's event redelivered (Lambda's retries of an
 * asynchronous invocation) carries the same time: a run already recorded for it is not repeated.
 * The timer also does nothing within an hour of the last run: local mode's timers fire at start and
 * time-scaled (every few seconds with TENDRIL_TIME_SCALE=86400), and reading every contact that
 * often would only repeat the same model.
 */

import type { Contact } from '#contacts/model.js';
import { timeLeft } from '#platform/deadline.js';
import { isWonStage } from '#sales/model.js';
import { DEFAULT_SCORING } from '#scoring/model.js';
import { type ContactSignals, emailEngagementOf, type FeatureContext, featureContext } from './features.js';
import { bandOf, type PredictionModel, type TrainingRun } from './model.js';
import { type Example, LABEL_DAYS, labelFor, predict, type TrainingOptions, train } from './rules.js';
import type { PredictionsDeps } from './store.js';

export const MAX_CONTACTS_PER_RUN = 50_000;
/** Contacts read per page of the contact list (and features per batch). */
const PAGE_SIZE = 100;
/** Send ledgers read at once. */
const CONCURRENCY = 8;
/** Reading stops this long before the deadline, to train, score and commit. */
const TIME_RESERVE_MS = 60_000;
/** Likelihoods stored per batch of writes (four BatchWriteItem requests), SCORE_CONCURRENCY at once. */
const SCORE_CHUNK = 100;
const SCORE_CONCURRENCY = 4;
/** Scoring stops this long before the deadline, to commit the model and the run. */
const SCORE_RESERVE_MS = 15_000;

export interface TrainRunOptions extends TrainingOptions {
  /** The scheduled event's time (a redelivery of the same event does nothing). */
  runKey?: string | undefined;
  /** Do nothing when the last run is younger than this (the timer's guard; absent: always run). */
  notWithinMinutes?: number;
  maxContacts?: number;
}

/** The ids of contacts with a won deal: every pipeline's board, deals in a stage of probability 1. */
export async function wonContactIds(deps: Pick<PredictionsDeps, 'store'>): Promise<Set<string>> {
  const won = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await deps.store.listPipelines({ limit: 100, cursor });
    for (const pipeline of page.items)
      for (const deal of await deps.store.listDealsOnBoard(pipeline.id))
        if (deal.contactId && isWonStage(pipeline, deal.stage)) won.add(deal.contactId);
    cursor = page.nextCursor;
  } while (cursor);
  return won;
}

/** Runs `work` over `items`, `limit` at a time, results in order. */
async function inBatches<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += limit)
    out.push(...(await Promise.all(items.slice(i, i + limit).map(work))));
  return out;
}

/** The signals of these contacts: standings and summaries in batches, each send ledger by query. */
export async function signalsOf(
  deps: Pick<PredictionsDeps, 'store'>,
  contacts: Contact[],
): Promise<Map<string, ContactSignals>> {
  const ids = contacts.map((c) => c.id);
  const [standings, summaries, ledgers] = await Promise.all([
    deps.store.getStandings(ids),
    deps.store.getWebSummaries(ids),
    inBatches(ids, CONCURRENCY, (id) => deps.store.listSends(id)),
  ]);
  return new Map(
    contacts.map((c, i) => [
      c.id,
      {
        source: c.source,
        tags: c.tags.length,
        standing: standings.get(c.id),
        web: summaries.get(c.id),
        email: emailEngagementOf(ledgers[i] ?? []),
      },
    ]),
  );
}

export async function trainModel(deps: PredictionsDeps, options: TrainRunOptions = {}): Promise<TrainingRun> {
  const now = deps.clock.now();
  if (options.runKey || options.notWithinMinutes) {
    const last = await deps.store.getTrainingRun();
    if (last && options.runKey && last.runKey === options.runKey) return last;
    if (
      last &&
      options.notWithinMinutes &&
      now.getTime() - Date.parse(last.at) < options.notWithinMinutes * 60_000
    )
      return last;
  }
  const labelDays = options.labelDays ?? LABEL_DAYS;
  const max = options.maxContacts ?? MAX_CONTACTS_PER_RUN;
  const [settings, won] = await Promise.all([deps.store.getScoringSettings(), wonContactIds(deps)]);
  const examples: Example[] = [];
  /** Every contact read, newest first, to be scored. */
  const everyone: Array<{ id: string; signals: ContactSignals }> = [];
  let read = 0;
  let cursor: string | undefined;
  do {
    if (read >= max || timeLeft() < TIME_RESERVE_MS) break;
    const page = await deps.store.listContacts({ limit: Math.min(PAGE_SIZE, max - read), cursor });
    read += page.items.length;
    cursor = page.nextCursor;
    const signals = await signalsOf(deps, page.items);
    for (const contact of page.items) {
      const of = signals.get(contact.id) as ContactSignals;
      everyone.push({ id: contact.id, signals: of });
      const label = labelFor(contact, won, now, labelDays);
      if (label !== undefined) examples.push({ id: contact.id, label, signals: of });
    }
  } while (cursor);
  const ctx = featureContext(now, settings ?? DEFAULT_SCORING);
  const outcome = train(examples, ctx, { ...options, labelDays });
  const model = outcome.outcome === 'trained' ? outcome.model : await deps.store.getPredictionModel();
  const scored = model ? await scoreContacts(deps, model, everyone, ctx) : undefined;
  const run: TrainingRun = {
    at: now.toISOString(),
    outcome: outcome.outcome,
    ...(outcome.outcome === 'skipped' ? { reason: outcome.reason, message: outcome.message } : {}),
    contactsRead: read,
    labeled: examples.length,
    positives: examples.filter((e) => e.label === 1).length,
    capped: cursor !== undefined,
    ...(options.runKey ? { runKey: options.runKey } : {}),
    ...(scored !== undefined ? { scored } : {}),
  };
  await deps.store.commit([
    ...(outcome.outcome === 'trained' ? [{ kind: 'putPredictionModel' as const, model: outcome.model }] : []),
    { kind: 'putTrainingRun', run },
  ]);
  return run;
}

/**
 * Stores each contact's likelihood and band by `model`, in chunks, until SCORE_RESERVE_MS remain
 * before the deadline; returns how many were stored (the first ones: the newest contacts).
 */
export async function scoreContacts(
  deps: Pick<PredictionsDeps, 'store'>,
  model: PredictionModel,
  contacts: Array<{ id: string; signals: ContactSignals }>,
  ctx: FeatureContext,
): Promise<number> {
  const scoredAt = ctx.now.toISOString();
  const chunks: Array<typeof contacts> = [];
  for (let i = 0; i < contacts.length; i += SCORE_CHUNK) chunks.push(contacts.slice(i, i + SCORE_CHUNK));
  let stored = 0;
  for (let i = 0; i < chunks.length; i += SCORE_CONCURRENCY) {
    if (timeLeft() < SCORE_RESERVE_MS) break;
    const group = chunks.slice(i, i + SCORE_CONCURRENCY);
    await Promise.all(
      group.map((chunk) =>
        deps.store.putContactLikelihoods(
          chunk.map(({ id, signals }) => {
            const { likelihood } = predict(model, signals, ctx);
            return {
              contactId: id,
              likelihood,
              band: bandOf(likelihood),
              scoredAt,
              modelTrainedAt: model.trainedAt,
            };
          }),
        ),
      ),
    );
    stored += group.reduce((n, chunk) => n + chunk.length, 0);
  }
  return stored;
}
