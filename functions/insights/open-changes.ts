/**
 * The history of the dashboard's point-in-time figures (the open pipeline per currency, open cases):
 * each event's *net change* to them, added to per-day counters by the projector with the rest of the
 * event's counters (once per event id, spread over shards: counters.ts). The figure at the end of a
 * past day D is then `now − the net changes of the days after D` (open-history.ts).
 *
 * Counter group `OPEN_CHANGES` (partition `DASH#OPEN_CHANGES`), by the day the event occurred:
 * - `<day>#cases`             {open}           active cases (new, open, pending) opened minus closed that day
 * - `<day>#deals#<currency>`  {count, amount}  open deals (stages neither won nor lost) in that currency
 *
 * The net change of a deal event is its `current` position if that stage is open, minus its
 * `previous` one if that stage was: a new amount or currency, a move to won or lost, a reopening and
 * a deletion each move the figure by what they change, and nothing else does. A stage is open when
 * its pipeline gives it a probability between 0 and 1 (sales' stageKind), read under the name it
 * has now (a stage edit under way renames it). A stage edit never changes the kind of a stage that
 * holds deals (stage-editor.ts), so a stage no longer in the pipeline (renamed or removed since)
 * had the kind of the stage its deals went to: the other position's.
 */
import type { DomainEvent, EventOf } from '#platform/events.js';
import { currentStageName, type Pipeline, stageKind } from '#sales/model.js';
import { ACTIVE_CASE_STATUSES } from './service-metrics.js';
import type { CounterDelta } from './store.js';

export const OPEN_CHANGES_GROUP = 'OPEN_CHANGES';
export const CASES_BUCKET = 'cases';
export const DEALS_BUCKET = 'deals';

export type DealEvent =
  | EventOf<'DealCreated'>
  | EventOf<'DealStageChanged'>
  | EventOf<'DealUpdated'>
  | EventOf<'DealDeleted'>;
export type CaseEvent = EventOf<'CaseCreated'> | EventOf<'CaseStatusChanged'>;

type Position = { stage: string; amount: number; currency: string };

const isActive = (status: string) => (ACTIVE_CASE_STATUSES as readonly string[]).includes(status);
const dayOf = (iso: string) => iso.slice(0, 10);
const round = (v: number) => Math.round(v * 100) / 100;

/** Whether a stage of the pipeline is open now (undefined: no such stage, or no pipeline). */
export function isOpenStage(pipeline: Pipeline | undefined, stage: string): boolean | undefined {
  if (!pipeline) return undefined;
  const name = currentStageName(pipeline, stage);
  const found = pipeline.stages.find((s) => s.name === name);
  return found ? stageKind(found.probability) === 'open' : undefined;
}

/** Per currency, what a deal event adds to the open deals: count and amount (only non-zero entries). */
export function openDealChange(
  event: DealEvent,
  pipeline: Pipeline | undefined,
): Map<string, { count: number; amount: number }> {
  const previous: Position | undefined =
    event.detailType === 'DealCreated' ? undefined : event.detail.previous;
  const current: Position | undefined = event.detailType === 'DealDeleted' ? undefined : event.detail.current;
  const wasKnown = previous ? isOpenStage(pipeline, previous.stage) : undefined;
  const isKnown = current ? isOpenStage(pipeline, current.stage) : undefined;
  // A stage that is gone had the kind of the stage its deals went to (see above); both unknown: nothing.
  const wasOpen = wasKnown ?? isKnown ?? false;
  const isOpen = isKnown ?? wasKnown ?? false;
  const out = new Map<string, { count: number; amount: number }>();
  const add = (p: Position, sign: 1 | -1) => {
    const entry = out.get(p.currency) ?? { count: 0, amount: 0 };
    entry.count += sign;
    entry.amount = round(entry.amount + sign * p.amount);
    out.set(p.currency, entry);
  };
  if (previous && wasOpen) add(previous, -1);
  if (current && isOpen) add(current, 1);
  for (const [currency, c] of out) if (c.count === 0 && c.amount === 0) out.delete(currency);
  return out;
}

/** What a case event adds to the active cases: 1 opened, −1 resolved or closed, 1 reopened, else 0. */
export function openCaseChange(event: CaseEvent): number {
  if (event.detailType === 'CaseCreated') return 1;
  const { from, to } = event.detail;
  return (isActive(to) ? 1 : 0) - (isActive(from) ? 1 : 0);
}

/** The pipeline a deal event needs to be classified (none for other events). */
export function pipelineIdOf(event: DomainEvent): string | undefined {
  switch (event.detailType) {
    case 'DealCreated':
    case 'DealStageChanged':
    case 'DealUpdated':
    case 'DealDeleted':
      return event.detail.pipelineId;
    default:
      return undefined;
  }
}

/**
 * The counter deltas of an event's net change to the point-in-time figures (pure; none when it
 * changes none). `pipeline` is the deal's pipeline, for deal events.
 */
export function openChangeDeltas(event: DomainEvent, pipeline: Pipeline | undefined): CounterDelta[] {
  const day = dayOf(event.detail.occurredAt);
  switch (event.detailType) {
    case 'DealCreated':
    case 'DealStageChanged':
    case 'DealUpdated':
    case 'DealDeleted':
      return [...openDealChange(event, pipeline)].map(([currency, deltas]) => ({
        group: OPEN_CHANGES_GROUP,
        bucket: `${day}#${DEALS_BUCKET}#${currency}`,
        deltas,
      }));
    case 'CaseCreated':
    case 'CaseStatusChanged': {
      const open = openCaseChange(event);
      return open === 0
        ? []
        : [{ group: OPEN_CHANGES_GROUP, bucket: `${day}#${CASES_BUCKET}`, deltas: { open } }];
    }
    default:
      return [];
  }
}
