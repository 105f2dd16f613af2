/**
 * A contact's GDPR access request: everything keyed to the person exported as one JSON file (a bulk
 * action on a selection of one), its progress, then the file's download link.
 */
import { useState } from 'preact/hooks';
import { api, type BulkJob } from '../api.js';
import { ErrorBox, html, useAction } from '../ui.js';
import { BULK_FINISHED, BulkProgress } from './bulk-progress.js';

export function DataExport({ contactId }: { contactId: string }) {
  const [job, setJob] = useState<BulkJob>();
  const [running, setRunning] = useState(false);
  const start = useAction();
  const begin = async () => {
    let next: BulkJob | undefined;
    if (
      await start.run(
        async () => (next = await api<BulkJob>('POST', `/v1/contacts/${contactId}/data-export`)),
      )
    ) {
      if (!next) return;
      setJob(next);
      setRunning(!BULK_FINISHED.includes(next.status));
    }
  };
  return html`<section class="card" aria-labelledby="gdpr-title">
    <h2 id="gdpr-title">Personal data</h2>
    <p class="muted">
      Everything stored about this contact (profile, tags, timeline, enrollments, emails sent, follow-ups,
      suppression) as one JSON file, for a GDPR access request.
    </p>
    <button type="button" disabled=${start.busy || running} onClick=${begin}>
      ${start.busy ? 'Starting…' : 'Download all data (GDPR)'}
    </button>
    <${ErrorBox} error=${start.error} />
    ${
      job
        ? html`<${BulkProgress} key=${job.id} job=${job} fileLabel="Download JSON" nested
            onFinished=${() => setRunning(false)} />`
        : null
    }
  </section>`;
}
