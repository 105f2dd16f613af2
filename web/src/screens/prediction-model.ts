/**
 * In Settings → Lead scoring: the conversion model the contacts' likelihoods come from — when it was
 * trained, its held-out AUC and sizes, its coefficients by feature (behind a disclosure), and the
 * last training run when it was skipped (why). Read only: the model trains itself once a day.
 */
import { api, type PredictionModelView } from '../api.js';
import { Empty, ErrorBox, html, Loading, useLoad, when } from '../ui.js';

const count = new Intl.NumberFormat();
const auc = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const coefficient = new Intl.NumberFormat(undefined, { maximumFractionDigits: 2, signDisplay: 'exceptZero' });

export function PredictionModelSummary() {
  const view = useLoad(() => api<PredictionModelView>('GET', '/v1/predictions/model'), []);
  const v = view.data;
  const m = v?.model;
  const skipped = v?.lastRun?.outcome === 'skipped' ? v.lastRun : undefined;
  return html`<section class="prediction-model-summary" aria-labelledby="pm-title">
    <h3 id="pm-title">Conversion predictions</h3>
    ${
      view.error
        ? html`<${ErrorBox} error=${view.error} onRetry=${view.reload} />`
        : !v
          ? html`<${Loading} what="Loading the conversion model" />`
          : html`<p>Each contact's likelihood to get a won deal comes from a model trained every ${v.trainedEveryHours} hours
              on the workspace's contacts: lead score and stage, site and email activity, tags and source.</p>
            ${
              m
                ? html`<dl class="pm-facts">
                    <dt>Trained</dt><dd><time datetime=${m.trainedAt}>${when(m.trainedAt)}</time></dd>
                    <dt>Held-out AUC</dt><dd><strong>${auc.format(m.auc)}</strong> <span class="muted">(0.5 is chance, 1 is perfect)</span></dd>
                    <dt>Contacts</dt><dd>${`${count.format(m.trainingSize)} trained on (${count.format(m.positives)} converted), ${count.format(m.holdoutSize)} held out to measure it (${count.format(m.holdoutPositives)} converted)`}</dd>
                  </dl>
                  <details class="pm-coefficients">
                    <summary>What the model weighs</summary>
                    <table>
                      <caption class="muted">Change of the log-odds for one standard deviation more of each feature</caption>
                      <thead><tr><th scope="col">Feature</th><th scope="col">Weight</th></tr></thead>
                      <tbody>${[...m.coefficients]
                        .sort((a, b) => Math.abs(b.coefficient) - Math.abs(a.coefficient))
                        .map(
                          (c) =>
                            html`<tr key=${c.feature}><td>${c.label}</td><td class="num">${coefficient.format(c.coefficient)}</td></tr>`,
                        )}</tbody>
                    </table>
                  </details>`
                : html`<${Empty}>No model yet: it needs at least ${v.minimumPositives} contacts with a won deal.</${Empty}>`
            }
            ${
              skipped
                ? html`<p class="pm-skipped">The last training, <time datetime=${skipped.at}>${when(skipped.at)}</time>${`, was skipped${m ? ' (the model above was kept)' : ''}: ${skipped.message}`}</p>`
                : null
            }`
    }
  </section>`;
}
