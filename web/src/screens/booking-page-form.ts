/**
 * A booking page's form (booking-pages.ts): a new page, or one page edited at its version. Working
 * hours are one range per weekday, in the page's time zone, on the quarter hour; a range the API has
 * besides (set through the API) is kept while its day stays on, and so are other reminders.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, type MeetingType, type WorkingHours } from '../api.js';
import { ErrorBox, html, useAction } from '../ui.js';
import { TimeZoneInput } from './time-zone-field.js';

type Day = WorkingHours['day'];
const DAYS: Array<[Day, string]> = [
  ['mon', 'Monday'],
  ['tue', 'Tuesday'],
  ['wed', 'Wednesday'],
  ['thu', 'Thursday'],
  ['fri', 'Friday'],
  ['sat', 'Saturday'],
  ['sun', 'Sunday'],
];
const dayName = (day: Day) => DAYS.find(([d]) => d === day)?.[1] ?? day;
const DURATIONS = [15, 30, 45, 60, 90, 120];
const BUFFERS = [0, 15, 30, 60];
const REMINDERS: Array<[number, string]> = [
  [1440, '1 day before'],
  [60, '1 hour before'],
];

interface Hours {
  on: boolean;
  start: string;
  end: string;
}
interface Draft {
  name: string;
  slug: string;
  description: string;
  ownerName: string;
  ownerEmail: string;
  durationMinutes: number;
  bufferMinutes: number;
  noticeHours: string;
  horizonDays: string;
  timeZone: string;
  hours: Record<Day, Hours>;
  /** The ranges besides each day's first one. */
  more: WorkingHours[];
  reminders: number[];
  active: boolean;
}

/** An address from a name: "Intro call" → intro-call. */
export const slugOf = (name: string) =>
  name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 60)
    .replace(/^-+|-+$/g, '');

function browserZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return '';
  }
}

// A time input has no 24:00: a range that ends at midnight ends at 00:00 in the form.
const endInForm = (end: string) => (end === '24:00' ? '00:00' : end);
const endForApi = (end: string) => (end === '00:00' ? '24:00' : end);

function draftOf(t?: MeetingType): Draft {
  const hours = {} as Record<Day, Hours>;
  // A new page: Monday to Friday, 9 to 5.
  for (const [day] of DAYS)
    hours[day] = { on: !t && day !== 'sat' && day !== 'sun', start: '09:00', end: '17:00' };
  const more: WorkingHours[] = [];
  for (const h of t?.workingHours ?? []) {
    if (hours[h.day].on) more.push(h);
    else hours[h.day] = { on: true, start: h.start, end: endInForm(h.end) };
  }
  return {
    name: t?.name ?? '',
    slug: t?.slug ?? '',
    description: t?.description ?? '',
    ownerName: t?.ownerName ?? '',
    ownerEmail: t?.ownerEmail ?? '',
    durationMinutes: t?.durationMinutes ?? 30,
    bufferMinutes: t?.bufferMinutes ?? 0,
    noticeHours: String((t?.minNoticeMinutes ?? 240) / 60),
    horizonDays: String(t?.horizonDays ?? 30),
    timeZone: t?.timeZone ?? browserZone(),
    hours,
    more,
    reminders: t?.remindersMinutesBefore ?? [1440],
    active: t?.active ?? true,
  };
}

/** The API's body, with the name of each working-hours range (its problems are at `workingHours.<i>`). */
function bodyOf(d: Draft) {
  const workingHours: WorkingHours[] = [];
  const labels: string[] = [];
  const indexOf: Partial<Record<Day, number>> = {};
  for (const [day, name] of DAYS) {
    const h = d.hours[day];
    if (!h.on) continue;
    indexOf[day] = workingHours.length;
    workingHours.push({ day, start: h.start, end: endForApi(h.end) });
    labels.push(name);
  }
  for (const h of d.more.filter((m) => d.hours[m.day].on)) {
    workingHours.push(h);
    labels.push(`${dayName(h.day)} ${h.start}–${h.end}`);
  }
  const description = d.description.trim();
  const body = {
    slug: d.slug.trim(),
    name: d.name.trim(),
    ...(description ? { description } : {}),
    ownerName: d.ownerName.trim(),
    ownerEmail: d.ownerEmail.trim(),
    durationMinutes: d.durationMinutes,
    bufferMinutes: d.bufferMinutes,
    minNoticeMinutes: Math.round(Number(d.noticeHours) * 60),
    horizonDays: Number(d.horizonDays),
    timeZone: d.timeZone.trim(),
    workingHours,
    remindersMinutesBefore: d.reminders,
    active: d.active,
  };
  return { body, labels, indexOf };
}

const FIELD_NAMES: Record<string, string> = {
  name: 'Meeting name:',
  slug: 'Address:',
  description: 'About the meeting:',
  ownerName: 'Owner’s name:',
  ownerEmail: 'Owner’s email:',
  durationMinutes: 'Duration:',
  bufferMinutes: 'Buffer:',
  minNoticeMinutes: 'Minimum notice:',
  horizonDays: 'How far ahead:',
  timeZone: 'Time zone:',
  workingHours: 'Working hours:',
  remindersMinutesBefore: 'Reminders:',
};

const minutesText = (n: number) => (n % 60 === 0 ? `${n / 60} hour${n === 60 ? '' : 's'}` : `${n} minutes`);
const value = (e: Event) => (e.target as HTMLInputElement).value;

export function MeetingTypeForm({
  editing,
  notice,
  onSaved,
  onCancel,
  onReloaded,
}: {
  editing?: MeetingType | undefined;
  /** Why the form was drawn again (the page changed meanwhile): said, with the focus on the heading. */
  notice?: string | undefined;
  onSaved: (type: MeetingType, created: boolean) => void;
  onCancel: () => void;
  /** Refused at a stale version: the page as saved now. */
  onReloaded: (latest: MeetingType) => void;
}) {
  const [d, setD] = useState(() => draftOf(editing));
  // A new page's address follows its name until it is typed.
  const [slugTyped, setSlugTyped] = useState(editing !== undefined);
  const save = useAction();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (notice) heading.current?.focus();
  }, []);
  const set = (patch: Partial<Draft>) => setD((x) => ({ ...x, ...patch }));
  const setHours = (day: Day, patch: Partial<Hours>) =>
    setD((x) => ({ ...x, hours: { ...x.hours, [day]: { ...x.hours[day], ...patch } } }));
  const { body, labels, indexOf } = bodyOf(d);

  const error = save.error instanceof ApiError ? save.error : undefined;
  const refused = error?.problems.map((p) => p.path) ?? [];
  const invalid = (path: string) =>
    refused.some((p) => p === path || p.startsWith(`${path}.`)) ||
    (path === 'slug' && error?.code === 'slug_taken')
      ? 'true'
      : undefined;
  const where = (path: string) => {
    const range = /^workingHours\.(\d+)(?:\.(start|end))?/.exec(path);
    if (range) return `${labels[Number(range[1])] ?? 'Working hours'}${range[2] ? ` ${range[2]}` : ''}:`;
    return FIELD_NAMES[path.split('.')[0] ?? ''];
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    let made: MeetingType | undefined;
    let latest: MeetingType | undefined;
    const ok = await save.run(async () => {
      try {
        made = editing
          ? await api<MeetingType>('PUT', `/v1/meeting-types/${editing.id}`, {
              ...body,
              version: editing.version,
            })
          : await api<MeetingType>('POST', '/v1/meeting-types', body);
      } catch (err) {
        // Saved by someone else meanwhile: the page as it is now is shown instead.
        if (editing && err instanceof ApiError && err.code === 'version_conflict')
          latest = await api<MeetingType>('GET', `/v1/meeting-types/${editing.id}`);
        throw err;
      }
    });
    if (ok && made) onSaved(made, !editing);
    else if (latest) onReloaded(latest);
    // Refused: the first field refused takes the focus (the alert lists every problem).
    else
      setTimeout(() =>
        (
          document.querySelector<HTMLElement>('#bp-form [aria-invalid="true"]') ??
          document.getElementById('bp-name')
        )?.focus(),
      );
  };

  const durations = DURATIONS.includes(d.durationMinutes) ? DURATIONS : [...DURATIONS, d.durationMinutes];
  const buffers = BUFFERS.includes(d.bufferMinutes) ? BUFFERS : [...BUFFERS, d.bufferMinutes];
  const otherReminders = d.reminders.filter((m) => !REMINDERS.some(([r]) => r === m));
  const toggleReminder = (m: number, on: boolean) =>
    set({ reminders: on ? [...d.reminders, m] : d.reminders.filter((r) => r !== m) });

  return html`<form id="bp-form" class="booking-page-form" onSubmit=${submit} aria-labelledby="bp-form-title">
    <h3 id="bp-form-title" class="wrap-anywhere" tabIndex=${-1} ref=${heading}>${
      editing ? `Edit “${editing.name}”` : 'New booking page'
    }</h3>
    ${notice ? html`<div class="warning" role="alert">${notice}</div>` : null}
    <div class="bp-row">
      <div class="field"><label for="bp-name">Meeting name</label>
        <input id="bp-name" required maxLength=${120} value=${d.name} placeholder="e.g. Intro call"
          aria-invalid=${invalid('name')}
          onInput=${(e: Event) => set(slugTyped ? { name: value(e) } : { name: value(e), slug: slugOf(value(e)) })} /></div>
      <div class="field"><label for="bp-slug">Address</label>
        <input id="bp-slug" required maxLength=${60} value=${d.slug} autocomplete="off" spellcheck=${false}
          aria-describedby="bp-slug-hint" aria-invalid=${invalid('slug')}
          onInput=${(e: Event) => {
            setSlugTyped(true);
            set({ slug: value(e) });
          }} />
        <small id="bp-slug-hint" class="muted wrap-anywhere">Its page is at <code>/m/${d.slug || '…'}</code>: lower-case
          letters, digits and dashes.</small></div>
    </div>
    <div class="field"><label for="bp-about">About the meeting (optional, shown on its page)</label>
      <textarea id="bp-about" rows="2" maxLength=${1000} value=${d.description}
        onInput=${(e: Event) => set({ description: value(e) })}></textarea></div>
    <div class="bp-row">
      <div class="field"><label for="bp-owner-name">Owner’s name</label>
        <input id="bp-owner-name" required maxLength=${120} value=${d.ownerName} autocomplete="off"
          aria-invalid=${invalid('ownerName')} onInput=${(e: Event) => set({ ownerName: value(e) })} /></div>
      <div class="field"><label for="bp-owner-email">Owner’s email (the invite’s organizer)</label>
        <input id="bp-owner-email" type="email" required value=${d.ownerEmail} autocomplete="off"
          aria-invalid=${invalid('ownerEmail')} onInput=${(e: Event) => set({ ownerEmail: value(e) })} /></div>
    </div>
    <div class="bp-row">
      <div class="field"><label for="bp-duration">Duration</label>
        <select id="bp-duration" value=${d.durationMinutes}
          onChange=${(e: Event) => set({ durationMinutes: Number(value(e)) })}>
          ${durations.map((m) => html`<option key=${m} value=${m}>${minutesText(m)}</option>`)}
        </select></div>
      <div class="field"><label for="bp-buffer">Free time after each meeting</label>
        <select id="bp-buffer" value=${d.bufferMinutes} onChange=${(e: Event) => set({ bufferMinutes: Number(value(e)) })}>
          ${buffers.map((m) => html`<option key=${m} value=${m}>${m === 0 ? 'None' : minutesText(m)}</option>`)}
        </select></div>
      <div class="field"><label for="bp-notice">Minimum notice (hours)</label>
        <input id="bp-notice" type="number" inputmode="decimal" required min="0" max="720" step="0.25"
          value=${d.noticeHours} aria-invalid=${invalid('minNoticeMinutes')}
          onInput=${(e: Event) => set({ noticeHours: value(e) })} /></div>
      <div class="field"><label for="bp-horizon">How far ahead (days)</label>
        <input id="bp-horizon" type="number" inputmode="numeric" required min="1" max="90" step="1"
          value=${d.horizonDays} aria-invalid=${invalid('horizonDays')}
          onInput=${(e: Event) => set({ horizonDays: value(e) })} /></div>
    </div>
    <${TimeZoneInput} id="bp-tz" value=${d.timeZone} onInput=${(timeZone: string) => set({ timeZone })}
      hint="The working hours are in this zone; visitors see the times in theirs. An IANA name such as Europe/Paris." />
    <fieldset class="working-hours" aria-describedby="bp-hours-hint">
      <legend>Working hours</legend>
      <p id="bp-hours-hint" class="muted">On the quarter hour; to work until midnight, end at 00:00 (12:00 AM).</p>
      ${DAYS.map(([day, name]) => {
        const h = d.hours[day];
        const at = indexOf[day];
        const bad = (key: 'start' | 'end') =>
          at === undefined ? undefined : invalid(`workingHours.${at}.${key}`);
        return html`<div class="hours-row" key=${day}>
          <label class="choice"><input type="checkbox" id=${`bp-${day}-on`} checked=${h.on}
            onChange=${(e: Event) => setHours(day, { on: (e.target as HTMLInputElement).checked })} /> ${name}</label>
          ${
            h.on
              ? html`<span class="hours-range">
                  <span class="hours-pair"><label for=${`bp-${day}-start`}><span class="sr-only">${name} </span>from</label>
                    <input id=${`bp-${day}-start`} type="time" step="900" required value=${h.start} aria-invalid=${bad('start')}
                      onInput=${(e: Event) => setHours(day, { start: value(e) })} /></span>
                  <span class="hours-pair"><label for=${`bp-${day}-end`}><span class="sr-only">${name} </span>to</label>
                    <input id=${`bp-${day}-end`} type="time" step="900" required value=${h.end} aria-invalid=${bad('end')}
                      onInput=${(e: Event) => setHours(day, { end: value(e) })} /></span>
                </span>`
              : html`<span class="muted">Not available</span>`
          }
        </div>`;
      })}
      ${
        d.more.length > 0
          ? html`<p class="muted">Also ${d.more.map((h) => `${dayName(h.day)} ${h.start}–${h.end}`).join(', ')} (set through the
              API; kept while its day is on).</p>`
          : null
      }
    </fieldset>
    <fieldset>
      <legend>Reminder emails to the invitee</legend>
      ${REMINDERS.map(
        ([
          m,
          label,
        ]) => html`<label class="choice" key=${m}><input type="checkbox" checked=${d.reminders.includes(m)}
          onChange=${(e: Event) => toggleReminder(m, (e.target as HTMLInputElement).checked)} /> ${label}</label>`,
      )}
      ${otherReminders.length > 0 ? html`<p class="muted">Also ${otherReminders.map((m) => `${m} minutes`).join(', ')} before.</p>` : null}
    </fieldset>
    <label class="choice"><input type="checkbox" checked=${d.active}
      onChange=${(e: Event) => set({ active: (e.target as HTMLInputElement).checked })} />
      Active: the page offers free times and takes bookings</label>
    <${ErrorBox} error=${save.error} where=${where} />
    <div class="actions">
      <button type="submit" disabled=${save.busy}>${editing ? 'Save changes' : 'Create booking page'}</button>
      ${editing ? html`<button type="button" class="secondary" onClick=${onCancel}>Cancel</button>` : null}
    </div>
  </form>`;
}
