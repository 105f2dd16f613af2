/**
 * The bulk bar's "Enroll in workflow" form: a published workflow picked from a list (loading, empty
 * and error states), then the enrollment runs as a bulk action. Contacts the workflow would not take
 * (enrolled already, at its goal, imported without a basis to email them) are counted as unchanged.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type BulkAction, type Page, type Workflow } from '../api.js';
import { ErrorBox, html, Loading, link, useLoad } from '../ui.js';

export function BulkEnrollForm({
  who,
  canAct,
  onRun,
  onClose,
}: {
  who: string;
  canAct: boolean;
  onRun: (action: BulkAction) => void;
  onClose: () => void;
}) {
  const list = useLoad(() => api<Page<Workflow>>('GET', '/v1/workflows?limit=100'), []);
  const active = (list.data?.items ?? []).filter((w) => w.status === 'active');
  const [workflowId, setWorkflowId] = useState('');
  const select = useRef<HTMLSelectElement>(null);
  const chosen = workflowId || active[0]?.id || '';
  useEffect(() => {
    if (active.length > 0) select.current?.focus();
  }, [active.length]);
  const submit = (e: Event) => {
    e.preventDefault();
    if (chosen) onRun({ kind: 'enroll', workflowId: chosen });
  };
  const close = html`<div class="field">
    <button type="button" class="secondary" onClick=${onClose}>Close</button>
  </div>`;
  if (list.error) return html`<${ErrorBox} error=${list.error} onRetry=${list.reload} />${close}`;
  if (!list.data) return html`<${Loading} what="Loading workflows" />`;
  if (active.length === 0)
    return html`<div class="bulk-form">
      <p class="empty">No published workflows. <a href=${link('/workflows')}>Publish one</a> to enroll contacts into it.</p>
      ${close}
    </div>`;
  return html`<form class="inline bulk-form" onSubmit=${submit}>
    <div class="field">
      <label for="bulk-workflow">Workflow</label>
      <select id="bulk-workflow" ref=${select} value=${chosen}
        onChange=${(e: Event) => setWorkflowId((e.target as HTMLSelectElement).value)}>
        ${active.map((w) => html`<option value=${w.id}>${w.name} (v${w.publishedVersion})</option>`)}
      </select>
    </div>
    <div class="field">
      <button type="submit" disabled=${!canAct}>Enroll ${who}</button>
    </div>
    ${close}
    <p class="hint">Contacts enrolled already, at the workflow's goal, or imported without a basis to email them are left out.</p>
  </form>`;
}
