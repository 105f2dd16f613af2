/**
 * Server-rendered HTML of the public booking pages: the free times and the booking form, and an
 * appointment's own page (reschedule, cancel, the invite). No script: plain forms and radio buttons,
 * so the pages work without JavaScript and with the keyboard. Every value is escaped.
 */
import type { ErrorDetail } from '#platform/errors.js';
import { escapeHtml, page } from '#platform/http/html.js';
import { canonicalTimeZone, localDateOf } from '#platform/time-zone.js';
import type { Appointment, MeetingType } from './model.js';
import type { DaySlots } from './slots.js';

/** Days with free times listed on one page; links lead to the earlier and later ones. */
export const DAYS_SHOWN = 7;

export interface BookingFormState {
  values?: Record<string, string>;
  errors?: ErrorDetail[];
  message?: string;
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();
const fmt = (timeZone: string, options: Intl.DateTimeFormatOptions) => {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let f = timeFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, ...options });
    timeFormats.set(key, f);
  }
  return f;
};
const timeOf = (iso: string, tz: string) =>
  fmt(tz, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
const dayOf = (iso: string, tz: string) =>
  fmt(tz, { weekday: 'long', day: 'numeric', month: 'long' }).format(new Date(iso));
const whenOf = (a: Appointment, tz: string) =>
  `${fmt(tz, { dateStyle: 'full', timeStyle: 'short' }).format(new Date(a.startsAt))} – ${timeOf(a.endsAt, tz)} (${tz})`;

/** The free times regrouped by the viewer's own dates. */
function byViewerDay(days: DaySlots[], tz: string): Array<{ date: string; starts: string[] }> {
  const groups = new Map<string, string[]>();
  for (const start of days.flatMap((d) => d.starts)) {
    const date = localDateOf(new Date(start), tz);
    groups.set(date, [...(groups.get(date) ?? []), start]);
  }
  return [...groups].map(([date, starts]) => ({ date, starts }));
}

/** Which days one page shows: DAYS_SHOWN from `from` (a viewer date); `link` leads to other days. */
export interface DayWindow {
  from?: string | undefined;
  link: (from: string | undefined) => string;
}

function windowOf(days: DaySlots[], tz: string, window: DayWindow | undefined) {
  const all = byViewerDay(days, tz);
  const from = window?.from;
  const found = from === undefined ? 0 : all.findIndex((g) => g.date >= from);
  const start = found < 0 ? all.length : found;
  const shown = all.slice(start, start + DAYS_SHOWN);
  const later = all[start + DAYS_SHOWN]?.date;
  if (!window || (start === 0 && later === undefined)) return { shown, nav: '' };
  const earlier = start > 0 ? all[start - DAYS_SHOWN]?.date : undefined;
  const links = [
    start > 0 ? `<a href="${escapeHtml(window.link(earlier))}">← Earlier days</a>` : '',
    later !== undefined ? `<a href="${escapeHtml(window.link(later))}">Later days →</a>` : '',
  ];
  return { shown, nav: `<nav aria-label="More days"><p>${links.filter(Boolean).join(' · ')}</p></nav>` };
}

function slotPicker(
  days: DaySlots[],
  tz: string,
  chosen: string | undefined,
  error: string | undefined,
  window?: DayWindow,
): string {
  const { shown: groups, nav } = windowOf(days, tz, window);
  if (groups.length === 0)
    return '<p id="no-times">No times are free right now. Please check again later.</p>';
  const describedBy = error ? ' aria-describedby="startsAt-error"' : '';
  return `<fieldset${describedBy}><legend>Choose a time (${escapeHtml(tz)})</legend>${
    error ? `<p class="error" id="startsAt-error">${escapeHtml(error)}</p>` : ''
  }${groups
    .map(
      (g, i) =>
        `<fieldset class="day"><legend>${escapeHtml(dayOf(g.starts[0] ?? '', tz))}</legend>${g.starts
          .map((s, j) => {
            const id = `t-${i}-${j}`;
            const checked = s === chosen ? ' checked' : '';
            return `<span class="slot"><input type="radio" name="startsAt" id="${id}" value="${escapeHtml(s)}" required${checked}><label for="${id}">${escapeHtml(timeOf(s, tz))}</label></span>`;
          })
          .join('')}</fieldset>`,
    )
    .join('')}</fieldset>${nav}`;
}

const SLOT_STYLE =
  '<style>.day{border:0;padding:0;margin:.6rem 0}.day legend{font-weight:600}.slot{display:inline-block;margin:.2rem .4rem .2rem 0}' +
  '.slot input{width:1.25rem;height:1.25rem;margin:0 .35rem 0 0;vertical-align:middle}.slot label{display:inline-block;vertical-align:middle;margin:0;padding:.35rem .3rem .35rem 0}.meta{color:#444}.text{white-space:pre-line}select{width:100%;padding:.4rem;font:inherit}</style>';

let zoneList: string[] | undefined;
/** Every zone the runtime knows, in today's spelling (`Asia/Kolkata`, not ICU's `Asia/Calcutta`), and UTC. */
const zoneNames = () =>
  (zoneList ??= [
    ...new Set(['UTC', ...Intl.supportedValuesOf('timeZone').map((z) => canonicalTimeZone(z) ?? z)]),
  ].sort());

function zonePicker(action: string, tz: string): string {
  const zones = zoneNames();
  const options = (zones.includes(tz) ? zones : [tz, ...zones])
    .map((z) => `<option${z === tz ? ' selected' : ''}>${escapeHtml(z)}</option>`)
    .join('');
  return `<form method="get" action="${escapeHtml(action)}"><label for="tz">Your time zone</label><select id="tz" name="tz">${options}</select><button type="submit">Show times</button></form>`;
}

function field(
  name: string,
  label: string,
  type: string,
  state: BookingFormState,
  required: boolean,
): string {
  const error = state.errors?.find((e) => e.path === name)?.message;
  const value = state.values?.[name] ?? '';
  const attrs = `id="f-${name}" name="${name}"${required ? ' required' : ''}${
    error ? ` aria-invalid="true" aria-describedby="f-${name}-error"` : ''
  }`;
  const control =
    type === 'textarea'
      ? `<textarea ${attrs} rows="3" maxlength="1000">${escapeHtml(value)}</textarea>`
      : `<input type="${type}" ${attrs} value="${escapeHtml(value)}"${type === 'email' ? ' autocomplete="email"' : ''}>`;
  return `<label for="f-${name}">${escapeHtml(label)}${required ? '' : ' (optional)'}</label>${control}${
    error ? `<p class="error" id="f-${name}-error">${escapeHtml(error)}</p>` : ''
  }`;
}

export function renderBookingPage(
  type: MeetingType,
  days: DaySlots[],
  action: string,
  tz: string,
  state: BookingFormState = {},
  from?: string,
): string {
  const link = (day: string | undefined) =>
    `${action}?${new URLSearchParams({ tz, ...(day ? { from: day } : {}) }).toString()}`;
  const startsError = state.errors?.find((e) => e.path === 'startsAt')?.message;
  const message = state.message
    ? `<div class="summary" role="alert"><p>${escapeHtml(state.message)}</p></div>`
    : '';
  const free = days.length > 0;
  return page(
    type.name,
    `<h1>${escapeHtml(type.name)}</h1>
<p class="meta">With ${escapeHtml(type.ownerName)} · ${type.durationMinutes} minutes</p>
${type.description ? `<p class="text">${escapeHtml(type.description)}</p>` : ''}${SLOT_STYLE}${message}
${zonePicker(action, tz)}
<form method="post" action="${escapeHtml(action)}">
<input type="hidden" name="tz" value="${escapeHtml(tz)}">
${slotPicker(days, tz, state.values?.startsAt, startsError, { from, link })}
${
  free
    ? `${field('firstName', 'First name', 'text', state, true)}${field('lastName', 'Last name', 'text', state, false)}${field(
        'email',
        'Email',
        'email',
        state,
        true,
      )}${field('notes', 'Anything to prepare?', 'textarea', state, false)}<button type="submit">Book</button>`
    : ''
}
</form>`,
  );
}

const STATUS_LINES: Record<Appointment['status'], string> = {
  booked: 'Your meeting is booked.',
  cancelled: 'This meeting is cancelled.',
  completed: 'This meeting took place.',
  no_show: 'This meeting was marked as missed.',
};

export interface AppointmentView {
  /** News (a change just made) or, with `warning`, the reason a change was refused. */
  note?: string;
  warning?: boolean;
  /** The first day (the visitor's date) of the times to move to. */
  from?: string | undefined;
}

export function renderAppointmentPage(
  a: Appointment,
  options: DaySlots[],
  self: string,
  tz: string,
  now: Date,
  view: AppointmentView = {},
): string {
  const open = a.status === 'booked' && Date.parse(a.startsAt) > now.getTime();
  const link = (day: string | undefined) => (day ? `${self}?${new URLSearchParams({ from: day })}` : self);
  const manage = open
    ? `<h2>Reschedule</h2>${
        options.length > 0
          ? `<form method="post" action="${escapeHtml(self)}"><input type="hidden" name="action" value="reschedule">${slotPicker(options, tz, undefined, undefined, { from: view.from, link })}<button type="submit">Move to this time</button></form>`
          : '<p>No other time is free right now.</p>'
      }
<h2>Cancel</h2><form method="post" action="${escapeHtml(self)}"><input type="hidden" name="action" value="cancel"><p class="slot"><input type="checkbox" id="confirm-cancel" name="confirm" value="yes" required><label for="confirm-cancel">Yes, cancel this meeting</label></p><button type="submit">Cancel the meeting</button></form>`
    : '';
  // The invite adds a booked meeting to a calendar and removes a cancelled one; a past one needs neither.
  const invite =
    a.status === 'booked'
      ? 'Add to your calendar (.ics)'
      : a.status === 'cancelled'
        ? 'Remove from your calendar (.ics)'
        : undefined;
  const note = view.note
    ? `<div class="${view.warning ? 'summary' : 'note'}" role="${view.warning ? 'alert' : 'status'}"><p>${escapeHtml(view.note)}</p></div>`
    : '';
  return page(
    a.meetingName,
    `${SLOT_STYLE}<h1>${escapeHtml(a.meetingName)}</h1>
${note}
<p>${escapeHtml(STATUS_LINES[a.status])}</p>
<p><strong>When:</strong> ${escapeHtml(whenOf(a, tz))}</p>
<p><strong>With:</strong> ${escapeHtml(a.ownerName)}</p>
${a.notes ? `<p class="text"><strong>Your notes:</strong> ${escapeHtml(a.notes)}</p>` : ''}
${invite ? `<p><a href="${escapeHtml(self)}/invite.ics">${invite}</a></p>` : ''}
${manage}`,
  );
}
