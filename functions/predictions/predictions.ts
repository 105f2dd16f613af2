/**
 * Reading predictions: a contact's likelihood to convert by the stored model with the three features
 * that moved it most (or why there is no model yet), a customer's churn risk (churn.ts: its
 * engagement, and its latest MAX_CASES service cases — one query of its partition), the model's
 * summary, and the likelihoods the trainer stored (a list's column, a band's contacts).
 */
import type { Contact } from '#contacts/model.js';
import { notFound } from '#platform/errors.js';
import type { ListOptions, Page } from '#platform/store.js';
import type { Visit } from '#tracking/model.js';
import { churnRisk } from './churn.js';
import { emailEngagementOf, featureContext, lastActivityOf } from './features.js';
import type {
  ContactLikelihood,
  ContactPrediction,
  LikelihoodBand,
  PredictionModelView,
  TrainingRun,
} from './model.js';
import { MIN_POSITIVES, predict } from './rules.js';
import type { PredictionsDeps } from './store.js';

const DAY_MS = 86_400_000;
/** The churn windows' span: the raw visits are kept this long too. */
const CHURN_SPAN_DAYS = 90;
/** At most this many visits are read for a churn risk (newest first). */
const MAX_VISITS = 2_000;
/** The latest cases read for a churn risk (one page: older cases are rarely still open or rated lately). */
export const MAX_CASES = 100;

/** The trainer's period (the manifest's timer, 1,440 minutes; a unit test holds them equal). */
export const TRAINED_EVERY_HOURS = 24;

const noModelMessage = (run: TrainingRun | undefined) =>
  run?.outcome === 'skipped' && run.message
    ? `No model yet: ${run.message}`
    : `No model yet: it is trained every ${TRAINED_EVERY_HOURS} hours once at least ${MIN_POSITIVES} contacts have a won deal.`;

/** A contact's visits and events of the last 90 days, newest first (at most MAX_VISITS). */
async function recentVisits(deps: PredictionsDeps, contactId: string, now: Date): Promise<Visit[]> {
  const since = new Date(now.getTime() - CHURN_SPAN_DAYS * DAY_MS).toISOString();
  const out: Visit[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.store.listVisits(contactId, { limit: 200, cursor });
    for (const v of page.items) {
      if (v.at < since) return out;
      out.push(v);
    }
    cursor = page.nextCursor;
  } while (cursor && out.length < MAX_VISITS);
  return out;
}

export async function predictContact(deps: PredictionsDeps, contactId: string): Promise<ContactPrediction> {
  const [contact, model, run, standing, settings, web, sends] = await Promise.all([
    deps.store.getContact(contactId),
    deps.store.getPredictionModel(),
    deps.store.getTrainingRun(),
    deps.store.getStanding(contactId),
    deps.store.getScoringSettings(),
    deps.store.getWebSummary(contactId),
    deps.store.listSends(contactId),
  ]);
  if (!contact) throw notFound('contact', contactId);
  const now = deps.clock.now();
  const signals = {
    source: contact.source,
    tags: contact.tags.length,
    standing,
    web,
    email: emailEngagementOf(sends),
  };
  const out: ContactPrediction = model
    ? {
        contactId,
        status: 'predicted',
        ...predict(model, signals, featureContext(now, settings)),
        modelTrainedAt: model.trainedAt,
        modelAuc: Math.round(model.auc * 1000) / 1000,
      }
    : { contactId, status: 'no_model', factors: [], message: noModelMessage(run) };
  if (standing?.stage) out.stage = standing.stage;
  if (standing?.stage === 'customer') {
    const [visits, cases, [lastScored]] = await Promise.all([
      recentVisits(deps, contactId, now),
      deps.store.listContactCases(contactId, { limit: MAX_CASES }),
      deps.store.listScoreChanges(contactId, 1),
    ]);
    out.churn = churnRisk(
      {
        email: sends.flatMap((s) => [s.openedAt, s.clickedAt].filter((a): a is string => !!a)),
        pages: visits.filter((v) => v.type === 'page').map((v) => v.at),
        events: visits.filter((v) => v.type === 'event').map((v) => v.at),
        lastActivityAt: latest([
          lastActivityOf(signals),
          lastScored?.at,
          ...cases.items.map((c) => c.createdAt),
        ]),
        customerSince: standing.stageChangedAt,
        cases: cases.items,
      },
      now,
    );
  }
  return out;
}

/** The latest of these times (ISO strings sort as times). */
const latest = (times: Array<string | undefined>) =>
  times
    .filter((t): t is string => !!t)
    .sort()
    .at(-1);

export async function viewModel(deps: PredictionsDeps): Promise<PredictionModelView> {
  const [model, lastRun] = await Promise.all([deps.store.getPredictionModel(), deps.store.getTrainingRun()]);
  return {
    ...(model ? { model } : {}),
    ...(lastRun ? { lastRun } : {}),
    trainedEveryHours: TRAINED_EVERY_HOURS,
    minimumPositives: MIN_POSITIVES,
  };
}

/** The stored likelihoods of these contacts (those the trainer scored): a list page's column. */
export async function likelihoodsOf(
  deps: PredictionsDeps,
  contactIds: string[],
): Promise<ContactLikelihood[]> {
  const found = await deps.store.getContactLikelihoods(contactIds);
  return contactIds.flatMap((id) => found.get(id) ?? []);
}

/** The contacts of a likelihood band, the most likely first (two reads per page; erased ones left out). */
export async function contactsInBand(
  deps: PredictionsDeps,
  band: LikelihoodBand,
  options: ListOptions,
): Promise<Page<Contact>> {
  const page = await deps.store.listLikelihoodsInBand(band, options);
  const contacts = await deps.store.getContacts(page.items.map((l) => l.contactId));
  return {
    items: page.items.flatMap((l) => contacts.get(l.contactId) ?? []),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}
