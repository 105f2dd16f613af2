/**
 * A contact's appointments (booked on a booking page), newest booked first: each one's time in its
 * page's time zone and its status. A booked one is cancelled (after a confirm; the invitee is told)
 * before it starts, and marked completed or no-show once it has started.
 */
import { useState } from 'preact/hooks';
import { type Appointment, api, type Page } from '../api.js';
import { Empty, ErrorBox, html, Loading, useAction, useLoad } from '../ui.js';

type Closing = 'cancelled' | 'completed' | 'no_show';

const STATUS: Record<Appointment['status'], string> = {
  booked: 'Booked',
  cancelled: 'Cancelled',
  completed: 'Completed',
  no_show: 'No-show',
};
const DONE: Record<Closing, string> = {
  cancelled: 'Appointment cancelled: the invitee is told by email.',
  completed: 'Marked as completed.',
  no_show: 'Marked as a no-show.',
};

/** "Mon 7 Dec 2026, 10:00 – 10:30 (Europe/Paris)", in the zone given (the browser's if it is unknown). */
export function meetingTime(a: Pick<Appointment, 'startsAt' | 'endsAt'>, timeZone: string): string {
  const format = (options: Intl.DateTimeFormatOptions) => {
    try {
      return new Intl.DateTimeFormat(undefined, { ...options, timeZone });
    } catch {
      return new Intl.DateTimeFormat(undefined, options);
    }
  };
  const start = format({
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  });
  const end = format({ hour: '2-digit', minute: '2-digit' });
  return `${start.format(new Date(a.startsAt))} – ${end.format(new Date(a.endsAt))} (${timeZone})`;
}

const focusLater = (id: string) => setTimeout(() => document.getElementById(id)?.focus());

export function ContactAppointments({ contactId, onChange }: { contactId: string; onChange?: () => void }) {
  const list = useLoad(
    () => api<Page<Appointment>>('GET', `/v1/contacts/${contactId}/appointments?limit=20`),
    [contactId],
  );
  const close = useAction();
  const [confirming, setConfirming] = useState<string | undefined>();
  const [said, setSaid] = useState('');
  const closeAs = async (a: Appointment, status: Closing) => {
    if (close.busy) return;
    setSaid('');
    const ok = await close.run(() => api('POST', `/v1/appointments/${a.id}/close`, { status }));
    setConfirming(undefined);
    if (ok) {
      setSaid(DONE[status]);
      onChange?.();
    }
    // Done, or refused (closed meanwhile, or not started after all): the list as it is now.
    list.reload();
    // Its buttons are gone: the card's heading takes the focus, the status or the alert under it says what happened.
    focusLater('appointments-title');
  };
  const items = list.data?.items ?? [];
  const now = Date.now();
  return html`<section class="card" aria-labelledby="appointments-title">
    <h2 id="appointments-title" tabIndex=${-1}>Appointments</h2>
    <p role="status" class="muted">${said}</p>
    <${ErrorBox} error=${close.error} />
    ${
      list.error
        ? html`<${ErrorBox} error=${list.error} onRetry=${list.reload} />`
        : list.loading && !list.data
          ? html`<${Loading} what="Loading appointments" />`
          : items.length === 0
            ? html`<${Empty}>No appointments yet.</${Empty}>`
            : html`<ul class="plain appointments" aria-label="Appointments">
                ${items.map((a) => {
                  const started = Date.parse(a.startsAt) <= now;
                  return html`<li key=${a.id}>
                    <strong class="wrap-anywhere">${a.meetingName}</strong>${' · '}<span class=${`status status-${a.status.replace('_', '-')}`}>${STATUS[a.status]}</span>
                    ${a.status === 'cancelled' && a.cancelledBy ? html`<small class="muted"> by the ${a.cancelledBy}</small>` : null}
                    <br /><time datetime=${a.startsAt}>${meetingTime(a, a.timeZone)}</time>
                    <br /><small class="muted wrap-anywhere">With ${a.ownerName}${
                      a.inviteeTimeZone && a.inviteeTimeZone !== a.timeZone
                        ? ` · ${meetingTime(a, a.inviteeTimeZone)} for the invitee`
                        : ''
                    }</small>
                    ${a.notes ? html`<p class="wrap-anywhere appointment-notes">“${a.notes}”</p>` : null}
                    ${
                      a.status === 'booked'
                        ? html`<${Actions} a=${a} started=${started} busy=${close.busy}
                      confirming=${confirming === a.id} onConfirm=${(on: boolean) => {
                        close.clear();
                        setConfirming(on ? a.id : undefined);
                        // The safe answer first; back to Cancel when kept.
                        focusLater(on ? `keep-appointment-${a.id}` : `cancel-appointment-${a.id}`);
                      }} onClose=${(status: Closing) => closeAs(a, status)} />`
                        : null
                    }
                  </li>`;
                })}
              </ul>
              ${list.data?.nextCursor ? html`<p class="muted">The newest 20 are shown.</p>` : null}`
    }
  </section>`;
}

function Actions({
  a,
  started,
  busy,
  confirming,
  onConfirm,
  onClose,
}: {
  a: Appointment;
  started: boolean;
  busy: boolean;
  confirming: boolean;
  onConfirm: (on: boolean) => void;
  onClose: (status: Closing) => void;
}) {
  // Named with the meeting and its time: a contact may have several.
  const which = `${a.meetingName}, ${meetingTime(a, a.timeZone)}`;
  if (started)
    return html`<div class="actions">
      <button type="button" class="secondary" aria-label=${`Completed: ${which}`} onClick=${() => onClose('completed')}>Completed</button>
      <button type="button" class="secondary" aria-label=${`No-show: ${which}`} onClick=${() => onClose('no_show')}>No-show</button>
    </div>`;
  return html`<div class="actions">${
    confirming
      ? html`<span>Cancel this appointment? ${a.name} is told by email.</span>
          <button type="button" class="danger" disabled=${busy} onClick=${() => onClose('cancelled')}>Cancel appointment</button>
          <button type="button" id=${`keep-appointment-${a.id}`} onClick=${() => onConfirm(false)}>Keep it</button>`
      : html`<button type="button" class="secondary danger" id=${`cancel-appointment-${a.id}`}
          aria-label=${`Cancel ${which}`} onClick=${() => onConfirm(true)}>Cancel</button>`
  }</div>`;
}
