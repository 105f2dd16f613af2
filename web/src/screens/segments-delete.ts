/**
 * Deleting a segment: a modal dialog that asks first (Escape or Cancel keeps it), deletes at the
 * version shown, and says plainly why when it is refused: the workflows it triggers (each a link,
 * to pause it first), or someone's edit in between (Reload).
 */
import { ApiError, api, type Segment } from '../api.js';
import { ErrorBox, html, link, useAction, useModalDialog } from '../ui.js';

type InUse = { workflows: Array<{ id: string; name: string }> };

const inUse = (error: unknown): InUse | undefined =>
  error instanceof ApiError && error.code === 'segment_in_use' && !Array.isArray(error.details)
    ? (error.details as InUse)
    : undefined;

export function SegmentDelete({
  segment,
  onClose,
  onReload,
}: {
  segment: Segment;
  onClose: () => void;
  onReload: () => void;
}) {
  const dialog = useModalDialog();
  const remove = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    if (await remove.run(() => api('DELETE', `/v1/segments/${segment.id}?version=${segment.version}`))) {
      dialog.current?.close();
      window.location.hash = '#/segments';
    }
  };
  const refused = inUse(remove.error);
  const stale = remove.error instanceof ApiError && remove.error.code === 'version_conflict';
  return html`<dialog ref=${dialog} class="segment-dialog" aria-labelledby="delete-segment-title" aria-describedby="delete-segment-what"
    onCancel=${(e: Event) => {
      e.preventDefault();
      onClose();
    }}>
    <form onSubmit=${submit}>
      <h2 id="delete-segment-title" class="wrap-anywhere">Delete the segment ${segment.name}?</h2>
      <p id="delete-segment-what">The segment goes; its contacts stay as they are. Campaigns that send to it or
        leave it out can no longer be sent until another segment is chosen. This cannot be undone.</p>
      ${
        refused
          ? html`<div class="error" role="alert">
              <strong>It is in use: it triggers ${refused.workflows.length === 1 ? 'this workflow' : 'these workflows'}. Pause ${refused.workflows.length === 1 ? 'it' : 'them'} first.</strong>
              <ul aria-label="Workflows that use the segment">
                ${refused.workflows.map((w) => html`<li><a href=${link(`/workflows/${w.id}`)}>${w.name}</a></li>`)}
              </ul>
            </div>`
          : html`<${ErrorBox} error=${remove.error} onRetry=${stale ? onReload : undefined} />`
      }
      <div class="segment-dialog-buttons">
        <button type="button" class="secondary" onClick=${onClose}>Cancel</button>
        <button type="submit" class="danger" disabled=${remove.busy || refused !== undefined}>
          ${remove.busy ? 'Deleting…' : 'Delete segment'}
        </button>
      </div>
    </form>
  </dialog>`;
}
