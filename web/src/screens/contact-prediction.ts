/**
 * In a contact's Lead score card: how likely the contact is to convert (get a won deal) by the
 * daily trained model, with the three features that moved it most, each said as raising or lowering
 * it; for a customer, the churn risk from falling engagement, open cases and CSAT with its factors
 * (and how many cases are open, the recent CSAT average). No model yet: why.
 * `round` changes when the card reloads, so the prediction is read again with the score.
 */
import { api, type ContactPrediction, type PredictionFactor } from '../api.js';
import { Empty, ErrorBox, html, Loading, useLoad, when } from '../ui.js';

const percent = new Intl.NumberFormat(undefined, { style: 'percent', maximumFractionDigits: 0 });
const signed = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2, signDisplay: 'exceptZero' });
const plain = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const auc = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A likelihood as people read it: never "0%" or "100%" for what is only unlikely or likely. */
export const likelihoodText = (p: number) =>
  p < 0.01 ? 'under 1%' : p > 0.99 ? 'over 99%' : percent.format(p);

const CHURN_LEVEL: Record<NonNullable<ContactPrediction['churn']>['level'], string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
};

function Factors({
  id,
  factors,
  up,
  down,
  risk = false,
}: {
  id: string;
  factors: PredictionFactor[];
  up: string;
  down: string;
  /** A risk's factors: what raises it is the bad news. */
  risk?: boolean;
}) {
  return html`<ul class="plain prediction-factors" aria-labelledby=${id}>
    ${factors.map(
      (f) => html`<li key=${f.feature}>
        <span class=${(f.contribution > 0) === risk ? 'prediction-sign is-bad' : 'prediction-sign'} aria-hidden="true">${
          f.contribution < 0 ? '▼' : '▲'
        }</span>
        <span class="prediction-factor"><span class="wrap-anywhere">${f.detail}</span>
          <small class="muted">${f.contribution < 0 ? down : up} (${signed.format(f.contribution)})</small></span>
      </li>`,
    )}
  </ul>`;
}

export function ContactPredictionPanel({ contactId, round }: { contactId: string; round: number }) {
  const prediction = useLoad(
    () => api<ContactPrediction>('GET', `/v1/contacts/${contactId}/prediction`),
    [contactId, round],
  );
  const p = prediction.data;
  return html`<div class="prediction">
    <h3 id="prediction-title">Likelihood to convert</h3>
    ${
      prediction.error
        ? html`<${ErrorBox} error=${prediction.error} onRetry=${prediction.reload} />`
        : !p
          ? html`<${Loading} what="Loading the prediction" />`
          : p.status === 'no_model' || p.likelihood === undefined
            ? html`<${Empty}>${p.message ?? 'No model yet.'} See <a href="#/settings">Settings → Lead scoring</a>.</${Empty}>`
            : html`<p class="prediction-total" id="prediction-text"><strong class="standing-number">${likelihoodText(
                p.likelihood,
              )}</strong> <span>likely to get a won deal</span></p>
              <meter min="0" max="1" value=${p.likelihood} aria-labelledby="prediction-text" />
              ${
                p.factors.length
                  ? html`<p class="prediction-why" id="prediction-why">Mostly because of:</p>
                    <${Factors} id="prediction-why" factors=${p.factors} up="raises it" down="lowers it" />`
                  : null
              }
              <p class="muted prediction-model">Model trained <time datetime=${p.modelTrainedAt}>${when(
                p.modelTrainedAt,
              )}</time>; held-out AUC ${auc.format(p.modelAuc ?? 0)} (0.5 is chance, 1 is perfect).</p>`
    }
    ${p?.churn ? html`<${Churn} churn=${p.churn} />` : null}
  </div>`;
}

/** "; 2 open cases; CSAT 1.5 of 5" — what the risk read of the customer's cases, when any. */
const serviceText = (churn: NonNullable<ContactPrediction['churn']>) =>
  [
    churn.openCases ? `${churn.openCases} open ${churn.openCases === 1 ? 'case' : 'cases'}` : '',
    churn.csatAverage !== undefined ? `CSAT ${plain.format(churn.csatAverage)} of 5 (90 days)` : '',
  ]
    .filter(Boolean)
    .map((part) => `; ${part}`)
    .join('');

function Churn({ churn }: { churn: NonNullable<ContactPrediction['churn']> }) {
  return html`<h3 id="churn-title">Churn risk</h3>
    <p class="prediction-total" id="churn-text"><strong class=${`churn-level is-${churn.level}`}>${CHURN_LEVEL[churn.level]}</strong>
      <span>${` (${percent.format(churn.risk)}): ${churn.recentEngagement} engagements in the last 30 days, ${plain.format(churn.previousEngagement)} per 30 days before${serviceText(churn)}.`}</span></p>
    <meter min="0" max="1" low="0.34" high="0.67" optimum="0" value=${churn.risk} aria-labelledby="churn-text" />
    <p class="prediction-why" id="churn-why">Mostly because of:</p>
    <${Factors} id="churn-why" factors=${churn.factors} up="adds to the risk" down="lowers the risk" risk />`;
}
