/**
 * The dashboard's customer service section, read from the service counters (service-metrics.ts) in
 * O(days + agents): first response and resolution times (median and p90 read from the histogram),
 * SLA attainment, CSAT, and the backlog now.
 */
import type { ServiceMetrics } from './model.js';
import { ACTIVE_CASE_STATUSES, histogramOf, histogramPercentile, SERVICE_GROUPS } from './service-metrics.js';
import type { Counter, InsightsDeps } from './store.js';

const round1 = (v: number) => Math.round(v * 10) / 10;
const round2 = (v: number) => Math.round(v * 100) / 100;
const whole = (v: number | undefined) => Math.round(v ?? 0);

/** Fields of several buckets added up. */
function sumValues(counters: Counter[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of counters)
    for (const [field, v] of Object.entries(c.values)) out[field] = (out[field] ?? 0) + v;
  return out;
}

function durationStats(values: Record<string, number>, metric: string) {
  const histogram = histogramOf(values, metric);
  const median = histogramPercentile(histogram, 0.5);
  const p90 = histogramPercentile(histogram, 0.9);
  return {
    count: histogram.reduce((sum, b) => sum + b.count, 0),
    ...(median ? { median } : {}),
    ...(p90 ? { p90 } : {}),
    histogram,
  };
}

/**
 * Responses (or resolutions) in the range, the breaches of that target in it and the answers given
 * after a breach: of the targets decided (answered, or missed and not answered since), the share
 * answered in time. A breach and its late answer may fall on either side of the range's start.
 */
function attainment(total: number, breached: number, late: number) {
  const inTime = Math.max(0, total - late);
  const decided = Math.max(inTime, total + breached - late);
  return {
    total,
    breached,
    late,
    ...(decided > 0 ? { withinPercent: round1(Math.min(100, (inTime / decided) * 100)) } : {}),
  };
}

function csatStats(values: Record<string, number>) {
  const count = whole(values.count);
  return {
    count,
    ...(count > 0
      ? {
          average: round2((values.sum ?? 0) / count),
          satisfiedPercent: round1(Math.min(100, Math.max(0, (whole(values.satisfied) / count) * 100))),
        }
      : {}),
  };
}

const assigneeOf = (name: string) => (name ? { assignee: name } : {});

export async function serviceMetrics(
  deps: Pick<InsightsDeps, 'store'>,
  range: { from: string; to: string },
): Promise<ServiceMetrics> {
  const days = { from: range.from, to: `${range.to}\uffff` };
  const [daily, ratings, backlog] = await Promise.all([
    deps.store.getCounters(SERVICE_GROUPS.service, days),
    deps.store.getCounters(SERVICE_GROUPS.serviceCsat, days),
    deps.store.getCounters(SERVICE_GROUPS.serviceBacklog),
  ]);
  const totals = sumValues(daily);
  const firstResponse = durationStats(totals, 'firstResponse');
  const resolution = durationStats(totals, 'resolution');

  const byAgent = new Map<string, Counter[]>();
  for (const c of ratings) {
    const agent = c.bucket.slice(c.bucket.indexOf('#') + 1);
    byAgent.set(agent, [...(byAgent.get(agent) ?? []), c]);
  }
  const csatByAssignee = [...byAgent.entries()]
    .map(([agent, counters]) => ({ ...assigneeOf(agent), ...csatStats(sumValues(counters)) }))
    .filter((a) => a.count > 0)
    .sort((a, b) => b.count - a.count || (a.assignee ?? '').localeCompare(b.assignee ?? ''));

  const statusValues = backlog.find((c) => c.bucket === 'status')?.values ?? {};
  const byStatus = Object.fromEntries(
    ACTIVE_CASE_STATUSES.map((s) => [s, Math.max(0, whole(statusValues[s]))]),
  ) as Record<(typeof ACTIVE_CASE_STATUSES)[number], number>;
  const byAssignee = backlog
    .filter((c) => c.bucket.startsWith('agent#'))
    .map((c) => ({ ...assigneeOf(c.bucket.slice('agent#'.length)), count: whole(c.values.count) }))
    .filter((a) => a.count > 0)
    .sort((a, b) => b.count - a.count || (a.assignee ?? '').localeCompare(b.assignee ?? ''));

  return {
    opened: whole(totals.opened),
    firstResponse,
    resolution,
    sla: {
      firstResponse: attainment(
        firstResponse.count,
        whole(totals['breached#first_response']),
        whole(totals['late#first_response']),
      ),
      resolution: attainment(
        resolution.count,
        whole(totals['breached#resolution']),
        whole(totals['late#resolution']),
      ),
    },
    csat: { ...csatStats(sumValues(ratings)), byAssignee: csatByAssignee },
    backlog: {
      total: ACTIVE_CASE_STATUSES.reduce((sum, s) => sum + byStatus[s], 0),
      byStatus,
      byAssignee,
    },
  };
}
