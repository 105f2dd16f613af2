/**
 * Imports: a new import (the wizard of import-wizard.ts) and the past ones; an import's own page
 * (#/imports/{id}) finishes a draft's mapping or follows its progress until it is done.
 */
import { useState } from 'preact/hooks';
import { api, type Import, type ImportView, type Page, query } from '../api.js';
import {
  Empty,
  ErrorBox,
  html,
  Loading,
  link,
  Pager,
  useAction,
  useLoad,
  usePager,
  usePoll,
  when,
} from '../ui.js';
import { FINISHED, ImportProgress, STATUS_LABELS } from './import-progress.js';
import { MappingStep, NewImport, Steps } from './import-wizard.js';

/** Rows processed, and of how many when that is not all of them. */
const rowsOf = (i: Import) =>
  i.rows !== undefined && i.rows !== i.counts.processed
    ? `${i.counts.processed.toLocaleString()} of ${i.rows.toLocaleString()}`
    : i.counts.processed.toLocaleString();

export function ImportsScreen() {
  return html`<section aria-labelledby="imports-title">
    <h1 id="imports-title">Import contacts</h1>
    <${NewImport} />
    <${ImportHistory} />
  </section>`;
}

function ImportHistory() {
  const pager = usePager();
  const list = useLoad(
    () => api<Page<Import>>('GET', `/v1/imports${query({ limit: 20, cursor: pager.cursor })}`),
    [pager.cursor],
  );
  const items = list.data?.items;
  return html`<section class="history" aria-labelledby="history-title">
    <div class="section-head">
      <h2 id="history-title">Past imports</h2>
      <button type="button" class="secondary" onClick=${list.reload} disabled=${list.loading}>Refresh</button>
    </div>
    ${
      list.error
        ? html`<${ErrorBox} error=${list.error} onRetry=${list.reload} />`
        : !items
          ? html`<${Loading} what="Loading past imports" />`
          : items.length === 0
            ? html`<${Empty}>No imports yet.</${Empty}>`
            : html`<div class="table-scroll" role="region" aria-labelledby="history-caption" tabindex="0">
                <table class="history-table">
                  <caption class="sr-only" id="history-caption">Past imports, newest first</caption>
                  <thead><tr>
                    <th scope="col">File</th><th scope="col">Status</th><th scope="col" class="num">Rows</th>
                    <th scope="col" class="num">Created</th><th scope="col" class="num">Updated</th>
                    <th scope="col" class="num">Unchanged</th><th scope="col" class="num">Failed</th><th scope="col">Date</th>
                  </tr></thead>
                  <tbody>
                    ${items.map(
                      (i) => html`<tr>
                        <td><a href=${link(`/imports/${i.id}`)}>${i.fileName}</a></td>
                        <td><span class=${`status status-${i.status}`}>${STATUS_LABELS[i.status]}</span></td>
                        <td class="num">${rowsOf(i)}</td>
                        <td class="num">${i.counts.created.toLocaleString()}</td>
                        <td class="num">${i.counts.updated.toLocaleString()}</td>
                        <td class="num">${i.counts.unchanged.toLocaleString()}</td>
                        <td class=${i.counts.failed > 0 ? 'num is-bad' : 'num'}>${i.counts.failed.toLocaleString()}</td>
                        <td>${when(i.createdAt)}</td>
                      </tr>`,
                    )}
                  </tbody>
                </table>
              </div>`
    }
    ${
      items && (pager.page > 1 || list.data?.nextCursor)
        ? html`<${Pager} page=${pager.page} nextCursor=${list.data?.nextCursor} onNext=${pager.next} onPrev=${pager.prev} />`
        : null
    }
  </section>`;
}

/**
 * One import, polled every second while it is queued or running (and once otherwise). A cancelled
 * import is followed a little longer: chunks being written when it was cancelled still finish and
 * are counted, so its counts settle a few seconds later. A poll that fails stops the polling and
 * offers Retry, which starts it again.
 */
function useImportView(id: string) {
  const { value, error, refresh } = usePoll(() => api<ImportView>('GET', `/v1/imports/${id}`), () => {
    let last = '';
    let settled = 0;
    let extra = 0;
    return (next) => {
      const { status, counts } = next.import;
      const seen = JSON.stringify(counts);
      settled = seen === last ? settled + 1 : 0;
      last = seen;
      const running = status !== 'draft' && !FINISHED.includes(status);
      const settling = status === 'cancelled' && settled < 3 && extra++ < 60;
      return running || settling;
    };
  }, [id]);
  return { view: value, error, refresh };
}

export function ImportScreen({ id }: { id: string }) {
  const { view, error, refresh } = useImportView(id);
  const record = view?.import;
  const draft = record?.status === 'draft';
  return html`<section aria-labelledby="import-title">
    <p class="crumbs"><a href=${link('/imports')}>Imports</a> ›</p>
    <h1 id="import-title">${record ? `Import of ${record.fileName}` : 'Import'}</h1>
    ${record ? html`<${Steps} current=${draft ? 2 : 3} />` : null}
    ${error ? html`<${ErrorBox} error=${error} onRetry=${refresh} />` : null}
    ${
      !record
        ? error
          ? null
          : html`<${Loading} what="Loading the import" />`
        : draft
          ? html`<p class="muted">This import has not started yet: map its columns and choose its options.</p>
              <${MappingStep} id=${id} onStarted=${refresh} />
              <${DiscardDraft} id=${id} />`
          : html`<${ImportProgress} view=${view} onChanged=${refresh} />`
    }
  </section>`;
}

/** A draft no one will finish: cancelled (nothing was imported), and the history shown. */
function DiscardDraft({ id }: { id: string }) {
  const act = useAction();
  const [asking, setAsking] = useState(false);
  const discard = async () => {
    if (await act.run(() => api('POST', `/v1/imports/${id}/cancel`))) window.location.hash = '#/imports';
  };
  const keep = () => {
    setAsking(false);
    setTimeout(() => document.getElementById('discard-import')?.focus());
  };
  return asking
    ? html`<div class="bulk-confirm" role="group" aria-labelledby="discard-question" tabindex="-1"
        ref=${(el: HTMLElement | null) => el?.focus()} onKeyDown=${(e: KeyboardEvent) => e.key === 'Escape' && keep()}>
        <p id="discard-question"><strong>Discard this import?</strong> Nothing has been imported from it yet.</p>
        <div class="actions">
          <button type="button" class="danger" disabled=${act.busy} onClick=${discard}>Discard</button>
          <button type="button" class="secondary" onClick=${keep}>Keep it</button>
        </div>
        <${ErrorBox} error=${act.error} />
      </div>`
    : html`<div class="actions">
        <button type="button" id="discard-import" class="secondary danger" onClick=${() => setAsking(true)}>Discard this import</button>
      </div>`;
}
