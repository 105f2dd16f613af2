/**
 * A contact's lead score (decayed to now) against the threshold, its lifecycle stage (changed by hand
 * at the version read: a change refused because the standing moved meanwhile shows it as it is now),
 * and the latest score changes, newest first; then the likelihood to convert and, for a customer, the
 * churn risk (contact-prediction.ts). Rules score asynchronously: Reload score reads it all again.
 */
import { useState } from 'preact/hooks';
import { ApiError, api, type ContactStanding, type LifecycleStage } from '../api.js';
import { STAGE_ORDER, useStageLabels } from '../stage-labels.js';
import { Empty, ErrorBox, html, Loading, useAction, useLoad, when } from '../ui.js';
import { ContactPredictionPanel } from './contact-prediction.js';

const score = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
const delta = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1, signDisplay: 'exceptZero' });
const focusLater = (id: string) => setTimeout(() => document.getElementById(id)?.focus());

export function ContactStandingCard({
  contactId,
  onChange,
}: {
  contactId: string;
  /** Told when the standing is read again (a stage changed here), for what else shows it. */
  onChange?: () => void;
}) {
  const labels = useStageLabels();
  const standing = useLoad(
    () => api<ContactStanding>('GET', `/v1/contacts/${contactId}/standing`),
    [contactId],
  );
  const s = standing.data;
  // The stage chosen in the select, for the standing's version it was chosen at: once the standing
  // is read again (changed, refused or refreshed), the select shows the stage as read.
  const [chosen, setChosen] = useState<{ version: number; stage: LifecycleStage }>();
  const stage = chosen && chosen.version === s?.version ? chosen.stage : (s?.stage ?? '');
  const change = useAction();
  const [said, setSaid] = useState('');
  const [notice, setNotice] = useState<string | undefined>();
  // Read again with the standing: the prediction (and a customer's churn risk) depend on it.
  const [round, setRound] = useState(0);
  const reload = () => {
    standing.reload();
    setRound((r) => r + 1);
    onChange?.();
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!s) return;
    setNotice(undefined);
    change.clear();
    // Nothing to send: said in the status instead.
    if (stage === '' || stage === s.stage)
      return setSaid(
        stage === '' ? 'Choose a stage first.' : `${labels[stage]} already: choose another stage.`,
      );
    setSaid('');
    let stale = false;
    const ok = await change.run(async () => {
      try {
        await api('PUT', `/v1/contacts/${contactId}/lifecycle-stage`, { stage, expectedVersion: s.version });
      } catch (err) {
        stale = err instanceof ApiError && err.status === 409;
        // Refused as stale: not an error to show, the standing as it is now is.
        if (!stale) throw err;
      }
    });
    if (ok && stale) {
      setNotice(
        'This contact’s score or stage changed meanwhile (by a rule, or someone else): here it is as it is now. Change the stage again if still needed.',
      );
      focusLater('standing-title');
    } else if (ok) setSaid(`Stage changed to ${labels[stage]}.`);
    reload();
  };

  return html`<section class="card standing" aria-labelledby="standing-title">
    <h2 id="standing-title" tabIndex=${-1}>Lead score</h2>
    ${notice ? html`<div class="warning" role="alert">${notice}</div>` : null}
    ${
      standing.error
        ? html`<${ErrorBox} error=${standing.error} onRetry=${standing.reload} />`
        : !s
          ? html`<${Loading} what="Loading the lead score" />`
          : html`<${Score} standing=${s} />
            <form class="standing-stage" onSubmit=${submit}>
              <div class="field"><label for="standing-stage">Lifecycle stage</label>
                <select id="standing-stage" value=${stage} aria-describedby="standing-since"
                  onChange=${(e: Event) => {
                    setSaid('');
                    setChosen({
                      version: s.version,
                      stage: (e.target as HTMLSelectElement).value as LifecycleStage,
                    });
                  }}>
                  ${s.stage ? null : html`<option value="" disabled>No stage yet</option>`}
                  ${STAGE_ORDER.map((k) => html`<option key=${k} value=${k}>${labels[k]}</option>`)}
                </select>
                <small id="standing-since" class="muted">${
                  s.stage
                    ? s.stageChangedAt
                      ? html`${labels[s.stage]} since <time datetime=${s.stageChangedAt}>${when(s.stageChangedAt)}</time>`
                      : labels[s.stage]
                    : 'No stage yet: forms, scores and deals set one, or choose one here.'
                }</small>
              </div>
              <button type="submit" disabled=${change.busy}>Change stage</button>
            </form>
            <p role="status" class="muted standing-said">${said}</p>
            <${ErrorBox} error=${change.error} />
            <${History} standing=${s} />
            <${ContactPredictionPanel} contactId=${contactId} round=${round} />`
    }
    <button type="button" class="secondary" disabled=${standing.loading} onClick=${() => {
      setNotice(undefined);
      reload();
    }}>Reload score</button>
  </section>`;
}

function Score({ standing: s }: { standing: ContactStanding }) {
  const qualified = s.score >= s.threshold;
  return html`<div class="standing-score">
    <p class="standing-total" id="standing-score-text"><strong class="standing-number">${score.format(s.score)}</strong>
      <span> of ${score.format(s.threshold)} points${qualified ? ': marketing qualified' : ' to be marketing qualified'}</span></p>
    <meter min="0" max=${s.threshold} value=${Math.max(0, Math.min(s.score, s.threshold))}
      aria-labelledby="standing-score-text" />
  </div>`;
}

function History({ standing: s }: { standing: ContactStanding }) {
  return html`<h3 id="standing-history-title">Latest score changes</h3>
    ${
      s.history.length === 0
        ? html`<${Empty}>No score changes yet: points come from the lead scoring rules in <a href="#/settings">Settings</a>.</${Empty}>`
        : html`<ol class="plain standing-history" aria-labelledby="standing-history-title">
            ${s.history.map(
              (c) => html`<li>
                <span class=${c.delta < 0 ? 'standing-delta is-down' : 'standing-delta'}>${delta.format(c.delta)}</span>
                <span class="standing-change"><span class="wrap-anywhere">${c.reason}</span>
                  <small class="muted"><time datetime=${c.at}>${when(c.at)}</time> · score ${score.format(c.score)}</small></span>
              </li>`,
            )}
          </ol>`
    }`;
}
