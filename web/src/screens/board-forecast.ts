/**
 * The board's historical forecast (GET /v1/pipelines/{id}/forecast): each stage's history beside its
 * static probability, each open deal's win rate and expected close, and the totals per currency.
 */
import type { components } from '../api-types.js';
import { ErrorBox, html, Loading, money } from '../ui.js';

export type Forecast = components['schemas']['Forecast'];
type ForecastStage = Forecast['stages'][number];
type DealForecast = Forecast['deals'][number];
type ForecastTotal = components['schemas']['ForecastTotal'];

export interface ForecastLoad {
  data?: Forecast | undefined;
  error?: unknown;
  loading: boolean;
  reload: () => void;
}

const percent = (rate: number) => `${Math.round(rate * 100)}%`;
/** A duration given in days: in minutes under an hour, in hours under a day. */
const duration = (days: number) =>
  Math.round(days * 1440) < 1
    ? 'under a minute'
    : days < 1 / 24
      ? `${Math.round(days * 1440)} minutes`
      : days < 1
        ? `${(days * 24).toFixed(1)} hours`
        : `${days.toFixed(1)} ${days === 1 ? 'day' : 'days'}`;
const date = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString(undefined, {
    timeZone: 'UTC',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });

export const historicalTotals = (t: ForecastTotal[]) =>
  t.length ? t.map((x) => money(x.forecast, x.currency)).join(' · ') : '—';

/** The pipeline's historical forecast beside the static one, or its loading or error state. */
export function ForecastSummary({ forecast }: { forecast: ForecastLoad }) {
  if (forecast.loading && !forecast.data) return html`<${Loading} what="Loading the historical forecast" />`;
  if (!forecast.data)
    return html`<${ErrorBox} error=${forecast.error ?? 'The forecast could not be loaded'} onRetry=${forecast.reload} />`;
  return html`<p>
    <strong>Historical forecast:</strong> ${historicalTotals(forecast.data.totals)}
    <span class="muted"> (from each stage's win rate once it has ${forecast.data.minHistory} closed deals)</span>
  </p>`;
}

/** A stage's history under its static probability: its win rate (and whether it is used), its average time. */
export function StageHistory({
  stage,
  minHistory,
}: {
  stage: ForecastStage | undefined;
  minHistory: number;
}) {
  if (stage?.kind !== 'open') return null;
  const h = stage.history;
  const closed = h.won + h.lost;
  const time = h.averageDays === undefined ? '' : ` · avg ${duration(h.averageDays)} in stage`;
  const rate =
    stage.rateSource === 'history'
      ? `${percent(stage.winRate)} won of ${closed} closed (used)`
      : h.winRate === undefined
        ? `0 of ${minHistory} closed deals yet (static used)`
        : `${percent(h.winRate)} won of ${closed} closed, ${minHistory} needed (static used)`;
  return html`<p class="muted">History: ${rate}${time}</p>`;
}

/** A stage's totals weighted by the rate used (beside the static forecast of its totals). */
export const StageForecast = ({ stage }: { stage: ForecastStage | undefined }) =>
  stage?.count && stage.kind === 'open'
    ? html`<p class="muted">Historical forecast: ${historicalTotals(stage.totals)}</p>`
    : null;

/** An open deal's rate and expected close date. */
export function DealOutlook({ deal }: { deal: DealForecast | undefined }) {
  if (!deal) return null;
  const close =
    deal.expectedCloseDate === undefined
      ? 'no expected close yet'
      : `expected close ${date(deal.expectedCloseDate)}${deal.closeDateSource === 'deal' ? ' (its close date)' : ''}`;
  return html`<p class="muted">Win ${percent(deal.winRate)} (${deal.rateSource}) · ${close}</p>`;
}
