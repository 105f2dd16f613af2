/**
 * The rules of lead scoring, without storage: which signal an event is, the points its rules give,
 * decay with a half-life, the qualification threshold, and lifecycle stages that rules move only
 * forward.
 */
import type { DomainEvent } from '#platform/events.js';
import {
  LIFECYCLE_STAGES,
  type LifecycleStage,
  type ScoringSettings,
  type ScoringSignal,
  SIGNAL_FILTERS,
  type Standing,
} from './model.js';

/** What an event says a contact did, with the value a rule's filter is compared with. */
export interface Signal {
  on: ScoringSignal;
  filterValue?: string | undefined;
}

/** The signal an event is for scoring (none: the event scores nothing), and its contact. */
export function signalOf(event: DomainEvent): { contactId: string; signal: Signal } | undefined {
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
    default:
      return undefined;
  }
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
    if (
      rule.filter !== undefined &&
      SIGNAL_FILTERS[rule.on] !== undefined &&
      rule.filter !== signal.filterValue
    )
      continue;
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

const rank = (stage: LifecycleStage | undefined) =>
  stage === undefined ? -1 : LIFECYCLE_STAGES.indexOf(stage);

/** The stage a rule moves a contact to: `candidate` when it is later than `current`, else none (never backwards). */
export function forwardStage(
  current: LifecycleStage | undefined,
  candidate: LifecycleStage | undefined,
): LifecycleStage | undefined {
  return candidate !== undefined && rank(candidate) > rank(current) ? candidate : undefined;
}
