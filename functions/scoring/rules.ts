/**
 * The rules of lead scoring, without storage: which signal an event is, the points its rules give,
 * decay with a half-life, the qualification threshold, and lifecycle stages that rules move only
 * forward.
 */
import type { DomainEvent } from '#platform/events.js';
import { pathMatches } from '#tracking/rules.js';
import {
  LIFECYCLE_STAGES,
  type LifecycleStage,
  type ScoringSettings,
  type ScoringSignal,
  SIGNAL_FILTERS,
  type Standing,
  type Touch,
} from './model.js';

/** What an event says a contact did, with the value a rule's filter is compared with. */
export interface Signal {
  on: ScoringSignal;
  filterValue?: string | undefined;
}

/** The signals an event is for scoring (none: the event scores nothing), and its contact. */
export function signalsOf(event: DomainEvent): { contactId: string; signals: Signal[] } | undefined {
  if (event.detailType === 'VisitorIdentified') {
    // The pages and events the visitor saw before anyone knew who it was count now.
    const signals: Signal[] = [
      ...event.detail.paths.map((path) => ({ on: 'page_visited' as const, filterValue: path })),
      ...event.detail.events.map((name) => ({ on: 'event_tracked' as const, filterValue: name })),
    ];
    return signals.length > 0 ? { contactId: event.detail.contactId, signals } : undefined;
  }
  const one = signalOf(event);
  return one && { contactId: one.contactId, signals: [one.signal] };
}

function signalOf(event: DomainEvent): { contactId: string; signal: Signal } | undefined {
  switch (event.detailType) {
    case 'EmailEngaged':
      return {
        contactId: event.detail.contactId,
        signal: {
          on: event.detail.type === 'opened' ? 'email_opened' : 'email_clicked',
          filterValue: event.detail.templateId,
        },
      };
    case 'FormSubmitted':
      return {
        contactId: event.detail.contactId,
        signal: { on: 'form_submitted', filterValue: event.detail.formId },
      };
    case 'ContactTagged':
      // An import that asked not to trigger automations scores nothing either.
      if (event.detail.silent) return undefined;
      return {
        contactId: event.detail.contactId,
        signal: { on: 'tag_added', filterValue: event.detail.tag },
      };
    case 'AppointmentBooked':
      return {
        contactId: event.detail.contactId,
        signal: { on: 'appointment_booked', filterValue: event.detail.meetingTypeId },
      };
    case 'PurchaseMade':
      return {
        contactId: event.detail.contactId,
        signal: { on: 'purchase_made', filterValue: event.detail.source },
      };
    case 'DealCreated':
      return event.detail.contactId
        ? { contactId: event.detail.contactId, signal: { on: 'deal_created' } }
        : undefined;
    case 'PageVisited':
      return {
        contactId: event.detail.contactId,
        signal: { on: 'page_visited', filterValue: event.detail.path },
      };
    case 'EventTracked':
      return {
        contactId: event.detail.contactId,
        signal: { on: 'event_tracked', filterValue: event.detail.name },
      };
    default:
      return undefined;
  }
}

/** A rule's filter against what the event names: a path pattern for pages, else the same value. */
function filterMatches(on: ScoringSignal, filter: string | undefined, value: string | undefined): boolean {
  if (filter === undefined || SIGNAL_FILTERS[on] === undefined) return true;
  if (value === undefined) return false;
  return on === 'page_visited' ? pathMatches(filter, value) : filter === value;
}

const DAY_MS = 86_400_000;

/** Points as of `asOf`, decayed to `now`: half their value every `halfLifeDays` (0: no decay). */
export function decayed(points: number, asOf: string, now: Date, halfLifeDays: number): number {
  if (halfLifeDays <= 0 || points === 0) return points;
  const days = Math.max(0, (now.getTime() - Date.parse(asOf)) / DAY_MS);
  return points * 0.5 ** (days / halfLifeDays);
}

/** A score as shown and compared with the threshold: one decimal. */
export const shown = (points: number) => Math.round(points * 10) / 10;

/** A contact with no standing yet: no points, no stage. */
export function emptyStanding(contactId: string, now: Date): Standing {
  return { contactId, points: 0, asOf: now.toISOString(), awarded: {}, qualified: false, version: 0 };
}

export interface Scored {
  standing: Standing;
  previousScore: number;
  score: number;
  /** The rules that gave or took points, each once per signal. */
  changes: Array<{ ruleId: string; ruleName: string; delta: number }>;
  /** The score crossed the threshold upward with this change. */
  thresholdReached: boolean;
}

/**
 * The points a signal gives under the settings' rules (each matching rule once, within its limit),
 * added to the score decayed to `now`. Unchanged when no rule matches.
 */
export function applySignal(
  standing: Standing,
  settings: ScoringSettings,
  signal: Signal,
  now: Date,
): Scored {
  const current = decayed(standing.points, standing.asOf, now, settings.halfLifeDays);
  const changes: Scored['changes'] = [];
  const awarded = { ...standing.awarded };
  for (const rule of settings.rules) {
    if (rule.on !== signal.on) continue;
    if (!filterMatches(rule.on, rule.filter, signal.filterValue)) continue;
    const times = awarded[rule.id] ?? 0;
    if (rule.limit !== undefined && times >= rule.limit) continue;
    awarded[rule.id] = times + 1;
    changes.push({ ruleId: rule.id, ruleName: rule.name, delta: rule.points });
  }
  const previousScore = shown(current);
  if (changes.length === 0)
    return { standing, previousScore, score: previousScore, changes, thresholdReached: false };
  const points = current + changes.reduce((sum, c) => sum + c.delta, 0);
  const score = shown(points);
  const qualified = score >= settings.threshold;
  return {
    standing: { ...standing, points, asOf: now.toISOString(), awarded, qualified },
    previousScore,
    score,
    changes,
    thresholdReached: qualified && !standing.qualified,
  };
}

/** Several signals of one event, in order (a visitor's pages before it was known). */
export function applySignals(
  standing: Standing,
  settings: ScoringSettings,
  signals: Signal[],
  now: Date,
): Scored {
  let result: Scored | undefined;
  for (const signal of signals) {
    const next = applySignal(result?.standing ?? standing, settings, signal, now);
    result = result
      ? { ...next, previousScore: result.previousScore, changes: [...result.changes, ...next.changes] }
      : next;
  }
  if (!result) {
    const score = shown(decayed(standing.points, standing.asOf, now, settings.halfLifeDays));
    return { standing, previousScore: score, score, changes: [], thresholdReached: false };
  }
  return { ...result, thresholdReached: result.standing.qualified && !standing.qualified };
}

/** The marketing touch an event is: a form or a page reached by a campaign link or from another site. */
export function touchOf(event: DomainEvent): Touch | undefined {
  const at = event.detail.occurredAt;
  if (event.detailType === 'FormSubmitted') {
    const utm = event.detail.utm;
    return utm?.utm_source ? { ...fromUtm(utm, utm.utm_source), at, via: 'form' } : undefined;
  }
  if (event.detailType !== 'PageVisited') return undefined;
  let params: URLSearchParams;
  try {
    params = new URL(event.detail.url).searchParams;
  } catch {
    return undefined;
  }
  const source = params.get('utm_source');
  if (source) return { ...fromUtm(Object.fromEntries(params), source), at, via: 'page' };
  return event.detail.referrer
    ? { source: event.detail.referrer, medium: 'referral', at, via: 'page' }
    : undefined;
}

function fromUtm(utm: Record<string, string>, source: string) {
  const clip = (v: string | undefined) => v?.trim().toLowerCase().slice(0, 100) || undefined;
  const medium = clip(utm.utm_medium);
  const campaign = clip(utm.utm_campaign);
  return {
    source: clip(source) ?? 'direct',
    ...(medium ? { medium } : {}),
    ...(campaign ? { campaign } : {}),
  };
}

/** The standing with a touch: the first one kept, the latest one replaced by a later one. */
export function withTouch(standing: Standing, touch: Touch | undefined): Standing {
  if (!touch) return standing;
  const latest = !standing.lastTouch || standing.lastTouch.at <= touch.at;
  const first = !standing.firstTouch || standing.firstTouch.at > touch.at;
  if (!latest && !first) return standing;
  return {
    ...standing,
    ...(first ? { firstTouch: touch } : {}),
    ...(latest ? { lastTouch: touch } : {}),
  };
}

const rank = (stage: LifecycleStage | undefined) =>
  stage === undefined ? -1 : LIFECYCLE_STAGES.indexOf(stage);

/** The stage a rule moves a contact to: `candidate` when it is later than `current`, else none (never backwards). */
export function forwardStage(
  current: LifecycleStage | undefined,
  candidate: LifecycleStage | undefined,
): LifecycleStage | undefined {
  return candidate !== undefined && rank(candidate) > rank(current) ? candidate : undefined;
}
