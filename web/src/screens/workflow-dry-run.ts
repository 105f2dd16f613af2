/**
 * A workflow's dry run: choose a contact (and, optionally, the emails they are taken to have opened
 * or clicked), run the draft for them in simulation — nothing is sent or written, waits are skipped —
 * and read the path taken, step by step, with each email as it would go out (in a sandboxed frame).
 */
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api.js';
import type { components } from '../api-types.js';
import { ContactPicker, type SearchResult } from '../pickers.js';
import { ErrorBox, html, useAction } from '../ui.js';

type DryRun = components['schemas']['WorkflowDryRun'];
type Engagement = 'none' | 'opened' | 'clicked';

const ENDINGS: Record<string, string> = {
  completed: 'It reaches the end of the workflow.',
  exited: 'It leaves the workflow at an exit step.',
  goal_met: 'The contact reaches the goal: the enrollment ends.',
};

export function DryRunPanel({
  workflowId,
  savedDraft,
  sendSteps,
}: {
  workflowId: string;
  /** The saved draft (JSON): a result of an older draft is cleared, as it no longer says what happens. */
  savedDraft: string;
  sendSteps: string[];
}) {
  const [contact, setContact] = useState<SearchResult | undefined>();
  const [engagement, setEngagement] = useState<Record<string, Engagement>>({});
  const [result, setResult] = useState<DryRun | undefined>();
  // A result of an older draft no longer says what happens: cleared when the saved draft changes.
  useEffect(() => setResult(undefined), [savedDraft]);
  const action = useAction();
  const run = () =>
    action.run(async () => {
      if (!contact) return;
      const chosen = (kind: Engagement) =>
        Object.entries(engagement)
          .filter(([step, e]) => e === kind && sendSteps.includes(step))
          .map(([step]) => step);
      setResult(
        await api<DryRun>('POST', `/v1/workflows/${workflowId}/dry-run`, {
          contactId: contact.id,
          opened: chosen('opened'),
          clicked: chosen('clicked'),
        }),
      );
      setTimeout(() => document.getElementById('dry-run-result')?.focus());
    });
  return html`<section class="card" aria-labelledby="dry-run-title">
    <h2 id="dry-run-title">Dry run</h2>
    <p class="muted">Follow the draft for one contact: nothing is sent or saved, and waits are skipped.</p>
    <form onSubmit=${(e: Event) => {
      e.preventDefault();
      void run();
    }}>
      ${
        contact
          ? html`<p>For <strong>${contact.name}</strong>
              <button type="button" class="link" onClick=${() => {
                setContact(undefined);
                setResult(undefined);
              }}>Choose another contact</button></p>`
          : html`<${ContactPicker} id="dry-run-contact" label="Contact" hint="Search by name or email." onChoose=${setContact} />`
      }
      ${
        sendSteps.length > 0
          ? html`<fieldset>
              <legend>The contact, for each email</legend>
              ${sendSteps.map(
                (step) => html`<label class="inline" key=${step}>
                  <span>${step}</span>${' '}
                  <select aria-label=${`Engagement with ${step}`} value=${engagement[step] ?? 'none'} onChange=${(
                    e: Event,
                  ) =>
                    setEngagement({
                      ...engagement,
                      [step]: (e.target as HTMLSelectElement).value as Engagement,
                    })}>
                    <option value="none">does not open it</option>
                    <option value="opened">opens it</option>
                    <option value="clicked">clicks a link in it</option>
                  </select>
                </label>`,
              )}
            </fieldset>`
          : null
      }
      <button type="submit" disabled=${!contact || action.busy}>${action.busy ? 'Running…' : 'Run'}</button>
    </form>
    <${ErrorBox} error=${action.error} onRetry=${run} />
    ${result ? html`<${DryRunResult} result=${result} />` : null}
  </section>`;
}

function DryRunResult({ result }: { result: DryRun }) {
  return html`<div id="dry-run-result" tabindex="-1" aria-labelledby="dry-run-path">
    <h3 id="dry-run-path">The path taken</h3>
    <ol class="dry-run-steps">
      ${result.steps.map(
        (s, i) => html`<li key=${`${s.stepId}-${i}`}>
          <strong>${s.stepId}</strong> <span class="muted">(${s.type})</span>: ${s.outcome}
          ${
            s.email
              ? html`<details>
                  <summary>See the email “${s.email.subject}”</summary>
                  <iframe title=${`The email of step ${s.stepId}`} sandbox="" srcdoc=${s.email.html} class="preview"></iframe>
                </details>`
              : null
          }
        </li>`,
      )}
    </ol>
    <p role="status">${ENDINGS[result.ending] ?? `It stops: ${result.ending}.`}</p>
  </div>`;
}
