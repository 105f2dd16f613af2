/**
 * The historical forecast of a pipeline: each open deal weighted by its stage's historical win rate
 * (the static stage probability until the stage has MIN_HISTORY closed deals), with an expected
 * close date from the average time deals spend in the stages still ahead. Totals are per currency,
 * per stage and for the pipeline; different currencies are never added.
 */

import {
  type Deal,
  type DealForecast,
  type Forecast,
  type ForecastTotal,
  type Pipeline,
  type StageHistory,
  stageKind,
} from './model.js';
import { getPipeline, withCurrentStages } from './pipelines.js';
import type { StageCounters } from './stage-history.js';
import type { SalesDeps } from './store.js';

/** A stage's rate (and its average time) is trusted from this many closed (left) deals on. */
export const MIN_HISTORY = 5;
const DAY_MS = 86_400_000;

const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;

/** A stage's history from its counters. */
export function stageHistory(c: StageCounters | undefined): StageHistory {
  const left = c?.left ?? 0;
  const won = c?.won ?? 0;
  const lost = c?.lost ?? 0;
  return {
    left,
    ...(left > 0 ? { averageDays: round((c?.timeMs ?? 0) / left / DAY_MS, 3) } : {}),
    won,
    lost,
    ...(won + lost > 0 ? { winRate: round(won / (won + lost), 4) } : {}),
  };
}

/**
 * The rate open deals of a stage are forecast with: historical from MIN_HISTORY closed deals, else
 * static. Unrounded (amounts are weighted by it; only what is shown is rounded).
 */
export function rateOf(probability: number, history: StageHistory) {
  const closed = history.won + history.lost;
  if (stageKind(probability) === 'open' && closed >= MIN_HISTORY)
    return { winRate: history.won / closed, rateSource: 'history' as const };
  return { winRate: probability, rateSource: 'static' as const };
}

function addTo(totals: Map<string, ForecastTotal>, deal: Deal, probability: number, rate: number) {
  const t = totals.get(deal.currency) ?? { currency: deal.currency, amount: 0, weighted: 0, forecast: 0 };
  t.amount = round(t.amount + deal.amount, 2);
  t.weighted = round(t.weighted + deal.amount * probability, 2);
  t.forecast = round(t.forecast + deal.amount * rate, 2);
  totals.set(deal.currency, t);
}

const sorted = (m: Map<string, ForecastTotal>) =>
  [...m.values()].sort((a, b) => a.currency.localeCompare(b.currency));

/**
 * The expected close of a deal in open stage `index`: now + what is left of the stage's average
 * time (never below zero) + the average time of each open stage after it. Known only when each of
 * those stages has MIN_HISTORY deals that left it; else the deal's own close date, if any.
 */
function expectedClose(
  deal: Deal,
  index: number,
  pipeline: Pipeline,
  histories: StageHistory[],
  now: Date,
): Pick<DealForecast, 'expectedCloseDate' | 'closeDateSource'> {
  const ahead = pipeline.stages
    .map((s, i) => ({ s, i, h: histories[i] }))
    .filter(({ s, i }) => i >= index && stageKind(s.probability) === 'open');
  const known = ahead.every(({ h }) => h !== undefined && h.left >= MIN_HISTORY);
  if (known) {
    const inStage = deal.stageEnteredAt ? now.getTime() - Date.parse(deal.stageEnteredAt) : 0;
    let ms = 0;
    for (const { i, h } of ahead) {
      const average = (h?.averageDays ?? 0) * DAY_MS;
      ms += i === index ? Math.max(0, average - inStage) : average;
    }
    return {
      expectedCloseDate: new Date(now.getTime() + ms).toISOString().slice(0, 10),
      closeDateSource: 'history',
    };
  }
  return deal.closeDate
    ? { expectedCloseDate: deal.closeDate, closeDateSource: 'deal' }
    : { closeDateSource: 'none' };
}

/** The forecast of `deals` of `pipeline` from its stage counters, as of `now`. */
export function forecastOf(
  pipeline: Pipeline,
  deals: Deal[],
  counters: StageCounters[],
  now: Date,
): Forecast {
  const histories = pipeline.stages.map((s) => stageHistory(counters.find((c) => c.stage === s.name)));
  const overall = new Map<string, ForecastTotal>();
  const open: DealForecast[] = [];
  const stages = pipeline.stages.map((stage, index) => {
    const history = histories[index] ?? stageHistory(undefined);
    const rate = rateOf(stage.probability, history);
    const kind = stageKind(stage.probability);
    const inStage = deals.filter((d) => d.stage === stage.name);
    const totals = new Map<string, ForecastTotal>();
    for (const deal of inStage) {
      addTo(totals, deal, stage.probability, rate.winRate);
      addTo(overall, deal, stage.probability, rate.winRate);
      if (kind !== 'open') continue;
      const entered = deal.stageEnteredAt ? Date.parse(deal.stageEnteredAt) : undefined;
      open.push({
        dealId: deal.id,
        title: deal.title,
        stage: stage.name,
        amount: deal.amount,
        currency: deal.currency,
        winRate: round(rate.winRate, 4),
        rateSource: rate.rateSource,
        ...(deal.stageEnteredAt && entered !== undefined
          ? {
              stageEnteredAt: deal.stageEnteredAt,
              daysInStage: round(Math.max(0, now.getTime() - entered) / DAY_MS, 3),
            }
          : {}),
        ...expectedClose(deal, index, pipeline, histories, now),
      });
    }
    return {
      name: stage.name,
      probability: stage.probability,
      kind,
      history,
      ...rate,
      count: inStage.length,
      totals: sorted(totals),
    };
  });
  return {
    pipelineId: pipeline.id,
    asOf: now.toISOString(),
    minHistory: MIN_HISTORY,
    stages,
    deals: open,
    totals: sorted(overall),
  };
}

/** The forecast: the pipeline, its board partition and its stage counters (three reads). */
export async function pipelineForecast(deps: SalesDeps, pipelineId: string): Promise<Forecast> {
  const pipeline = await getPipeline(deps, pipelineId);
  const [deals, counters] = await Promise.all([
    deps.store.listDealsOnBoard(pipelineId),
    deps.store.listStageStats(pipelineId),
  ]);
  return forecastOf(pipeline, withCurrentStages(pipeline, deals), counters, deps.clock.now());
}
