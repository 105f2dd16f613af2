/**
 * Booking pages (Settings): meeting types people book on a public page, `/m/<slug>` (no script, see
 * functions/appointments/booking-page.ts). Listed with their page's link; created and edited in the
 * form below the list (an edit saves at the version it started from: a 409 says the page changed
 * and shows it as saved now); deleted after a confirm (booked appointments stand).
 */
import { useState } from 'preact/hooks';
import { ApiError, api, type MeetingType, type Page, query } from '../api.js';
import { Empty, ErrorBox, html, Loading, Pager, useAction, useLoad, usePager } from '../ui.js';
import { MeetingTypeForm } from './booking-page-form.js';

/** The public page's address, from the origin the API is served on (as forms link to `/f/<id>`). */
export const bookingPageUrl = (slug: string) => `/m/${encodeURIComponent(slug)}`;

const minutes = (n: number) =>
  n % 60 === 0
    ? `${n / 60} hour${n === 60 ? '' : 's'}`
    : n > 60
      ? `${Math.floor(n / 60)} h ${n % 60} min`
      : `${n} minutes`;

const focusLater = (id: string) => setTimeout(() => document.getElementById(id)?.focus());

export function BookingPages() {
  const pager = usePager();
  const list = useLoad(
    () => api<Page<MeetingType>>('GET', `/v1/meeting-types${query({ limit: 50, cursor: pager.cursor })}`),
    [pager.cursor],
  );
  // The page being edited (the form below the list), or none: the form makes a new one.
  const [editing, setEditing] = useState<MeetingType | undefined>();
  const [said, setSaid] = useState('');
  const [notice, setNotice] = useState<string | undefined>();
  // A new form after each page created (drawn anew, empty).
  const [newForms, setNewForms] = useState(0);
  const edit = (type: MeetingType) => {
    setSaid('');
    setNotice(undefined);
    setEditing(type);
    // The form is drawn anew for it: its first field takes the focus.
    focusLater('bp-name');
  };
  const saved = (type: MeetingType, created: boolean) => {
    setEditing(undefined);
    setNotice(undefined);
    if (created) setNewForms((n) => n + 1);
    setSaid(created ? `Booking page “${type.name}” created.` : `Booking page “${type.name}” saved.`);
    if (created && pager.page > 1) pager.reset();
    else list.reload();
    // Back to the list, where it is (a new one is at its top).
    focusLater(created ? 'bp-list-title' : `bp-edit-${type.id}`);
  };
  const stopEditing = () => {
    const id = editing?.id;
    setEditing(undefined);
    setNotice(undefined);
    if (id) focusLater(`bp-edit-${id}`);
  };
  const deleted = (type: MeetingType) => {
    if (editing?.id === type.id) setEditing(undefined);
    setSaid(`Booking page “${type.name}” deleted.`);
    list.reload();
    // Its row is gone: the list's heading takes the focus.
    focusLater('bp-list-title');
  };
  return html`<section class="card" aria-labelledby="booking-pages-title">
    <h2 id="booking-pages-title">Booking pages</h2>
    <p class="hint">People pick a free time on a booking page and get a confirmation with a calendar invite, and
      reminders; the meeting lands on their contact’s timeline and its owner’s tasks. The page needs no JavaScript.</p>
    <p role="status" class="muted">${said}</p>
    <h3 id="bp-list-title" tabIndex=${-1}>Your booking pages</h3>
    ${
      list.error
        ? html`<${ErrorBox} error=${list.error} onRetry=${list.reload} />`
        : !list.data
          ? html`<${Loading} what="Loading the booking pages" />`
          : list.data.items.length === 0
            ? html`<${Empty}>No booking pages yet.</${Empty}>`
            : html`<ul class="plain booking-pages" aria-labelledby="bp-list-title">${list.data.items.map(
                (t) => html`<${Row} key=${t.id} type=${t} onEdit=${edit} onDeleted=${deleted}
                  editing=${editing?.id === t.id} />`,
              )}</ul>
              ${
                pager.page > 1 || list.data.nextCursor
                  ? html`<${Pager} page=${pager.page} nextCursor=${list.data.nextCursor}
                      onNext=${pager.next} onPrev=${pager.prev} />`
                  : null
              }`
    }
    <${MeetingTypeForm} key=${editing ? `${editing.id}-${editing.version}` : `new-${newForms}`} editing=${editing}
      notice=${notice} onSaved=${saved} onCancel=${stopEditing} onReloaded=${(latest: MeetingType) => {
        setNotice(
          'This booking page was changed while you edited it: here it is as saved now. Make your changes again.',
        );
        setEditing(latest);
        list.reload();
      }} />
  </section>`;
}

function Row({
  type: t,
  editing,
  onEdit,
  onDeleted,
}: {
  type: MeetingType;
  editing: boolean;
  onEdit: (type: MeetingType) => void;
  onDeleted: (type: MeetingType) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const remove = useAction();
  const confirm = async () => {
    const gone = await remove.run(async () => {
      try {
        await api('DELETE', `/v1/meeting-types/${t.id}`);
      } catch (err) {
        // Deleted elsewhere meanwhile: gone all the same.
        if (!(err instanceof ApiError && err.status === 404)) throw err;
      }
    });
    if (gone) onDeleted(t);
  };
  const url = bookingPageUrl(t.slug);
  return html`<li class="booking-page">
    <div class="booking-page-head">
      <strong class="wrap-anywhere">${t.name}</strong>
      <span class=${t.active ? 'status' : 'status is-bad'}>${t.active ? 'Active' : 'Inactive'}</span>
      ${editing ? html`<span class="muted">(editing below)</span>` : null}
    </div>
    <small class="muted wrap-anywhere">${minutes(t.durationMinutes)} · with ${t.ownerName} · ${t.timeZone}</small>
    <div><a class="wrap-anywhere" href=${url} target="_blank" rel="noopener">${window.location.origin}${url}</a></div>
    <${ErrorBox} error=${remove.error} />
    <div class="actions">${
      confirming
        ? html`<span>Delete “${t.name}”? Its page goes at once; booked appointments stand.</span>
            <button type="button" class="danger" disabled=${remove.busy} onClick=${confirm}>Delete now</button>
            <button type="button" id=${`bp-keep-${t.id}`} onClick=${() => {
              setConfirming(false);
              focusLater(`bp-delete-${t.id}`);
            }}>Keep</button>`
        : html`<button type="button" class="secondary" id=${`bp-edit-${t.id}`} aria-label=${`Edit ${t.name}`}
              onClick=${() => onEdit(t)}>Edit</button>
            <button type="button" class="secondary danger" id=${`bp-delete-${t.id}`} aria-label=${`Delete ${t.name}`}
              onClick=${() => {
                remove.clear();
                setConfirming(true);
                // The safe answer first.
                focusLater(`bp-keep-${t.id}`);
              }}>Delete</button>`
    }</div>
  </li>`;
}
