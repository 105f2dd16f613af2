/**
 * The stage history of deals, without storage: what a deal remembers of the stages it went through,
 * and what one move adds to its pipeline's per-stage counters (in the move's own transaction).
 *
 * The rules (docs/data-model.md, "Forecast"):
 * - Time in stage. A deal remembers when it entered its stage (`stageEnteredAt`) and, per stage it
 *   has left, its total time there (`stagesLeft`, one entry per stage, so at most the pipeline's 20).
 *   Leaving a stage adds the stint to the stage's `timeMs`, and counts the deal in the stage's `left`
 *   only the first time: a deal that comes back and leaves again adds time but is one deal. The
 *   stage's average time is `timeMs / left`, the average total time a deal spends in it.
 * - Conversion. A deal that enters a won (probability 1) or lost (probability 0) stage counts once,
 *   as won or lost, in every open stage it has left (`outcome` remembers what was counted). Reopened
 *   (moved back to an open stage) it is taken out of those counts again; moved from won to lost
 *   (or back) it is moved from one count to the other. So each stage's `won` and `lost` are the
 *   deals closed now that went through it, each once: a stage's historical win rate is
 *   won / (won + lost).
 */
import { type Deal, type Pipeline, type StageStint, stageKind } from './model.js';

/** Deltas to add to one stage's counters. */
export interface StageDeltas {
  left?: number;
  timeMs?: number;
  won?: number;
  lost?: number;
}

/** One stage's counters, summed over its shards. */
export interface StageCounters {
  stage: string;
  left: number;
  timeMs: number;
  won: number;
  lost: number;
}

export interface StageHistoryChange {
  /** The deal's history fields after the move. */
  deal: Pick<Deal, 'stageEnteredAt' | 'stagesLeft' | 'outcome'>;
  /** Per stage name, what to add to its counters (stages with nothing to add are left out). */
  deltas: Map<string, StageDeltas>;
}

const kindOf = (pipeline: Pipeline, stage: string) =>
  stageKind(pipeline.stages.find((s) => s.name === stage)?.probability ?? 0);

function add(deltas: Map<string, StageDeltas>, stage: string, key: keyof StageDeltas, n: number) {
  if (n === 0) return;
  const d = deltas.get(stage) ?? {};
  d[key] = (d[key] ?? 0) + n;
  deltas.set(stage, d);
}

/** The history of a deal created in `stage` at `at`: entered then, the outcome of a closed stage. */
export function enteredHistory(pipeline: Pipeline, stage: string, at: string): StageHistoryChange['deal'] {
  const kind = kindOf(pipeline, stage);
  return { stageEnteredAt: at, stagesLeft: [], ...(kind === 'open' ? {} : { outcome: kind }) };
}

/** What moving `deal` from its stage to `toStage` at `now` does to its history and the counters. */
export function moveHistory(pipeline: Pipeline, deal: Deal, toStage: string, now: Date): StageHistoryChange {
  const deltas = new Map<string, StageDeltas>();
  const from = deal.stage;
  const before = deal.stagesLeft ?? [];
  // Leaving `from`: its stint (unknown for a deal that entered before the history was recorded).
  const entered = deal.stageEnteredAt ? Date.parse(deal.stageEnteredAt) : Number.NaN;
  const stint = Number.isFinite(entered) ? Math.max(0, now.getTime() - entered) : undefined;
  const previous = before.find((s) => s.stage === from);
  let left: StageStint[] = before;
  if (stint !== undefined) {
    // Counted as a deal that left the stage once: at its first timed exit.
    if (previous?.ms === undefined) add(deltas, from, 'left', 1);
    add(deltas, from, 'timeMs', stint);
    const ms = (previous?.ms ?? 0) + stint;
    left = previous
      ? before.map((s) => (s.stage === from ? { stage: from, ms } : s))
      : [...before, { stage: from, ms }];
  } else if (!previous) {
    left = [...before, { stage: from }];
  }
  // The outcome counted: taken out of the open stages it was counted in, counted in the new one.
  const kind = kindOf(pipeline, toStage);
  const outcome = kind === 'open' ? undefined : kind;
  if (deal.outcome !== outcome) {
    const openBefore = before.filter((s) => kindOf(pipeline, s.stage) === 'open');
    const openAfter = left.filter((s) => kindOf(pipeline, s.stage) === 'open');
    if (deal.outcome) for (const s of openBefore) add(deltas, s.stage, deal.outcome, -1);
    if (outcome) for (const s of openAfter) add(deltas, s.stage, outcome, 1);
  }
  return {
    deal: { stageEnteredAt: now.toISOString(), stagesLeft: left, ...(outcome ? { outcome } : {}) },
    deltas,
  };
}

/**
 * What deleting `deal` takes out of its pipeline's counters: everything its moves added (its timed
 * stints, and its outcome in the open stages it left), as if it had never been.
 */
export function deletedHistory(pipeline: Pipeline, deal: Deal): Map<string, StageDeltas> {
  const deltas = new Map<string, StageDeltas>();
  for (const stint of deal.stagesLeft ?? []) {
    if (stint.ms !== undefined) {
      add(deltas, stint.stage, 'left', -1);
      add(deltas, stint.stage, 'timeMs', -stint.ms);
    }
    if (deal.outcome && kindOf(pipeline, stint.stage) === 'open') add(deltas, stint.stage, deal.outcome, -1);
  }
  return deltas;
}
