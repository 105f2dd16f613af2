/**
 * Logs what happened with the contact on its timeline: a note, a call (its outcome and length) or a
 * meeting (when, how long, who else attended). When defaults to now; a refused entry is said at
 * its fields.
 */
import { useState } from 'preact/hooks';
import { ApiError, api } from '../api.js';
import type { components } from '../api-types.js';
import { ErrorBox, html, useAction } from '../ui.js';

type Outcome = NonNullable<components['schemas']['Activity']['outcome']>;
type Kind = 'note' | 'call' | 'meeting';

export const OUTCOMES: Record<Outcome, string> = {
  connected: 'Connected',
  left_voicemail: 'Left voicemail',
  no_answer: 'No answer',
  busy: 'Busy',
  wrong_number: 'Wrong number',
};

const KINDS: Array<[Kind, string]> = [
  ['note', 'Note'],
  ['call', 'Call'],
  ['meeting', 'Meeting'],
];

export function ActivityComposer({ contactId, onLogged }: { contactId: string; onLogged: () => void }) {
  const [kind, setKind] = useState<Kind>('note');
  const [body, setBody] = useState('');
  const [outcome, setOutcome] = useState<Outcome | ''>('');
  const [duration, setDuration] = useState('');
  const [at, setAt] = useState('');
  const [attendees, setAttendees] = useState('');
  const [said, setSaid] = useState('');
  const action = useAction();

  const submit = async (e: Event) => {
    e.preventDefault();
    setSaid('');
    const minutes = duration.trim() === '' ? undefined : Number(duration);
    const entry = {
      type: kind,
      ...(body.trim() ? { body: body.trim() } : {}),
      ...(at ? { occurredAt: new Date(at).toISOString() } : {}),
      ...(kind === 'call' && outcome ? { outcome } : {}),
      ...(kind !== 'note' && minutes !== undefined ? { durationMinutes: minutes } : {}),
      ...(kind === 'meeting' && attendees.trim()
        ? {
            attendees: attendees
              .split(/[,;\n]/)
              .map((a) => a.trim())
              .filter(Boolean),
          }
        : {}),
    };
    if (await action.run(() => api('POST', `/v1/contacts/${contactId}/activities`, entry))) {
      setBody('');
      setOutcome('');
      setDuration('');
      setAt('');
      setAttendees('');
      setSaid(`${KINDS.find(([k]) => k === kind)?.[1] ?? 'Activity'} logged.`);
      onLogged();
    }
  };

  const problems = action.error instanceof ApiError ? action.error.problems : [];
  const problemAt = (path: string) => problems.find((p) => p.path === path)?.message;
  const errorOf = (path: string, label: string, id: string) => {
    const message = problemAt(path);
    return message ? html`<p class="field-error" id=${`${id}-error`}>${label} ${message}</p>` : null;
  };
  const invalid = (path: string) => (problemAt(path) ? 'true' : undefined);
  const described = (path: string, id: string, hint?: string) =>
    [problemAt(path) ? `${id}-error` : '', hint ?? ''].filter(Boolean).join(' ') || undefined;
  const known = new Set(['body', 'outcome', 'durationMinutes', 'occurredAt', 'attendees']);
  const otherError =
    problems.length > 0 && problems.every((p) => known.has(p.path)) ? undefined : action.error;

  return html`<section class="card composer" aria-labelledby="composer-title">
    <h2 id="composer-title">Log activity</h2>
    <form onSubmit=${submit} noValidate>
      <fieldset class="composer-kinds">
        <legend>What happened</legend>
        ${KINDS.map(
          ([k, label]) => html`<label class="choice">
            <input type="radio" name="composer-kind" value=${k} checked=${kind === k}
              onChange=${() => {
                setKind(k);
                action.clear();
                setSaid('');
              }} />
            ${label}
          </label>`,
        )}
      </fieldset>
      <div class="field">
        <label for="composer-body">${kind === 'note' ? 'Note' : kind === 'call' ? 'Call notes' : 'Meeting notes'}${kind === 'note' ? html` <span aria-hidden="true">*</span>` : null}</label>
        <textarea id="composer-body" rows="3" value=${body} required=${kind === 'note'}
          aria-invalid=${invalid('body')} aria-describedby=${described('body', 'composer-body')}
          onInput=${(e: Event) => setBody((e.target as HTMLTextAreaElement).value)}></textarea>
        ${errorOf('body', kind === 'note' ? 'Note' : 'Notes', 'composer-body')}
      </div>
      <div class="composer-details">
        ${
          kind === 'call'
            ? html`<div class="field">
                <label for="composer-outcome">Outcome</label>
                <select id="composer-outcome" value=${outcome} aria-invalid=${invalid('outcome')}
                  aria-describedby=${described('outcome', 'composer-outcome')}
                  onChange=${(e: Event) => setOutcome((e.target as HTMLSelectElement).value as Outcome | '')}>
                  <option value="">Not said</option>
                  ${Object.entries(OUTCOMES).map(([k, label]) => html`<option value=${k}>${label}</option>`)}
                </select>
                ${errorOf('outcome', 'Outcome', 'composer-outcome')}
              </div>`
            : null
        }
        ${
          kind !== 'note'
            ? html`<div class="field">
                <label for="composer-duration">Duration (minutes)</label>
                <input id="composer-duration" type="number" min="1" max="1440" step="1" inputMode="numeric"
                  value=${duration} aria-invalid=${invalid('durationMinutes')}
                  aria-describedby=${described('durationMinutes', 'composer-duration')}
                  onInput=${(e: Event) => setDuration((e.target as HTMLInputElement).value)} />
                ${errorOf('durationMinutes', 'Duration', 'composer-duration')}
              </div>`
            : null
        }
        <div class="field">
          <label for="composer-at">When</label>
          <input id="composer-at" type="datetime-local" value=${at}
            aria-invalid=${invalid('occurredAt')} aria-describedby=${described('occurredAt', 'composer-at', 'composer-at-hint')}
            onInput=${(e: Event) => setAt((e.target as HTMLInputElement).value)} />
          <small id="composer-at-hint" class="muted">Empty for now.</small>
          ${errorOf('occurredAt', 'When', 'composer-at')}
        </div>
        ${
          kind === 'meeting'
            ? html`<div class="field composer-attendees">
                <label for="composer-attendees">Other attendees (optional)</label>
                <input id="composer-attendees" type="text" value=${attendees} autocomplete="off"
                  aria-invalid=${invalid('attendees')} aria-describedby=${described('attendees', 'composer-attendees', 'composer-attendees-hint')}
                  onInput=${(e: Event) => setAttendees((e.target as HTMLInputElement).value)} />
                <small id="composer-attendees-hint" class="muted">Names or emails, separated by commas.</small>
                ${errorOf('attendees', 'Attendees', 'composer-attendees')}
              </div>`
            : null
        }
      </div>
      <button type="submit" disabled=${action.busy}>${action.busy ? 'Saving…' : `Log ${kind}`}</button>
      <p role="status" class="muted">${said}</p>
      ${
        otherError
          ? html`<${ErrorBox} error=${otherError} />`
          : action.error instanceof ApiError
            ? html`<p class="error" role="alert">Not logged: ${action.error.message}. See the fields above.</p>`
            : null
      }
    </form>
  </section>`;
}
