/**
 * Lead scoring use cases: an event a contact caused gives points by the workspace's rules and may
 * move the contact's lifecycle stage forward; the settings are edited with a version check; a
 * person may set a contact's stage either way.
 *
 * Scoring an event is idempotent: a marker per (contact, event) is written in the same transaction
 * as the standing, so an event delivered twice scores once. The standing carries a version: two
 * events of one contact scored at once commit one after the other (the loser reads again).
 */

import type { Contact } from '#contacts/model.js';
import { notFound, staleVersion } from '#platform/errors.js';
import type { DomainEvent } from '#platform/events.js';
import { withOptimisticRetry } from '#platform/retry.js';
import { CommitConflict, emit, type ListOptions, type Page } from '#platform/store.js';
import { isWonStage } from '#sales/model.js';
import { checkedRules } from './filters.js';
import {
  type ContactStanding,
  DEFAULT_SCORING,
  type LifecycleStage,
  type ScoringSettings,
  type ScoringSettingsInput,
  type SetStageInput,
  type StageMove,
  type Standing,
} from './model.js';
import {
  applySignals,
  decayed,
  emptyStanding,
  forwardStage,
  type Scored,
  shown,
  signalsOf,
  touchOf,
  withTouch,
} from './rules.js';
import type { ScoringDeps, ScoringWrite } from './store.js';

/** Score changes shown with a contact's standing. */
const HISTORY_SHOWN = 20;

export type StageReason = 'form_submitted' | 'score' | 'deal_created' | 'deal_won' | 'manual';

export async function getScoringSettings(deps: Pick<ScoringDeps, 'store'>): Promise<ScoringSettings> {
  return (await deps.store.getScoringSettings()) ?? DEFAULT_SCORING;
}

/** The moves a save names (a move left out stays as it is). */
const definedMoves = (moves: Partial<Record<StageMove, LifecycleStage | null | undefined>> | undefined) =>
  Object.fromEntries(Object.entries(moves ?? {}).filter(([, to]) => to !== undefined));

export async function saveScoringSettings(
  deps: ScoringDeps,
  input: ScoringSettingsInput,
): Promise<ScoringSettings> {
  const current = await getScoringSettings(deps);
  const expected = input.expectedVersion ?? current.version;
  if (expected !== current.version)
    throw staleVersion('scoring settings', 'of the workspace', current.version);
  const settings: ScoringSettings = {
    rules: await checkedRules(deps, input.rules),
    threshold: input.threshold,
    halfLifeDays: input.halfLifeDays,
    lifecycle: {
      labels: input.lifecycle?.labels ?? current.lifecycle.labels,
      moves: { ...current.lifecycle.moves, ...definedMoves(input.lifecycle?.moves) },
    },
    version: current.version + 1,
    updatedAt: deps.clock.now().toISOString(),
  };
  try {
    await deps.store.commit([{ kind: 'putScoringSettings', settings, expectedVersion: current.version }]);
  } catch (e) {
    if (e instanceof CommitConflict)
      throw staleVersion('scoring settings', 'of the workspace', current.version);
    throw e;
  }
  return settings;
}

/** The automatic move an event makes (a won deal: one entering a stage of probability 1). */
async function stageMoveOf(deps: ScoringDeps, event: DomainEvent): Promise<StageMove | undefined> {
  if (event.detailType === 'FormSubmitted') return 'formSubmitted';
  if (event.detailType !== 'DealCreated' && event.detailType !== 'DealStageChanged') return undefined;
  const pipeline = await deps.store.getPipeline(event.detail.pipelineId);
  if (isWonStage(pipeline, event.detail.current.stage)) return 'dealWon';
  return event.detailType === 'DealCreated' ? 'dealCreated' : undefined;
}

const REASON_OF: Record<StageMove, StageReason> = {
  formSubmitted: 'form_submitted',
  scoreReached: 'score',
  dealCreated: 'deal_created',
  dealWon: 'deal_won',
};

/** Where the workspace's settings take a contact on this move, if that move is on. */
const moveTo = (settings: ScoringSettings, move: StageMove | undefined) => {
  const stage = move ? settings.lifecycle.moves[move] : null;
  return move && stage ? { stage, reason: REASON_OF[move] } : undefined;
};

const contactOf = (event: DomainEvent): string | undefined => {
  const detail = event.detail as { contactId?: unknown };
  return typeof detail.contactId === 'string' ? detail.contactId : undefined;
};

/** The changes of one event, summed per rule (at most one per rule: a transaction's worth). */
function byRule(changes: Scored['changes']) {
  const out = new Map<string, Scored['changes'][number] & { times: number }>();
  for (const c of changes) {
    const seen = out.get(c.ruleId);
    out.set(
      c.ruleId,
      seen ? { ...seen, delta: seen.delta + c.delta, times: seen.times + 1 } : { ...c, times: 1 },
    );
  }
  return [...out.values()];
}

export type ScoreOutcome = 'scored' | 'unchanged' | 'duplicate' | 'no_contact';

/**
 * Scores one event for its contact: points by the rules, the stage it moves the contact to, and the
 * marketing touch it is (first and latest: attribution).
 */
export async function scoreEvent(deps: ScoringDeps, event: DomainEvent): Promise<ScoreOutcome> {
  const signals = signalsOf(event);
  const contactId = signals?.contactId ?? contactOf(event);
  if (!contactId) return 'no_contact';
  const candidate = await stageMoveOf(deps, event);
  const touch = touchOf(event);
  if (!signals && !candidate && !touch) return 'unchanged';
  // Another event of the contact committed first (its standing moved on): read again, after a
  // jittered pause that grows, so a burst of one contact's events is scored one after the other.
  return withOptimisticRetry(
    async (): Promise<ScoreOutcome> => {
      const [contact, settings, stored] = await Promise.all([
        deps.store.getContact(contactId),
        getScoringSettings(deps),
        deps.store.getStanding(contactId),
      ]);
      // Erased meanwhile: its standing went with its partition.
      if (!contact) return 'no_contact';
      const now = deps.clock.now();
      const at = now.toISOString();
      const before = stored ?? emptyStanding(contactId, now);
      const scored = applySignals(before, settings, signals?.signals ?? [], now);
      const moves = [
        moveTo(settings, candidate),
        moveTo(settings, scored.thresholdReached ? 'scoreReached' : undefined),
      ].filter((m) => m !== undefined);
      // The furthest stage any of them reaches, if it is ahead of the contact's.
      let move: { stage: LifecycleStage; reason: StageReason } | undefined;
      for (const m of moves) if (forwardStage(move?.stage ?? before.stage, m.stage)) move = m;
      const touched = withTouch(scored.standing, touch);
      if (scored.changes.length === 0 && !move && touched === scored.standing) return 'unchanged';
      const standing: Standing = {
        ...touched,
        ...(move ? { stage: move.stage, stageChangedAt: at } : {}),
        version: before.version + 1,
      };
      const writes: ScoringWrite[] = [
        { kind: 'markScored', contactId, eventId: event.detail.eventId, at },
        { kind: 'putStanding', standing, expectedVersion: before.version },
      ];
      // One history entry per rule: an identified visitor's 90 earlier pages are "Viewed pricing ×12".
      let running = scored.previousScore;
      for (const [seq, change] of byRule(scored.changes).entries()) {
        running = shown(running + change.delta);
        const reason = change.times > 1 ? `${change.ruleName} ×${change.times}` : change.ruleName;
        writes.push({
          kind: 'recordScoreChange',
          contactId,
          eventId: event.detail.eventId,
          seq,
          change: { at, delta: change.delta, score: running, ruleId: change.ruleId, reason },
        });
      }
      if (scored.changes.length > 0)
        writes.push(
          emit(deps, now, 'ScoreChanged', {
            contactId,
            previousScore: scored.previousScore,
            score: scored.score,
            ruleIds: scored.changes.map((c) => c.ruleId),
            thresholdReached: scored.thresholdReached,
          }),
        );
      if (move)
        writes.push(
          emit(deps, now, 'LifecycleStageChanged', {
            contactId,
            ...(before.stage ? { fromStage: before.stage } : {}),
            toStage: move.stage,
            reason: move.reason,
          }),
        );
      try {
        await deps.store.commit(writes);
        return 'scored';
      } catch (e) {
        if (e instanceof CommitConflict && e.part === 'duplicate') return 'duplicate';
        throw e;
      }
    },
    (conflict) => conflict.part === 'version',
  );
}

/** A contact's score (decayed to now), stage and latest score changes. */
export async function viewStanding(deps: ScoringDeps, contactId: string): Promise<ContactStanding> {
  const [contact, settings, stored, history] = await Promise.all([
    deps.store.getContact(contactId),
    getScoringSettings(deps),
    deps.store.getStanding(contactId),
    deps.store.listScoreChanges(contactId, HISTORY_SHOWN),
  ]);
  if (!contact) throw notFound('contact', contactId);
  const now = deps.clock.now();
  const standing = stored ?? emptyStanding(contactId, now);
  return {
    contactId,
    score: shown(decayed(standing.points, standing.asOf, now, settings.halfLifeDays)),
    threshold: settings.threshold,
    ...(standing.stage ? { stage: standing.stage } : {}),
    ...(standing.stageChangedAt ? { stageChangedAt: standing.stageChangedAt } : {}),
    ...(standing.firstTouch ? { firstTouch: standing.firstTouch } : {}),
    ...(standing.lastTouch ? { lastTouch: standing.lastTouch } : {}),
    history,
    version: standing.version,
  };
}

/** The score (decayed to now) and stage of each of these contacts that has one: a list page's columns. */
export async function standingsOf(
  deps: ScoringDeps,
  contactIds: string[],
): Promise<Array<{ contactId: string; score: number; stage?: LifecycleStage }>> {
  const [settings, standings] = await Promise.all([
    getScoringSettings(deps),
    deps.store.getStandings(contactIds),
  ]);
  const now = deps.clock.now();
  return [...standings.values()].map((s) => ({
    contactId: s.contactId,
    score: shown(decayed(s.points, s.asOf, now, settings.halfLifeDays)),
    ...(s.stage ? { stage: s.stage } : {}),
  }));
}

/** The contacts in a lifecycle stage, the latest to enter it first (two reads per page). */
export async function contactsInStage(
  deps: ScoringDeps,
  stage: LifecycleStage,
  options: ListOptions,
): Promise<Page<Contact>> {
  const page = await deps.store.listStandingsInStage(stage, options);
  const contacts = await deps.store.getContacts(page.items.map((s) => s.contactId));
  return {
    items: page.items.flatMap((s) => contacts.get(s.contactId) ?? []),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}

/** Sets a contact's stage by hand, forward or back (a rule later moves it only forward from there). */
export async function setStage(
  deps: ScoringDeps,
  contactId: string,
  input: SetStageInput,
): Promise<ContactStanding> {
  // Without a version read, whatever the standing is now: a scoring meanwhile is read again.
  await withOptimisticRetry(
    async () => {
      const [contact, stored] = await Promise.all([
        deps.store.getContact(contactId),
        deps.store.getStanding(contactId),
      ]);
      if (!contact) throw notFound('contact', contactId);
      const now = deps.clock.now();
      const before = stored ?? emptyStanding(contactId, now);
      const stale = () => staleVersion('the standing of contact', contactId, before.version);
      if (input.expectedVersion !== undefined && input.expectedVersion !== before.version) throw stale();
      if (before.stage === input.stage) return;
      try {
        await deps.store.commit([
          {
            kind: 'putStanding',
            standing: {
              ...before,
              stage: input.stage,
              stageChangedAt: now.toISOString(),
              version: before.version + 1,
            },
            expectedVersion: before.version,
          },
          emit(deps, now, 'LifecycleStageChanged', {
            contactId,
            ...(before.stage ? { fromStage: before.stage } : {}),
            toStage: input.stage,
            reason: 'manual',
          }),
        ]);
      } catch (e) {
        if (e instanceof CommitConflict && input.expectedVersion !== undefined) throw stale();
        throw e;
      }
    },
    () => input.expectedVersion === undefined,
  );
  return viewStanding(deps, contactId);
}
