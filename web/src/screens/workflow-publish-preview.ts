/**
 * Publishing a new version with a look first: what the saved draft changes against the published
 * version (settings, and each step added, removed, changed or moved) and the enrollments running on
 * each version, by the step they are at — they stay on their version — then "Publish version N" or
 * "Not now".
 */
import { useEffect } from 'preact/hooks';
import { api } from '../api.js';
import type { components } from '../api-types.js';
import { ErrorBox, html, Loading, useAction, useLoad } from '../ui.js';

type Preview = components['schemas']['WorkflowPublishPreview'];

const CHANGE: Record<Preview['steps'][number]['change'], string> = {
  added: 'added',
  removed: 'removed',
  changed: 'changed',
  moved: 'moved',
};
const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString()} ${n === 1 ? one : many}`;

export function PublishReview({
  workflowId,
  onPublish,
  onClose,
}: {
  workflowId: string;
  /** Publishes (the screen's own action, with its errors); resolves when done. */
  onPublish: () => Promise<unknown>;
  onClose: () => void;
}) {
  const preview = useLoad(
    () => api<Preview>('GET', `/v1/workflows/${workflowId}/publish-preview`),
    [workflowId],
  );
  const action = useAction();
  useEffect(() => {
    if (preview.data) setTimeout(() => document.getElementById('publish-preview-title')?.focus());
  }, [preview.data]);
  if (!preview.data)
    return preview.error
      ? html`<${ErrorBox} error=${preview.error} onRetry=${preview.reload} />`
      : html`<${Loading} what="Comparing with the published version" />`;
  const p = preview.data;
  const nothing = p.steps.length === 0 && p.settings.length === 0;
  return html`<section class="card" aria-labelledby="publish-preview-title">
    <h2 id="publish-preview-title" tabindex="-1">
      ${p.publishedVersion ? `Publish version ${p.nextVersion}?` : 'Publish the first version?'}
    </h2>
    ${
      !p.publishedVersion
        ? html`<p>New contacts will be enrolled as soon as it is published.</p>`
        : nothing
          ? html`<p>The draft is the same as version ${p.publishedVersion}.</p>`
          : html`<h3>Changes since version ${p.publishedVersion}</h3>
            <ul aria-label="Changes">
              ${p.settings.map((s) => html`<li key=${s}>The ${s} changed.</li>`)}
              ${p.steps.map(
                (s) =>
                  html`<li key=${s.stepId}><strong>${s.stepId}</strong> (${s.type}) ${CHANGE[s.change]}</li>`,
              )}
            </ul>`
    }
    <h3>Running now</h3>
    ${
      p.running.length === 0
        ? html`<p>No enrollment is running.</p>`
        : html`<ul aria-label="Running enrollments">
            ${p.running.map(
              (r) => html`<li key=${r.version}>
                ${plural(r.active, 'enrollment')} on version ${r.version}${
                  Object.keys(r.atSteps).length > 0
                    ? `: ${Object.entries(r.atSteps)
                        .map(([step, n]) => `${n} at ${step}`)
                        .join(', ')}`
                    : ''
                }
              </li>`,
            )}
          </ul>
          <p class="muted">They finish on the version they started with; new enrollments start on version ${p.nextVersion}.</p>`
    }
    <div style="display:flex;gap:0.5rem;flex-wrap:wrap">
      <button type="button" disabled=${action.busy} onClick=${() => action.run(onPublish)}>
        ${p.publishedVersion ? `Publish version ${p.nextVersion}` : 'Publish'}
      </button>
      <button type="button" class="secondary" onClick=${onClose}>Not now</button>
    </div>
    <${ErrorBox} error=${action.error} />
  </section>`;
}
