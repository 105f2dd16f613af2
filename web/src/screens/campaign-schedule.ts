/**
 * The schedule step of a draft campaign: a date and time in the browser's time zone (a minute to a
 * year ahead, as the API checks), sent as an ISO instant; the API's refusal shown at the field.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type Campaign } from '../api.js';
import { ErrorBox, html, useAction } from '../ui.js';

/** `<input type="datetime-local">`'s value for a time: local wall-clock time to the minute. */
function localInputValue(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** The next full hour at least 30 minutes ahead: a sensible first suggestion. */
function suggestion(now = new Date()): Date {
  const at = new Date(now.getTime() + 30 * 60_000);
  at.setMinutes(0, 0, 0);
  at.setHours(at.getHours() + 1);
  return at;
}

export function CampaignSchedule({
  campaign,
  onDone,
  onClose,
}: {
  campaign: Campaign;
  onDone: () => void;
  onClose: () => void;
}) {
  const [value, setValue] = useState(() => localInputValue(suggestion()));
  const act = useAction();
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const now = new Date();
  const submit = async (e: Event) => {
    e.preventDefault();
    const at = new Date(value);
    if (await act.run(() => api('POST', `/v1/campaigns/${campaign.id}/schedule`, { at: at.toISOString() })))
      onDone();
  };
  // Escape keeps the draft, as "Keep as draft" does (the page gives the focus back to "Schedule…").
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      onClose();
    }
  };
  return html`<form class="bulk-confirm" onSubmit=${submit} onKeyDown=${onKeyDown} aria-labelledby="schedule-question">
    <p id="schedule-question"><strong>When should “${campaign.name}” start sending?</strong></p>
    <div class="field">
      <label for="schedule-at">Date and time</label>
      <input id="schedule-at" type="datetime-local" required ref=${ref} value=${value}
        min=${localInputValue(new Date(now.getTime() + 60_000))}
        max=${localInputValue(new Date(now.getTime() + 365 * 24 * 3600_000))}
        aria-describedby="schedule-zone" onInput=${(e: Event) => setValue((e.target as HTMLInputElement).value)} />
      <p class="hint" id="schedule-zone">In your time zone (${zone}). It can be unscheduled until then.</p>
    </div>
    <${ErrorBox} error=${act.error} where=${(path: string) => (path === 'at' ? 'Date and time:' : undefined)} />
    <div class="actions">
      <button type="submit" disabled=${act.busy || !value}>Schedule</button>
      <button type="button" class="secondary" onClick=${onClose}>Keep as draft</button>
    </div>
  </form>`;
}
