/**
 * The schedule step of a draft campaign: a date and time in the browser's time zone (a minute to a
 * year ahead, as the API checks), sent as an ISO instant — or a date and time in each contact's own
 * time zone (a zone for contacts without one); the API's refusal shown at the field.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type Campaign } from '../api.js';
import { ErrorBox, html, useAction } from '../ui.js';
import { TimeZoneInput } from './time-zone-field.js';

/** `<input type="datetime-local">`'s value for a time: local wall-clock time to the minute. */
function localInputValue(at: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T${pad(at.getHours())}:${pad(at.getMinutes())}`;
}

/** The day after tomorrow (`2026-12-05`): the first day whose 09:00 is ahead in every time zone. */
function localDateSuggestion(now = new Date()): string {
  return localInputValue(new Date(now.getTime() + 2 * 24 * 3600_000)).slice(0, 10);
}

/** The next full hour at least 30 minutes ahead: a sensible first suggestion. */
function suggestion(now = new Date()): Date {
  const at = new Date(now.getTime() + 30 * 60_000);
  at.setMinutes(0, 0, 0);
  at.setHours(at.getHours() + 1);
  return at;
}

/** The API's paths of a schedule's fields, as the form labels them. */
const SCHEDULE_FIELDS: Record<string, string> = {
  at: 'Date and time:',
  'localTime.date': 'Date:',
  'localTime.time': 'Time of day:',
  'localTime.fallbackTimeZone': 'Contacts without a time zone:',
};

export function CampaignSchedule({
  campaign,
  onDone,
  onClose,
}: {
  campaign: Campaign;
  onDone: () => void;
  onClose: () => void;
}) {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const [kind, setKind] = useState<'at' | 'local'>('at');
  const [value, setValue] = useState(() => localInputValue(suggestion()));
  const [date, setDate] = useState(() => localDateSuggestion());
  const [time, setTime] = useState('09:00');
  const [fallback, setFallback] = useState(zone);
  const act = useAction();
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => ref.current?.focus(), []);
  const now = new Date();
  const submit = async (e: Event) => {
    e.preventDefault();
    const body =
      kind === 'at'
        ? { at: new Date(value).toISOString() }
        : { localTime: { date, time, fallbackTimeZone: fallback.trim() } };
    if (await act.run(() => api('POST', `/v1/campaigns/${campaign.id}/schedule`, body))) onDone();
  };
  const ready = kind === 'at' ? value !== '' : date !== '' && time !== '' && fallback.trim() !== '';
  // Escape keeps the draft, as "Keep as draft" does (the page gives the focus back to "Schedule…").
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      onClose();
    }
  };
  return html`<form class="bulk-confirm" onSubmit=${submit} onKeyDown=${onKeyDown} aria-labelledby="schedule-question">
    <p id="schedule-question"><strong>When should “${campaign.name}” start sending?</strong></p>
    <fieldset>
      <legend>Send</legend>
      <label class="choice"><input type="radio" name="schedule-kind" checked=${kind === 'at'} onChange=${() => setKind('at')} />
        At a set time</label>
      <label class="choice"><input type="radio" name="schedule-kind" checked=${kind === 'local'} onChange=${() => setKind('local')}
        disabled=${campaign.abTest !== undefined} aria-describedby=${campaign.abTest ? 'schedule-local-ab' : undefined} />
        At a time of day in each contact’s time zone</label>
      ${campaign.abTest ? html`<p class="hint" id="schedule-local-ab">An A/B test is sent at one time for everyone.</p>` : null}
    </fieldset>
    ${
      kind === 'at'
        ? html`<div class="field">
            <label for="schedule-at">Date and time</label>
            <input id="schedule-at" type="datetime-local" required ref=${ref} value=${value}
              min=${localInputValue(new Date(now.getTime() + 60_000))}
              max=${localInputValue(new Date(now.getTime() + 365 * 24 * 3600_000))}
              aria-describedby="schedule-zone" onInput=${(e: Event) => setValue((e.target as HTMLInputElement).value)} />
            <p class="hint" id="schedule-zone">In your time zone (${zone}). It can be unscheduled until then.</p>
          </div>`
        : html`<div class="field">
              <label for="schedule-date">Date</label>
              <input id="schedule-date" type="date" required value=${date} onInput=${(e: Event) => setDate((e.target as HTMLInputElement).value)} />
          </div>
          <div class="field">
              <label for="schedule-time">Time of day</label>
              <input id="schedule-time" type="time" required value=${time} onInput=${(e: Event) => setTime((e.target as HTMLInputElement).value)} />
          </div>
          <${TimeZoneInput} id="schedule-fallback" label="Contacts without a time zone" value=${fallback} onInput=${setFallback}
            hint="Contacts whose time zone is not known get it at this time in this zone." />
          <p class="hint">Sending starts when it is this time in the first time zone of the day (UTC+14), and
            goes on, zone by zone, for about a day. It can be unscheduled until it starts.</p>`
    }
    <${ErrorBox} error=${act.error} where=${(path: string) => SCHEDULE_FIELDS[path]} />
    <div class="actions">
      <button type="submit" disabled=${act.busy || !ready}>Schedule</button>
      <button type="button" class="secondary" onClick=${onClose}>Keep as draft</button>
    </div>
  </form>`;
}
