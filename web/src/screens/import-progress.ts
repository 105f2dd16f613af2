/**
 * Import step 5: a running import's progress (polled every second until it finishes), its counts,
 * rate and time left, Cancel while it runs; when finished, a summary and the refused rows as CSV.
 */
import { api, apiCsv, type Import, type ImportView } from '../api.js';
import { ErrorBox, html, link, saveFile, useAction, when } from '../ui.js';

export const FINISHED: ReadonlyArray<Import['status']> = ['completed', 'cancelled', 'failed'];

export const STATUS_LABELS: Record<Import['status'], string> = {
  draft: 'Not started',
  queued: 'Queued',
  processing: 'Importing',
  completed: 'Completed',
  cancelled: 'Cancelled',
  failed: 'Failed',
};

const count = (n: number) => n.toLocaleString();

export function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

function Counts({ counts }: { counts: Import['counts'] }) {
  const items: Array<[string, number, string]> = [
    ['Created', counts.created, 'created'],
    ['Updated', counts.updated, 'updated'],
    ['Unchanged', counts.unchanged, 'unchanged'],
    ['Failed', counts.failed, counts.failed > 0 ? 'failed is-bad' : 'failed'],
  ];
  return html`<dl class="counts">
    ${items.map(
      ([label, n, cls]) => html`<div class=${`count ${cls}`}><dt>${label}</dt><dd>${count(n)}</dd></div>`,
    )}
  </dl>`;
}

function Summary({ record }: { record: Import }) {
  const { counts, rows } = record;
  const total = rows ?? counts.processed;
  switch (record.status) {
    case 'completed': {
      if (total === 0)
        return html`<p class="summary is-bad">
          The file has a header row but no data rows: nothing was imported. Check that you chose the right file.
        </p>`;
      const done = [
        `${count(total)} ${total === 1 ? 'row' : 'rows'} read`,
        `${count(counts.created)} contacts created`,
        `${count(counts.updated)} updated`,
        `${count(counts.unchanged)} unchanged`,
      ].join(', ');
      return html`<p class="summary">
        ${`Done: ${done}`}${counts.failed > 0 ? ', ' : null}${
          counts.failed > 0
            ? html`<strong class="is-bad">${count(counts.failed)} refused (see the error report)</strong>`
            : null
        }${'. '}<a href=${link('/contacts')}>See the contacts</a>.
      </p>`;
    }
    case 'cancelled':
      return html`<p class="summary">
        ${`Cancelled after ${count(counts.processed)} of ${rows === undefined ? 'the' : count(rows)} rows. `}
        The contacts written before the cancellation stay; the rest of the file was not imported.
      </p>`;
    case 'failed':
      return html`<p class="summary is-bad">
        The file could not be imported${record.error ? `: ${record.error}` : '.'} No row was written.
      </p>`;
    default:
      return null;
  }
}

export function ImportProgress({ view, onChanged }: { view: ImportView; onChanged: () => void }) {
  const record = view.import;
  const { counts, rows } = record;
  const running = !FINISHED.includes(record.status);
  const cancel = useAction();
  const report = useAction();
  // Floored: 100% only once every row is processed (99,500 of 100,000 is 99%). An empty file is done.
  const percent = rows ? Math.min(100, Math.floor((counts.processed / rows) * 100)) : 100;
  const download = () =>
    report.run(async () => {
      const { text, filename } = await apiCsv(`/v1/imports/${record.id}/errors`);
      saveFile(text, filename === 'download.csv' ? `import-${record.id}-errors.csv` : filename);
    });

  return html`<section class="card" aria-labelledby="progress-title">
    <h2 id="progress-title">Progress</h2>
    <p>
      Status: <strong class=${`status status-${record.status}`} role="status">${STATUS_LABELS[record.status]}</strong>
      ${record.startedAt ? html` <span class="muted">· started ${when(record.startedAt)}</span>` : null}
      ${record.finishedAt ? html` <span class="muted">· finished ${when(record.finishedAt)}</span>` : null}
    </p>
    <div class="field">
      <label for="import-bar">Rows processed</label>
      ${
        rows !== undefined
          ? html`<progress key="known" id="import-bar" max=${Math.max(rows, 1)} value=${Math.min(counts.processed, rows)}
              aria-valuetext=${`${count(counts.processed)} of ${count(rows)} rows`}></progress>`
          : html`<progress key="unknown" id="import-bar" aria-valuetext=${`${count(counts.processed)} rows so far`}></progress>`
      }
      <small class="muted" id="import-bar-text">
        ${
          rows !== undefined
            ? `${count(counts.processed)} of ${count(rows)} rows (${percent}%)`
            : running
              ? `${count(counts.processed)} rows so far; counting the file…`
              : `${count(counts.processed)} rows`
        }
        ${view.rowsPerSecond !== undefined ? ` · ${count(view.rowsPerSecond)} rows per second` : ''}
        ${running && view.etaSeconds !== undefined ? ` · about ${duration(view.etaSeconds)} left` : ''}
      </small>
    </div>
    <${Counts} counts=${counts} />
    ${running ? null : html`<${Summary} record=${record} />`}
    <${ErrorBox} error=${cancel.error} />
    <${ErrorBox} error=${report.error} />
    <div class="actions">
      ${
        running
          ? html`<button type="button" class="secondary" disabled=${cancel.busy}
              onClick=${async () => {
                if (await cancel.run(() => api('POST', `/v1/imports/${record.id}/cancel`))) onChanged();
              }}>${cancel.busy ? 'Cancelling…' : 'Cancel import'}</button>`
          : null
      }
      ${
        !running && counts.failed > 0
          ? html`<button type="button" disabled=${report.busy} onClick=${download}>
              ${report.busy ? 'Preparing the report…' : 'Download error report'}
            </button>`
          : null
      }
      ${running ? null : html`<a class="button secondary" href=${link('/imports')}>New import</a>`}
    </div>
  </section>`;
}
