/**
 * The features of a contact, from what the workspace already stores, and the explanation of a
 * prediction made from them. Pure: no storage, no time but the one passed in.
 *
 * | feature | from | as |
 * |---|---|---|
 * | `score` | scoring's standing: points decayed to now with the workspace's half-life | the score |
 * | `stage` | the standing's lifecycle stage, **as marketing reached it** (below) | 0 none … 4 sales qualified |
 * | `pageViews` | tracking's summary (lasting counts) | log(1 + n) |
 * | `productEvents` | tracking's summary | log(1 + n) |
 * | `emailOpens` | the send ledger: emails of the contact that were opened | log(1 + n) |
 * | `emailClicks` | the send ledger: emails clicked | log(1 + n) |
 * | `daysSinceActivity` | the latest of the summary's last visit and the last open or click | days, at most 365 (never: 365) |
 * | `tags` | the contact's tags | how many |
 * | `source:<name>` | the contact's `source`, its part before `:` (`form:…` → form) | 1 or 0, for the model's few common sources |
 *
 * Counts are taken as log(1 + n) so a contact with 900 page views does not weigh 100 times one with 9.
 *
 * The stage as marketing reached it: opportunity and customer are what a deal does to a contact
 * (scoring moves a contact there when a deal is created or won), so the stage itself would tell the
 * label — every converted contact would be a customer. A contact at opportunity, customer or
 * evangelist counts as marketing qualified when its score qualified it (the standing's `qualified`),
 * else as a lead. What a won deal changes after the fact (activity of a customer, a `customer` tag,
 * points of a purchase) is still in the other features: a snapshot model cannot go back in time.
 */
import type { EmailSend } from '#messaging/model.js';
import { DEFAULT_SCORING, type ScoringSettings, type Standing } from '#scoring/model.js';
import { decayed } from '#scoring/rules.js';
import type { WebSummary } from '#tracking/model.js';
import { BASE_FEATURES, type BaseFeature, type Coefficient, type PredictionFactor } from './model.js';

const DAY_MS = 86_400_000;
/** `daysSinceActivity` of a contact never active, and its ceiling. */
export const NEVER_ACTIVE_DAYS = 365;
/** How many sources may get a column of their own, and how common each must be. */
export const MAX_SOURCES = 3;
const MIN_SOURCE_SHARE = 0.05;
const MIN_SOURCE_CONTACTS = 5;

/** A contact's email engagement, summed from its send ledger. */
export interface EmailEngagement {
  opens: number;
  clicks: number;
  lastEngagedAt?: string | undefined;
}

/** What the features of one contact are made from. */
export interface ContactSignals {
  source?: string | undefined;
  tags: number;
  standing?: Standing | undefined;
  web?: WebSummary | undefined;
  email: EmailEngagement;
}

export const FEATURE_LABELS: Record<BaseFeature, string> = {
  score: 'Lead score',
  stage: 'Lifecycle stage',
  pageViews: 'Page views',
  productEvents: 'Product events',
  emailOpens: 'Emails opened',
  emailClicks: 'Emails clicked',
  daysSinceActivity: 'Days since last activity',
  tags: 'Tags',
};
/** Features taken as log(1 + n): shown as counts again. */
const LOGGED = new Set<string>(['pageViews', 'productEvents', 'emailOpens', 'emailClicks']);
const STAGE_NAMES = ['no stage', 'subscriber', 'lead', 'marketing qualified lead', 'sales qualified lead'];

export const SOURCE_PREFIX = 'source:';
export const labelOf = (feature: string): string =>
  feature.startsWith(SOURCE_PREFIX)
    ? `Source: ${feature.slice(SOURCE_PREFIX.length)}`
    : (FEATURE_LABELS[feature as BaseFeature] ?? feature);

export function emailEngagementOf(sends: Array<Pick<EmailSend, 'openedAt' | 'clickedAt'>>): EmailEngagement {
  let opens = 0;
  let clicks = 0;
  let lastEngagedAt: string | undefined;
  for (const s of sends) {
    if (s.openedAt) opens++;
    if (s.clickedAt) clicks++;
    for (const at of [s.openedAt, s.clickedAt])
      if (at && (lastEngagedAt === undefined || at > lastEngagedAt)) lastEngagedAt = at;
  }
  return { opens, clicks, lastEngagedAt };
}

/** A source as a column name: lower case, its part before `:` (form, purchase, booking, or the text itself). */
export function normalizedSource(source: string | undefined): string | undefined {
  const name = source?.split(':')[0]?.trim().toLowerCase().slice(0, 40);
  return name ? name : undefined;
}

/** The few common sources that get a column: at most 3, each of at least 5% (and 5) of the contacts, never all. */
export function commonSources(sources: Array<string | undefined>): string[] {
  const counts = new Map<string, number>();
  for (const s of sources) {
    const name = normalizedSource(s);
    if (name) counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  const needed = Math.max(MIN_SOURCE_CONTACTS, Math.ceil(sources.length * MIN_SOURCE_SHARE));
  return [...counts.entries()]
    .filter(([, n]) => n >= needed && n < sources.length)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, MAX_SOURCES)
    .map(([name]) => name);
}

/** The stage rank as marketing reached it (see the header): 0 none … 4 sales qualified lead. */
export function marketingStage(standing: Standing | undefined): number {
  switch (standing?.stage) {
    case undefined:
      return 0;
    case 'subscriber':
      return 1;
    case 'lead':
      return 2;
    case 'marketing_qualified_lead':
      return 3;
    case 'sales_qualified_lead':
      return 4;
    default:
      return standing?.qualified ? 3 : 2;
  }
}

export interface FeatureContext {
  now: Date;
  halfLifeDays: number;
}

export const featureContext = (now: Date, settings: ScoringSettings | undefined): FeatureContext => ({
  now,
  halfLifeDays: (settings ?? DEFAULT_SCORING).halfLifeDays,
});

/** The latest activity the features know of: a visit or event, an open or a click. */
export function lastActivityOf(signals: Pick<ContactSignals, 'web' | 'email'>): string | undefined {
  const seen = [signals.web?.lastSeenAt, signals.email.lastEngagedAt].filter((a): a is string => !!a);
  return seen.length ? seen.sort()[seen.length - 1] : undefined;
}

/** The base features' values (BASE_FEATURES' order) and what each is as people read it. */
export function baseFeatures(s: ContactSignals, ctx: FeatureContext): { values: number[]; shown: number[] } {
  const score = s.standing ? decayed(s.standing.points, s.standing.asOf, ctx.now, ctx.halfLifeDays) : 0;
  const last = lastActivityOf(s);
  const days = last
    ? Math.min(NEVER_ACTIVE_DAYS, Math.max(0, (ctx.now.getTime() - Date.parse(last)) / DAY_MS))
    : NEVER_ACTIVE_DAYS;
  const shown: Record<BaseFeature, number> = {
    score: Math.round(score * 10) / 10,
    stage: marketingStage(s.standing),
    pageViews: s.web?.pageViews ?? 0,
    productEvents: s.web?.events ?? 0,
    emailOpens: s.email.opens,
    emailClicks: s.email.clicks,
    daysSinceActivity: Math.floor(days),
    tags: s.tags,
  };
  return {
    values: BASE_FEATURES.map((f) =>
      f === 'score'
        ? score
        : f === 'daysSinceActivity'
          ? days
          : LOGGED.has(f)
            ? Math.log1p(shown[f])
            : shown[f],
    ),
    shown: BASE_FEATURES.map((f) => shown[f]),
  };
}

/** A contact's values of the model's features (their order), raw and shown. */
export function featureRow(
  s: ContactSignals,
  features: string[],
  ctx: FeatureContext,
): { values: number[]; shown: number[] } {
  const base = baseFeatures(s, ctx);
  const source = normalizedSource(s.source);
  const values: number[] = [];
  const shown: number[] = [];
  for (const f of features) {
    const i = BASE_FEATURES.indexOf(f as BaseFeature);
    const v = i >= 0 ? (base.values[i] as number) : source === f.slice(SOURCE_PREFIX.length) ? 1 : 0;
    values.push(v);
    shown.push(i >= 0 ? (base.shown[i] as number) : v);
  }
  return { values, shown };
}

/**
 * A number as the explanations show it (at most one decimal). The formatter is made on first use:
 * the first `Intl` object of a process loads the ICU locale data (about 20 ms), which a cold start
 * that explains nothing should not pay.
 */
let numberFormat: Intl.NumberFormat | undefined;
export function formatNumber(n: number): string {
  numberFormat ??= new Intl.NumberFormat('en', { maximumFractionDigits: 1 });
  return numberFormat.format(n);
}

/** A factor in words: "Lead score 62 (average 18)", "Came from form". */
function detailOf(c: Coefficient, shown: number): string {
  if (c.feature.startsWith(SOURCE_PREFIX)) {
    const name = c.feature.slice(SOURCE_PREFIX.length);
    return shown === 1 ? `Came from ${name}` : `Did not come from ${name}`;
  }
  if (c.feature === 'stage')
    return `Lifecycle stage: ${STAGE_NAMES[shown] ?? 'unknown'} (as marketing reached it)`;
  // A logged count's mean is that of log(1 + n): its typical count is exp(mean) − 1.
  const typical = LOGGED.has(c.feature) ? Math.expm1(c.mean) : c.mean;
  const word = LOGGED.has(c.feature) ? 'typical' : 'average';
  if (c.feature === 'daysSinceActivity')
    return shown >= NEVER_ACTIVE_DAYS
      ? `No activity in the last ${NEVER_ACTIVE_DAYS} days (${word} ${formatNumber(typical)} days)`
      : `Last active ${formatNumber(shown)} days ago (${word} ${formatNumber(typical)} days)`;
  return `${c.label} ${formatNumber(shown)} (${word} ${formatNumber(typical)})`;
}

/** Rounded for the API: three decimals. */
export const rounded = (n: number) => Math.round(n * 1000) / 1000;

/**
 * The top `count` contributions to a prediction, largest first: each feature's coefficient times
 * the contact's standardized value — how far it moves the log-odds from a contact at the average.
 */
export function topFactors(
  coefficients: Coefficient[],
  row: { values: number[]; shown: number[] },
  count = 3,
): PredictionFactor[] {
  return coefficients
    .map((c, j) => ({
      c,
      shown: row.shown[j] as number,
      contribution: (c.coefficient * ((row.values[j] as number) - c.mean)) / c.sd,
    }))
    .filter((f) => Math.abs(f.contribution) >= 0.0005)
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution))
    .slice(0, count)
    .map(({ c, shown, contribution }) => ({
      feature: c.feature,
      label: c.label,
      detail: detailOf(c, shown),
      value: shown,
      contribution: rounded(contribution),
    }));
}
