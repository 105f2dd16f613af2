/**
 * A bulk action's progress (the contacts list's bulk actions, a contact's data export): polled every
 * second until it finishes, with a progress bar, its counts and Cancel while it runs; when finished,
 * a summary and, for an export, the file's download link (a presigned URL: a plain link downloads it).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type BulkJob, type BulkJobView } from '../api.js';
import { ErrorBox, html, useAction } from '../ui.js';

export const BULK_FINISHED: ReadonlyArray<BulkJob['status']> = ['completed', 'cancelled', 'failed'];

const STATUS_LABELS: Record<BulkJob['status'], string> = {
  queued: 'Queued',
  processing: 'Running',
  paused: 'Paused',
  completed: 'Completed',
  cancelled: 'Cancelled',
  failed: 'Failed',
};

const count = (n: number) => n.toLocaleString();
const contacts = (n: number) => `${count(n)} ${n === 1 ? 'contact' : 'contacts'}`;

/** What the job does, as a heading: “Adding tag “vip” to 3 selected contacts”. */
export function describeJob(job: BulkJob): string {
  const a = job.audience;
  const who =
    a.kind === 'selection'
      ? `${contacts(a.contactIds.length)}`
      : a.kind === 'tag'
        ? `all contacts tagged “${a.tag}”`
        : 'a segment';
  switch (job.action.kind) {
    case 'addTag':
      return `Adding tag “${job.action.tag}” to ${who}`;
    case 'removeTag':
      return `Removing tag “${job.action.tag}” from ${who}`;
    case 'enroll':
      return `Enrolling ${who} in a workflow`;
    case 'sendCampaign':
      return `Sending a campaign to ${who}`;
    case 'delete':
      return `Deleting ${who}`;
    case 'export':
      return `Exporting ${who} as CSV`;
    case 'exportPerson':
      return 'Exporting all of this contact’s data';
    case 'count':
      return `Counting ${who}`;
  }
}

/** The labels of the changed and unchanged counts, in the action's terms. */
function countLabels(action: BulkJob['action']): [string, string] {
  switch (action.kind) {
    case 'addTag':
      return ['Tagged', 'Had the tag already'];
    case 'removeTag':
      return ['Untagged', 'Did not have it'];
    case 'enroll':
      return ['Enrolled', 'Left out'];
    case 'sendCampaign':
      return ['Sent', 'Left out'];
    case 'delete':
      return ['Deleted', 'Already gone'];
    case 'count':
      return ['Changed', 'Counted'];
    default:
      return ['Exported', 'Skipped'];
  }
}

function summary(job: BulkJob): string {
  const { counts, action } = job;
  const failed = counts.failed > 0 ? ` ${contacts(counts.failed)} failed.` : '';
  switch (job.status) {
    case 'completed':
      switch (action.kind) {
        case 'addTag':
          return `Done: tag “${action.tag}” added to ${contacts(counts.changed)} (${count(counts.unchanged)} had it already).${failed}`;
        case 'removeTag':
          return `Done: tag “${action.tag}” removed from ${contacts(counts.changed)} (${count(counts.unchanged)} did not have it).${failed}`;
        case 'enroll':
          return `Done: ${contacts(counts.changed)} enrolled (${count(counts.unchanged)} left out: enrolled already, at the goal, or without a basis to email them).${failed}`;
        case 'delete':
          return `Done: ${contacts(counts.changed)} deleted.${failed}`;
        case 'export':
          return `Done: ${contacts(counts.changed)} exported. The CSV file is ready.${failed}`;
        case 'exportPerson':
          return 'Done: the file with all of this contact’s data is ready.';
        case 'count':
          return `Done: ${contacts(counts.processed)} counted.`;
      }
      return 'Done.';
    case 'cancelled':
      return `Cancelled after ${contacts(counts.processed)}${job.total !== undefined ? ` of ${count(job.total)}` : ''}: the rest were left as they were.`;
    case 'failed':
      return `The action failed${job.error ? `: ${job.error}` : '.'}`;
    default:
      return '';
  }
}

/**
 * Polls the job every second until it finishes; `onFinished` is called once, when it does. A failed
 * poll stops the polling and keeps its error (Retry resumes).
 */
function useBulkJob(start: BulkJob, onFinished?: (view: BulkJobView) => void) {
  const [view, setView] = useState<BulkJobView>({ job: start });
  const [error, setError] = useState<unknown>();
  const finishedRef = useRef(onFinished);
  finishedRef.current = onFinished;
  const reported = useRef(false);
  const show = (next: BulkJobView) => {
    setView(next);
    if (BULK_FINISHED.includes(next.job.status) && !reported.current) {
      reported.current = true;
      finishedRef.current?.(next);
    }
  };
  const running = !BULK_FINISHED.includes(view.job.status);
  useEffect(() => {
    if (!running || error) return;
    let stopped = false;
    const timer = setTimeout(() => {
      api<BulkJobView>('GET', `/v1/bulk-actions/${start.id}`).then(
        (next) => !stopped && show(next),
        (err: unknown) => !stopped && setError(err),
      );
    }, 1000);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [view, error]);
  return { view, error, show, retry: () => setError(undefined) };
}

export function BulkProgress({
  job: start,
  fileLabel = 'Download CSV',
  nested = false,
  onFinished,
  onClose,
}: {
  job: BulkJob;
  fileLabel?: string;
  /** Inside another card: a subsection (an h3) rather than a card of its own. */
  nested?: boolean;
  onFinished?: (view: BulkJobView) => void;
  onClose?: () => void;
}) {
  const { view, error, show, retry } = useBulkJob(start, onFinished);
  const cancel = useAction();
  const heading = useRef<HTMLHeadingElement>(null);
  // The focus moves to the panel when it opens (the control that started the job may be gone).
  useEffect(() => heading.current?.focus(), []);
  const { job, downloadUrl } = view;
  const { counts, total } = job;
  const running = !BULK_FINISHED.includes(job.status);
  const [changedLabel, unchangedLabel] = countLabels(job.action);
  const items: Array<[string, number, string]> = [
    [changedLabel, counts.changed, 'changed'],
    [unchangedLabel, counts.unchanged, 'unchanged'],
    ['Failed', counts.failed, counts.failed > 0 ? 'failed is-bad' : 'failed'],
  ];
  const barId = `bulk-progress-${job.id}`;
  const stop = async () => {
    let next: BulkJob | undefined;
    if (
      await cancel.run(async () => (next = await api<BulkJob>('POST', `/v1/bulk-actions/${job.id}/cancel`)))
    )
      if (next) show({ job: next });
  };

  const Heading = nested ? 'h3' : 'h2';
  return html`<section class=${nested ? 'bulk-progress nested' : 'card bulk-progress'} aria-labelledby="bulk-progress-title">
    <${Heading} id="bulk-progress-title" tabindex="-1" ref=${heading}>${describeJob(job)}</${Heading}>
    <div role="status" aria-live="polite">
      <p class="bulk-status">
        Status: <strong class=${`status status-${job.status}`}>${STATUS_LABELS[job.status]}</strong>
      </p>
      ${running ? null : html`<p class=${`summary${job.status === 'completed' ? '' : ' is-bad'}`}>${summary(job)}</p>`}
    </div>
    ${
      job.action.kind === 'exportPerson'
        ? null
        : html`<div class="field">
            <label for=${barId}>Contacts processed</label>
            ${
              total !== undefined
                ? html`<progress key="known" id=${barId} max=${Math.max(total, 1)} value=${Math.min(counts.processed, total)}
                    aria-valuetext=${`${count(counts.processed)} of ${count(total)} contacts`}></progress>`
                : html`<progress key="unknown" id=${barId} aria-valuetext=${`${count(counts.processed)} contacts so far`}></progress>`
            }
            <small class="muted bulk-progress-text">
              ${
                total !== undefined
                  ? `${count(counts.processed)} of ${count(total)} contacts (${Math.round((Math.min(counts.processed, total) / Math.max(total, 1)) * 100)}%)`
                  : `${count(counts.processed)} contacts so far; counting them…`
              }
            </small>
          </div>
          <dl class="counts">
            ${items.map(([label, n, cls]) => html`<div class=${`count ${cls}`}><dt>${label}</dt><dd>${count(n)}</dd></div>`)}
          </dl>`
    }
    ${job.action.kind === 'exportPerson' && running ? html`<progress aria-label="Preparing the file"></progress>` : null}
    <${ErrorBox} error=${error} onRetry=${retry} />
    <${ErrorBox} error=${cancel.error} />
    <div class="actions">
      ${
        running
          ? html`<button type="button" class="secondary" disabled=${cancel.busy} onClick=${stop}>
              ${cancel.busy ? 'Cancelling…' : 'Cancel'}</button>`
          : null
      }
      ${
        !running && downloadUrl
          ? html`<a class="button" href=${downloadUrl} download=${job.file?.name ?? ''}>${fileLabel}</a>`
          : null
      }
      ${!running && onClose ? html`<button type="button" class="secondary" onClick=${onClose}>Close</button>` : null}
    </div>
  </section>`;
}
