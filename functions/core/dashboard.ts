/**
 * The dashboard: counters maintained incrementally by an event consumer, read in O(buckets) with no
 * dependence on how many contacts, deals or emails exist. Each event is applied once (the counter
 * updates commit with a per-event marker).
 *
 * Counter groups (partition `DASH#<group>`, one item per bucket):
 * - `LEADS`            `<day>#<source>`            {count}      new contacts per day by source
 * - `TOTALS`           `contacts`                  {count}
 * - `TAGS`             `<tag>`                     {count}      contacts per tag
 * - `PIPELINE#<id>`    `<stage>#<currency>`        {count, amount}
 * - `EMAIL`            `<day>#template#<id>`, `<day>#workflow#<id>`  {sent, opened, clicked, bounced}
 * - `FOLLOWUPS`        `<day>`                     {scheduled}  follow-ups still to send, by send day
 */
import type { DomainEvent, EventDetail } from '../contracts/events.js';
import { DomainError } from './errors.js';
import type { Pipeline } from './model.js';
import { CommitConflict, type CounterDelta, type Deps } from './ports.js';

export const DASHBOARD_CONSUMER = 'dashboard';
export const COUNTER_GROUPS = {
  leads: 'LEADS',
  totals: 'TOTALS',
  tags: 'TAGS',
  pipeline: (id: string) => `PIPELINE#${id}`,
  email: 'EMAIL',
  followUps: 'FOLLOWUPS',
} as const;

const day = (iso: string) => iso.slice(0, 10);

function emailDeltas(
  at: string,
  ids: { templateId?: string | undefined; workflowId?: string | undefined },
  metric: 'sent' | 'opened' | 'clicked' | 'bounced',
): CounterDelta[] {
  const out: CounterDelta[] = [];
  if (ids.templateId)
    out.push({
      group: COUNTER_GROUPS.email,
      bucket: `${day(at)}#template#${ids.templateId}`,
      deltas: { [metric]: 1 },
    });
  if (ids.workflowId)
    out.push({
      group: COUNTER_GROUPS.email,
      bucket: `${day(at)}#workflow#${ids.workflowId}`,
      deltas: { [metric]: 1 },
    });
  return out;
}

type Position = { stage: string; amount: number; currency: string };
function dealDeltas(pipelineId: string, previous: Position | undefined, current: Position): CounterDelta[] {
  const group = COUNTER_GROUPS.pipeline(pipelineId);
  const out: CounterDelta[] = [];
  if (previous)
    out.push({
      group,
      bucket: `${previous.stage}#${previous.currency}`,
      deltas: { count: -1, amount: -previous.amount },
    });
  out.push({
    group,
    bucket: `${current.stage}#${current.currency}`,
    deltas: { count: 1, amount: current.amount },
  });
  return out;
}

/** What one event changes in the counters (pure). Deltas on the same bucket are merged. */
export function counterDeltas(event: DomainEvent): CounterDelta[] {
  const at = event.detail.occurredAt;
  const d = event.detail as Record<string, unknown>;
  let out: CounterDelta[] = [];
  switch (event.detailType) {
    case 'ContactCreated': {
      const source = (d as EventDetail<'ContactCreated'>).source || 'direct';
      out = [
        { group: COUNTER_GROUPS.leads, bucket: `${day(at)}#${source}`, deltas: { count: 1 } },
        { group: COUNTER_GROUPS.totals, bucket: 'contacts', deltas: { count: 1 } },
      ];
      break;
    }
    case 'ContactDeleted':
      out = [
        { group: COUNTER_GROUPS.totals, bucket: 'contacts', deltas: { count: -1 } },
        ...((d as EventDetail<'ContactDeleted'>).tags ?? []).map((tag) => ({
          group: COUNTER_GROUPS.tags,
          bucket: tag,
          deltas: { count: -1 },
        })),
      ];
      break;
    case 'ContactTagged':
    case 'ContactUntagged':
      out = [
        {
          group: COUNTER_GROUPS.tags,
          bucket: String(d.tag),
          deltas: { count: event.detailType === 'ContactTagged' ? 1 : -1 },
        },
      ];
      break;
    case 'EmailSent':
      out = emailDeltas(at, d as EventDetail<'EmailSent'>, 'sent');
      break;
    case 'EmailEngaged': {
      const e = d as EventDetail<'EmailEngaged'>;
      out = emailDeltas(at, e, e.type);
      break;
    }
    case 'ContactSuppressed': {
      const e = d as EventDetail<'ContactSuppressed'>;
      if (e.reason === 'bounce') out = emailDeltas(at, e, 'bounced');
      break;
    }
    case 'DealCreated': {
      const e = d as EventDetail<'DealCreated'>;
      out = dealDeltas(e.pipelineId, undefined, e.current);
      break;
    }
    case 'DealStageChanged':
    case 'DealUpdated': {
      const e = d as EventDetail<'DealUpdated'>;
      out = dealDeltas(e.pipelineId, e.previous, e.current);
      break;
    }
    case 'FollowUpScheduled':
    case 'FollowUpClosed':
      out = [
        {
          group: COUNTER_GROUPS.followUps,
          bucket: day(String(d.sendAt)),
          deltas: { scheduled: event.detailType === 'FollowUpScheduled' ? 1 : -1 },
        },
      ];
      break;
    default:
      out = [];
  }
  return mergeDeltas(out);
}

function mergeDeltas(deltas: CounterDelta[]): CounterDelta[] {
  const byKey = new Map<string, CounterDelta>();
  for (const c of deltas) {
    const key = `${c.group}\u0000${c.bucket}`;
    const prior = byKey.get(key);
    if (!prior) {
      byKey.set(key, { ...c, deltas: { ...c.deltas } });
      continue;
    }
    for (const [name, delta] of Object.entries(c.deltas))
      prior.deltas[name] = (prior.deltas[name] ?? 0) + delta;
  }
  return [...byKey.values()].map((c) => ({
    ...c,
    // Money stays in cents-exact decimals; DynamoDB adds numbers exactly.
    deltas: Object.fromEntries(Object.entries(c.deltas).map(([k, v]) => [k, Math.round(v * 100) / 100])),
  }));
}

/** Applies one event to the counters, once. */
export async function projectEvent(
  deps: Deps,
  event: DomainEvent,
): Promise<'applied' | 'duplicate' | 'ignored'> {
  const counters = counterDeltas(event);
  if (counters.length === 0) return 'ignored';
  try {
    await deps.store.commit([
      { kind: 'bumpCounters', consumer: DASHBOARD_CONSUMER, eventId: event.detail.eventId, counters },
    ]);
  } catch (err) {
    if (err instanceof CommitConflict && err.part === 'processed') return 'duplicate';
    throw err;
  }
  return 'applied';
}

export interface DashboardQuery {
  from?: string | undefined;
  to?: string | undefined;
}

const MAX_RANGE_DAYS = 366;
const DAY_MS = 24 * 3600 * 1000;

/** Resolves the report's day range (inclusive); the default is the last 30 days. */
export function dayRange(query: DashboardQuery, now: Date): { from: string; to: string } {
  const to = query.to ?? day(now.toISOString());
  const from = query.from ?? day(new Date(Date.parse(to) - 29 * DAY_MS).toISOString());
  const days = (Date.parse(to) - Date.parse(from)) / DAY_MS;
  if (days < 0)
    throw new DomainError(400, 'validation_error', 'from must not be after to', [
      { path: 'query.from', message: 'must not be after to' },
    ]);
  if (days >= MAX_RANGE_DAYS)
    throw new DomainError(400, 'validation_error', `the range must be at most ${MAX_RANGE_DAYS} days`, [
      { path: 'query.to', message: `must be at most ${MAX_RANGE_DAYS} days after from` },
    ]);
  return { from, to };
}

const inDays = (range: { from: string; to: string }) => ({ from: range.from, to: `${range.to}\uffff` });
const num = (v: number | undefined) => Math.round((v ?? 0) * 100) / 100;

export async function dashboard(deps: Deps, query: DashboardQuery) {
  const range = dayRange(query, deps.clock.now());
  const [leads, totals, tags, email, followUps, pipelines] = await Promise.all([
    deps.store.getCounters(COUNTER_GROUPS.leads, inDays(range)),
    deps.store.getCounters(COUNTER_GROUPS.totals),
    deps.store.getCounters(COUNTER_GROUPS.tags),
    deps.store.getCounters(COUNTER_GROUPS.email, inDays(range)),
    deps.store.getCounters(COUNTER_GROUPS.followUps, inDays(range)),
    deps.store.listPipelines({ limit: 50 }),
  ]);

  const leadsByDay = new Map<string, { date: string; total: number; bySource: Record<string, number> }>();
  const leadsBySource: Record<string, number> = {};
  for (const c of leads) {
    const [date = '', source = 'direct'] = splitOnce(c.bucket);
    const count = num(c.values.count);
    const entry = leadsByDay.get(date) ?? { date, total: 0, bySource: {} };
    entry.total += count;
    entry.bySource[source] = (entry.bySource[source] ?? 0) + count;
    leadsByDay.set(date, entry);
    leadsBySource[source] = (leadsBySource[source] ?? 0) + count;
  }

  const emailBy = {
    template: new Map<string, Record<string, number>>(),
    workflow: new Map<string, Record<string, number>>(),
  };
  for (const c of email) {
    const [, kind, id] = c.bucket.split('#') as [string, 'template' | 'workflow', string];
    const m = emailBy[kind];
    if (!m) continue;
    const entry = m.get(id) ?? { sent: 0, opened: 0, clicked: 0, bounced: 0 };
    for (const metric of ['sent', 'opened', 'clicked', 'bounced'] as const)
      entry[metric] = (entry[metric] ?? 0) + num(c.values[metric]);
    m.set(id, entry);
  }
  const emailRows = (m: Map<string, Record<string, number>>, idName: string) =>
    [...m.entries()]
      .sort(([, a], [, b]) => (b.sent ?? 0) - (a.sent ?? 0))
      .map(([id, v]) => ({ [idName]: id, ...v }));

  const pipelineValues = await Promise.all(pipelines.items.map((p) => pipelineValue(deps, p)));
  const followUpDays = followUps
    .map((c) => ({ date: c.bucket, count: num(c.values.scheduled) }))
    .filter((f) => f.count > 0);

  return {
    from: range.from,
    to: range.to,
    contacts: { total: num(totals.find((t) => t.bucket === 'contacts')?.values.count) },
    leads: {
      total: [...leadsByDay.values()].reduce((sum, d) => sum + d.total, 0),
      bySource: leadsBySource,
      byDay: [...leadsByDay.values()].sort((a, b) => a.date.localeCompare(b.date)),
    },
    tags: tags
      .map((t) => ({ tag: t.bucket, count: num(t.values.count) }))
      .filter((t) => t.count > 0)
      .sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag))
      .slice(0, 100),
    pipelines: pipelineValues,
    email: {
      byTemplate: emailRows(emailBy.template, 'templateId'),
      byWorkflow: emailRows(emailBy.workflow, 'workflowId'),
    },
    followUpsDue: { total: followUpDays.reduce((sum, f) => sum + f.count, 0), byDay: followUpDays },
  };
}

function splitOnce(bucket: string): [string, string] {
  const i = bucket.indexOf('#');
  return [bucket.slice(0, i), bucket.slice(i + 1)];
}

async function pipelineValue(deps: Deps, pipeline: Pipeline) {
  const counters = await deps.store.getCounters(COUNTER_GROUPS.pipeline(pipeline.id));
  return {
    pipelineId: pipeline.id,
    name: pipeline.name,
    stages: pipeline.stages.map((stage) => {
      const mine = counters.filter((c) => splitOnce(c.bucket)[0] === stage.name);
      return {
        stage: stage.name,
        probability: stage.probability,
        count: mine.reduce((sum, c) => sum + num(c.values.count), 0),
        values: mine
          .map((c) => ({
            currency: splitOnce(c.bucket)[1],
            amount: num(c.values.amount),
            weighted: num((c.values.amount ?? 0) * stage.probability),
          }))
          .filter((v) => v.amount !== 0),
      };
    }),
  };
}

/** Tag counts from the counters, for query planning (segments). */
export async function tagCounts(deps: Deps): Promise<Map<string, number>> {
  const tags = await deps.store.getCounters(COUNTER_GROUPS.tags);
  return new Map(tags.map((t) => [t.bucket, num(t.values.count)]));
}
