/** The dashboard report, read from the counters (counters.ts) for a range of days. */
import { fromMinorUnits } from '#commerce/model.js';
import { validationError } from '#platform/errors.js';
import { LIFECYCLE_STAGES } from '#platform/events-marketing.js';
import type { Pipeline } from '#sales/model.js';
import { COUNTER_GROUPS, day, num, revenueOf } from './counters.js';
import { daysIn, kpisOf, openPipeline, previousRange, readKpiCounters } from './kpis.js';
import type { Dashboard } from './model.js';
import { openHistory, readOpenChanges } from './open-history.js';
import { serviceMetrics } from './service-report.js';
import type { InsightsDeps } from './store.js';

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
    throw validationError('from must not be after to', [
      { path: 'query.from', message: 'must not be after to' },
    ]);
  if (days >= MAX_RANGE_DAYS)
    throw validationError(`the range must be at most ${MAX_RANGE_DAYS} days`, [
      { path: 'query.to', message: `must be at most ${MAX_RANGE_DAYS} days after from` },
    ]);
  return { from, to };
}

const inDays = (range: { from: string; to: string }) => ({ from: range.from, to: `${range.to}\uffff` });

export async function dashboard(deps: InsightsDeps, query: DashboardQuery): Promise<Dashboard> {
  const range = dayRange(query, deps.clock.now());
  const today = day(deps.clock.now().toISOString());
  const [
    kpiCounters,
    totals,
    tags,
    followUps,
    forms,
    pipelines,
    revenue,
    purchases,
    stages,
    sourceRevenue,
    utmRevenue,
    service,
    openChanges,
  ] = await Promise.all([
    // Leads, imports, email, stage moves, deals won and cases opened of this range and the previous one.
    readKpiCounters(deps.store, range),
    deps.store.getCounters(COUNTER_GROUPS.totals),
    deps.store.getCounters(COUNTER_GROUPS.tags),
    deps.store.getCounters(COUNTER_GROUPS.followUps, inDays(range)),
    deps.store.getCounters(COUNTER_GROUPS.forms, inDays(range)),
    allPipelines(deps),
    deps.store.getCounters(COUNTER_GROUPS.campaignRevenue, inDays(range)),
    deps.store.getCounters(COUNTER_GROUPS.purchases, inDays(range)),
    deps.store.getCounters(COUNTER_GROUPS.stages),
    deps.store.getCounters(COUNTER_GROUPS.sourceRevenue, inDays(range)),
    deps.store.getCounters(COUNTER_GROUPS.utmRevenue, inDays(range)),
    serviceMetrics(deps, range),
    // The net changes of the open pipeline and open cases from the range's start to today.
    readOpenChanges(deps.store, range, today),
  ]);

  // The previous period's buckets are the tiles' only.
  const inRange = (c: { bucket: string }) =>
    c.bucket.slice(0, 10) >= range.from && c.bucket.slice(0, 10) <= range.to;
  const leads = kpiCounters.leads.filter(inRange);
  const imported = kpiCounters.imported.filter(inRange);
  const email = kpiCounters.email.filter(inRange);
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

  type EmailCounts = { sent: number; opened: number; clicked: number; bounced: number };
  const emailBy = {
    template: new Map<string, EmailCounts>(),
    workflow: new Map<string, EmailCounts>(),
  };
  for (const c of email) {
    const [, kind, id] = c.bucket.split('#') as [string, 'template' | 'workflow', string];
    const m = emailBy[kind];
    if (!m) continue;
    const entry = m.get(id) ?? { sent: 0, opened: 0, clicked: 0, bounced: 0 };
    for (const metric of ['sent', 'opened', 'clicked', 'bounced'] as const)
      entry[metric] += num(c.values[metric]);
    m.set(id, entry);
  }
  const byMostSent = (m: Map<string, EmailCounts>) =>
    [...m.entries()].sort(([, a], [, b]) => b.sent - a.sent);

  const pipelineValues = await Promise.all(pipelines.map((p) => pipelineValue(deps, p)));
  const followUpDays = followUps
    .map((c) => ({ date: c.bucket, count: num(c.values.scheduled) }))
    .filter((f) => f.count > 0);

  const byForm = new Map<string, { formId: string; submitted: number; dropped: number }>();
  for (const c of forms) {
    const [, formId = ''] = splitOnce(c.bucket);
    const entry = byForm.get(formId) ?? { formId, submitted: 0, dropped: 0 };
    entry.submitted += num(c.values.submitted);
    entry.dropped += num(c.values.dropped);
    byForm.set(formId, entry);
  }

  const pipelineReport = pipelineValues;
  const previous = previousRange(range);
  // The open pipeline and open cases at the end of each day: now, less the net changes since.
  const pointInTime = openHistory({
    range,
    today,
    ...openChanges,
    now: { pipeline: openPipeline(pipelineReport), cases: service.backlog.total },
  });
  return {
    from: range.from,
    to: range.to,
    previous: { ...previous, days: daysIn(range) },
    ...kpisOf(kpiCounters, range, pipelineReport, service.backlog.total),
    pointInTime,
    contacts: {
      total: num(totals.find((t) => t.bucket === 'contacts')?.values.count),
      imported: imported.reduce((sum, c) => sum + num(c.values.count), 0),
    },
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
    pipelines: pipelineReport,
    email: {
      byTemplate: byMostSent(emailBy.template).map(([templateId, v]) => ({ templateId, ...v })),
      byWorkflow: byMostSent(emailBy.workflow).map(([workflowId, v]) => ({ workflowId, ...v })),
    },
    followUpsDue: { total: followUpDays.reduce((sum, f) => sum + f.count, 0), byDay: followUpDays },
    forms: [...byForm.values()].sort((a, b) => b.submitted + b.dropped - (a.submitted + a.dropped)),
    campaigns: attributedBy(revenue).map(({ key, revenue }) => ({ campaignId: key, revenue })),
    purchases: purchasesByCurrency(purchases),
    funnel: LIFECYCLE_STAGES.map((stage) => ({
      stage,
      count: num(stages.find((c) => c.bucket === stage)?.values.count),
    })),
    revenueBySource: attributedBy(sourceRevenue).map(({ key, revenue }) => ({ source: key, revenue })),
    revenueByUtmCampaign: attributedBy(utmRevenue).map(({ key, revenue }) => ({ campaign: key, revenue })),
    service,
  };
}

/** Purchases in the range per currency (never added across currencies), most first. */
function purchasesByCurrency(counters: Array<{ bucket: string; values: Record<string, number> }>) {
  const by = new Map<string, { currency: string; count: number; minor: number }>();
  for (const c of counters) {
    const [, currency = ''] = splitOnce(c.bucket);
    const entry = by.get(currency) ?? { currency, count: 0, minor: 0 };
    entry.count += num(c.values.count);
    entry.minor += Math.round(c.values.minor ?? 0);
    by.set(currency, entry);
  }
  return [...by.values()]
    .filter((p) => p.count > 0)
    .sort((a, b) => b.count - a.count || a.currency.localeCompare(b.currency))
    .map(({ currency, count, minor }) => ({
      currency,
      count,
      total: fromMinorUnits(BigInt(minor), currency),
    }));
}

/**
 * Revenue attributed on the days in range (`<day>#<key>`: a campaign, a source), per key, most
 * deals won first.
 */
function attributedBy(counters: Array<{ bucket: string; values: Record<string, number> }>) {
  const byKey = new Map<string, Record<string, number>>();
  for (const c of counters) {
    const [, key] = splitOnce(c.bucket);
    const sum = byKey.get(key) ?? {};
    for (const [field, v] of Object.entries(c.values)) sum[field] = (sum[field] ?? 0) + v;
    byKey.set(key, sum);
  }
  return [...byKey.entries()]
    .flatMap(([key, values]) => {
      const revenue = revenueOf(values);
      return revenue ? [{ key, revenue }] : [];
    })
    .sort(
      (a, b) =>
        b.revenue.dealsWon.firstTouch +
        b.revenue.dealsWon.lastTouch -
        (a.revenue.dealsWon.firstTouch + a.revenue.dealsWon.lastTouch),
    )
    .slice(0, 20);
}

function splitLast(bucket: string): [string, string] {
  const i = bucket.lastIndexOf('#');
  return [bucket.slice(0, i), bucket.slice(i + 1)];
}

function splitOnce(bucket: string): [string, string] {
  const i = bucket.indexOf('#');
  return [bucket.slice(0, i), bucket.slice(i + 1)];
}

/** Every pipeline (the open pipeline and its history count all of them), a page of 50 at a time. */
async function allPipelines(deps: InsightsDeps): Promise<Pipeline[]> {
  const out: Pipeline[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.store.listPipelines({ limit: 50, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

async function pipelineValue(deps: InsightsDeps, pipeline: Pipeline) {
  const counters = await deps.store.getCounters(COUNTER_GROUPS.pipeline(pipeline.id));
  return {
    pipelineId: pipeline.id,
    name: pipeline.name,
    stages: pipeline.stages.map((stage) => {
      // `<stage>#<currency>`: a currency is three letters, so split at the last `#` (a stage may contain one).
      const mine = counters.filter((c) => splitLast(c.bucket)[0] === stage.name);
      return {
        stage: stage.name,
        probability: stage.probability,
        count: mine.reduce((sum, c) => sum + num(c.values.count), 0),
        values: mine
          .map((c) => ({
            currency: splitLast(c.bucket)[1],
            count: num(c.values.count),
            amount: num(c.values.amount),
            weighted: num((c.values.amount ?? 0) * stage.probability),
          }))
          .filter((v) => v.count !== 0 || v.amount !== 0),
      };
    }),
  };
}
