/**
 * Synthetic contacts for the conversion model (unit tests and bench/predictions.ts): signals drawn
 * from a seeded generator, labels drawn from a **planted** logistic model over the very feature
 * values the product computes (features.ts), so what training should find is known.
 */
import { type ContactSignals, type FeatureContext, featureRow } from '#predictions/features.js';
import { sigmoid } from '#predictions/logistic.js';
import { BASE_FEATURES } from '#predictions/model.js';
import type { Example } from '#predictions/rules.js';
import type { LifecycleStage } from '#scoring/model.js';

/** A small seeded generator (mulberry32): the same seed, the same contacts. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A standard normal draw (Box–Muller). */
export const normal = (rand: () => number) =>
  Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

export const SYNTHETIC_NOW = new Date('2026-12-01T00:00:00.000Z');
export const SYNTHETIC_CONTEXT: FeatureContext = { now: SYNTHETIC_NOW, halfLifeDays: 30 };

/** The planted model: log-odds = intercept + Σ coefficient × feature value (raw, as features.ts makes them). */
export const PLANTED = {
  intercept: -4.2,
  coefficients: {
    score: 0.03,
    stage: 0.3,
    pageViews: 0.55,
    productEvents: 0.25,
    emailOpens: 0.1,
    emailClicks: 0.6,
    daysSinceActivity: -0.008,
    tags: 0.05,
    'source:form': 0.8,
    'source:import': -0.6,
  } as Record<string, number>,
};
export const PLANTED_FEATURES = [...BASE_FEATURES, 'source:form', 'source:import'];

const STAGES: Array<LifecycleStage | undefined> = [
  undefined,
  'subscriber',
  'lead',
  'marketing_qualified_lead',
  'sales_qualified_lead',
];
const SOURCES = ['form:01JFORM0000000000000000000', 'import', 'purchase:shop', 'newsletter', undefined];
const SOURCE_WEIGHTS = [0.35, 0.25, 0.1, 0.1, 0.2];
const DAY_MS = 86_400_000;

const count = (rand: () => number, mu: number, sigma: number) =>
  Math.max(0, Math.floor(Math.exp(mu + sigma * normal(rand)) - 1));
const daysAgo = (days: number) => new Date(SYNTHETIC_NOW.getTime() - days * DAY_MS).toISOString();

function signalsOf(rand: () => number, id: string): ContactSignals {
  const points = Math.max(0, Math.round(25 + 20 * normal(rand)));
  const stage = STAGES[Math.floor(rand() * STAGES.length)];
  const pageViews = count(rand, 1.5, 1.1);
  const events = count(rand, 0.8, 1);
  const opens = count(rand, 1.2, 0.9);
  const clicks = Math.min(opens, count(rand, 0.5, 0.9));
  let pick = rand();
  let source: string | undefined;
  for (let i = 0; i < SOURCES.length; i++) {
    pick -= SOURCE_WEIGHTS[i] as number;
    if (pick < 0) {
      source = SOURCES[i];
      break;
    }
  }
  return {
    source,
    tags: Math.floor(rand() * 5),
    standing: {
      contactId: id,
      points,
      asOf: SYNTHETIC_NOW.toISOString(),
      awarded: {},
      ...(stage ? { stage } : {}),
      qualified: points >= 50,
      version: 1,
    },
    web:
      pageViews + events > 0
        ? { pageViews, events, lastSeenAt: daysAgo(rand() * 300), firstSeenAt: daysAgo(400) }
        : { pageViews: 0, events: 0 },
    email: { opens, clicks, ...(opens > 0 ? { lastEngagedAt: daysAgo(rand() * 300) } : {}) },
  };
}

/** The planted model's probability for a contact. */
export function plantedProbability(signals: ContactSignals): number {
  const values = featureRow(signals, PLANTED_FEATURES, SYNTHETIC_CONTEXT).values;
  let eta = PLANTED.intercept;
  PLANTED_FEATURES.forEach((f, j) => {
    eta += (PLANTED.coefficients[f] ?? 0) * (values[j] as number);
  });
  return sigmoid(eta);
}

/** `n` labeled contacts, labels drawn from the planted model. */
export function syntheticExamples(n: number, seed = 42): Array<Example & { planted: number }> {
  const rand = seeded(seed);
  return Array.from({ length: n }, (_, i) => {
    const id = `SYN${String(i).padStart(23, '0')}`;
    const signals = signalsOf(rand, id);
    const planted = plantedProbability(signals);
    return { id, label: rand() < planted ? 1 : 0, signals, planted };
  });
}
