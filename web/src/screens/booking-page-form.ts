/**
 * A booking page's form (booking-pages.ts): a new page, or one page edited at its version. Working hours
 * are one range per weekday, in the page's time zone, on the quarter hour; a range set besides through
 * the API is kept while its day stays on (or removed), and so are other reminders. A refusal's problems
 * are said beside their fields, the first one focused, and listed in a summary linking to each.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api, type MeetingType, type WorkingHours } from '../api.js';
import { ErrorBox, html, ProblemList, useAction } from '../ui.js';

type Day = WorkingHours['day'];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'].map(
  (name): [Day, string] => [name.slice(0, 3).toLowerCase() as Day, name],
);
const dayName = (day: Day) => DAYS.find(([d]) => d === day)?.[1] ?? day;
const DURATIONS = [15, 30, 45, 60, 90, 120];
const BUFFERS = [0, 15, 30, 60];
const REMINDERS: Array<[number, string]> = [
  [1440, '1 day before'],
  [60, '1 hour before'],
];

type Hours = { on: boolean; start: string; end: string };

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

/** The form's state: `more` holds the ranges besides each day's first one (set through the API). */
type Draft = ReturnType<typeof draftOf>;
function draftOf(t?: MeetingType) {
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

/** The API's body: one range a ticked day, then the kept ranges of ticked days (`workingHours.<i>`). */
function bodyOf(d: Draft) {
  const workingHours: WorkingHours[] = [];
  for (const [day] of DAYS) {
    const h = d.hours[day];
    if (h.on) workingHours.push({ day, start: h.start, end: endForApi(h.end) });
  }
  workingHours.push(...d.more.filter((m) => d.hours[m.day].on));
  const description = d.description.trim();
  return {
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
}

/** The API's paths in form order: a problem's key (a weekday for its ranges), its control, its name. */
const PLACES: Array<[string, string, string]> = [
  ['name', 'bp-name', 'Meeting name'],
  ['slug', 'bp-slug', 'Address'],
  ['description', 'bp-about', 'About the meeting'],
  ['ownerName', 'bp-owner-name', 'Owner’s name'],
  ['ownerEmail', 'bp-owner-email', 'Owner’s email'],
  ['durationMinutes', 'bp-duration', 'Duration'],
  ['bufferMinutes', 'bp-buffer', 'Free time after each meeting'],
  ['minNoticeMinutes', 'bp-notice', 'Minimum notice'],
  ['horizonDays', 'bp-horizon', 'How far ahead'],
  ['timeZone', 'bp-tz', 'Time zone'],
  ['workingHours', 'bp-mon-on', 'Working hours'],
  ...DAYS.map(([day, name]): [string, string, string] => [day, `bp-${day}-start`, name]),
  ['remindersMinutesBefore', 'bp-reminder-1440', 'Reminders'],
  ['active', 'bp-active', 'Active'],
];
/** A problem said beside its field: "must be …" → "Must be …". */
const sentence = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
const rangeName = (h: WorkingHours) => `${dayName(h.day)} ${h.start}–${h.end}`;
/** A range's message in words: no `workingHours.<i>`; its own weekday left out (said first), another's in full. */
const named = (message: string, day: Day, sent: WorkingHours[]) =>
  message
    .replace(/workingHours\.(\d+)/g, (raw, i) => sent.map(rangeName)[Number(i)] ?? raw)
    .replace(/ on (mon|tue|wed|thu|fri|sat|sun)\b/g, (_, o: Day) => (o === day ? '' : ` on ${dayName(o)}`));

/**
 * The refusal's problems in form order (`sent`, the ranges submitted, names `workingHours.<i>`): each
 * said beside its key's controls (a range's, beside its day's row) and linked to `control` in the summary.
 */
type Problem = ReturnType<typeof problemsOf>[number];
function problemsOf(error: unknown, sent: WorkingHours[]) {
  if (!(error instanceof ApiError)) return [];
  const taken = [{ path: 'slug', message: 'is taken by another booking page' }];
  const details = error.code === 'slug_taken' ? taken : error.problems;
  return details
    .map(({ path, message }) => {
      const [, i, side] = /^workingHours\.(\d+)(?:\.(start|end))?$/.exec(path) ?? [];
      const h = i === undefined ? undefined : sent[Number(i)];
      const key = h?.day ?? path.split('.')[0] ?? '';
      const at = PLACES.findIndex(([k]) => k === key);
      // A range's problem is said after its day and times, its own `workingHours.<i>` and weekday named.
      const label = h ? rangeName(h) : (PLACES[at]?.[2] ?? (path || '(body)'));
      const text = h ? `${side ? `${side} ` : ''}${named(message, h.day, sent)}` : message;
      const control = h ? `bp-${h.day}-${side ?? 'start'}` : PLACES[at]?.[1];
      // Beside a day's row, the range is named; beside a field, its problem alone.
      return {
        key,
        at: at < 0 ? PLACES.length : at,
        side,
        control,
        label,
        text,
        note: h ? `${label}: ${text}` : sentence(text),
      };
    })
    .sort((a, b) => a.at - b.at);
}

/** The zones this browser knows, suggested in the time zone field (none without Intl.supportedValuesOf). */
const ZONES = (() => {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return [];
  }
})();
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
  // The ranges last submitted: the refusal's `workingHours.<i>` are theirs.
  const [sent, setSent] = useState<WorkingHours[]>([]);
  const [said, setSaid] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (notice) heading.current?.focus();
  }, []);
  const set = (patch: Partial<Draft>) => setD((x) => ({ ...x, ...patch }));
  const setHours = (day: Day, patch: Partial<Hours>) =>
    setD((x) => ({ ...x, hours: { ...x.hours, [day]: { ...x.hours[day], ...patch } } }));
  const body = bodyOf(d);

  const problems = problemsOf(save.error, sent);
  const problemId = (key: string) => `bp-${key}-problem`;
  const mine = (key: string) => problems.filter((p) => p.key === key);
  /** The hint's id and the problem's beside it, for aria-describedby. */
  const describe = (key: string, hint?: string) =>
    [hint, mine(key).length ? problemId(key) : undefined].filter(Boolean).join(' ') || undefined;
  /** A field's state: marked when refused, described by its hint and problem. */
  const aria = (key: string, hint?: string) => ({
    'aria-invalid': mine(key).length ? 'true' : undefined,
    'aria-describedby': describe(key, hint),
  });
  const beside = (key: string) =>
    mine(key).length
      ? html`<small class="problem" id=${problemId(key)}>${mine(key).map((p) => html`<span>${p.note}</span>`)}</small>`
      : null;
  const removeMore = (i: number) => {
    const h = d.more[i] as WorkingHours;
    set({ more: d.more.filter((_, j) => j !== i) });
    setSaid(`${rangeName(h)} removed: Save changes to keep it so.`);
    setTimeout(() => document.getElementById(`bp-${h.day}-end`)?.focus());
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setSent(body.workingHours);
    setSaid('');
    let made: MeetingType | undefined;
    let latest: MeetingType | undefined;
    let refusal: unknown;
    const ok = await save.run(async () => {
      try {
        made = await (editing
          ? api<MeetingType>('PUT', `/v1/meeting-types/${editing.id}`, { ...body, version: editing.version })
          : api<MeetingType>('POST', '/v1/meeting-types', body));
      } catch (err) {
        refusal = err;
        // Saved by someone else meanwhile: the page as it is now is shown instead.
        if (editing && err instanceof ApiError && err.code === 'version_conflict')
          latest = await api<MeetingType>('GET', `/v1/meeting-types/${editing.id}`);
        throw err;
      }
    });
    if (ok && made) onSaved(made, !editing);
    else if (latest) onReloaded(latest);
    // Refused: the first problem's control (in form order) takes the focus; the summary lists them all.
    else {
      const first = problemsOf(refusal, body.workingHours).find((p) => p.control)?.control ?? 'bp-name';
      setTimeout(() => document.getElementById(first)?.focus());
    }
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
        <input id="bp-name" required maxLength=${120} value=${d.name} placeholder="e.g. Intro call" ...${aria('name')}
          onInput=${(e: Event) => set(slugTyped ? { name: value(e) } : { name: value(e), slug: slugOf(value(e)) })} />
        ${beside('name')}</div>
      <div class="field"><label for="bp-slug">Address</label>
        <input id="bp-slug" required maxLength=${60} value=${d.slug} autocomplete="off" spellcheck=${false}
          ...${aria('slug', 'bp-slug-hint')} onInput=${(e: Event) => {
            setSlugTyped(true);
            set({ slug: value(e) });
          }} />
        <small id="bp-slug-hint" class="muted wrap-anywhere">Its page is at <code>/m/${d.slug || '…'}</code>: lower-case
          letters, digits and dashes.</small>${beside('slug')}</div>
    </div>
    <div class="field"><label for="bp-about">About the meeting (optional, shown on its page)</label>
      <textarea id="bp-about" rows="2" maxLength=${1000} value=${d.description} ...${aria('description')}
        onInput=${(e: Event) => set({ description: value(e) })}></textarea>${beside('description')}</div>
    <div class="bp-row">
      <div class="field"><label for="bp-owner-name">Owner’s name</label>
        <input id="bp-owner-name" required maxLength=${120} value=${d.ownerName} autocomplete="off" ...${aria('ownerName')}
          onInput=${(e: Event) => set({ ownerName: value(e) })} />${beside('ownerName')}</div>
      <div class="field"><label for="bp-owner-email">Owner’s email (the invite’s organizer)</label>
        <input id="bp-owner-email" type="email" required value=${d.ownerEmail} autocomplete="off" ...${aria('ownerEmail')}
          onInput=${(e: Event) => set({ ownerEmail: value(e) })} />${beside('ownerEmail')}</div>
    </div>
    <div class="bp-row">
      <div class="field"><label for="bp-duration">Duration</label>
        <select id="bp-duration" value=${d.durationMinutes} ...${aria('durationMinutes')}
          onChange=${(e: Event) => set({ durationMinutes: Number(value(e)) })}>
          ${durations.map((m) => html`<option key=${m} value=${m}>${minutesText(m)}</option>`)}
        </select>${beside('durationMinutes')}</div>
      <div class="field"><label for="bp-buffer">Free time after each meeting</label>
        <select id="bp-buffer" value=${d.bufferMinutes} ...${aria('bufferMinutes')}
          onChange=${(e: Event) => set({ bufferMinutes: Number(value(e)) })}>
          ${buffers.map((m) => html`<option key=${m} value=${m}>${m === 0 ? 'None' : minutesText(m)}</option>`)}
        </select>${beside('bufferMinutes')}</div>
      <div class="field"><label for="bp-notice">Minimum notice (hours)</label>
        <input id="bp-notice" type="number" inputmode="decimal" required min="0" max="720" step="0.25"
          value=${d.noticeHours} ...${aria('minNoticeMinutes')}
          onInput=${(e: Event) => set({ noticeHours: value(e) })} />${beside('minNoticeMinutes')}</div>
      <div class="field"><label for="bp-horizon">How far ahead (days)</label>
        <input id="bp-horizon" type="number" inputmode="numeric" required min="1" max="90" step="1"
          value=${d.horizonDays} ...${aria('horizonDays')}
          onInput=${(e: Event) => set({ horizonDays: value(e) })} />${beside('horizonDays')}</div>
    </div>
    <div class="field"><label for="bp-tz">Time zone</label>
      <input id="bp-tz" name="bp-tz" list="bp-tz-time-zones" value=${d.timeZone} placeholder="Europe/Paris"
        autocomplete="off" spellcheck=${false} ...${aria('timeZone', 'bp-tz-hint')}
        onInput=${(e: Event) => set({ timeZone: value(e) })} />
      <datalist id="bp-tz-time-zones">${ZONES.map((z) => html`<option value=${z} />`)}</datalist>
      <small id="bp-tz-hint" class="muted">The working hours are in this zone; visitors see the times in theirs. An IANA
        name such as Europe/Paris.</small>${beside('timeZone')}</div>
    <fieldset class="working-hours" aria-describedby=${describe('workingHours', 'bp-hours-hint')}>
      <legend>Working hours</legend>
      <p id="bp-hours-hint" class="muted">On the quarter hour; to work until midnight, end at 00:00 (12:00 AM).${
        d.more.length > 0
          ? ' The ranges marked “also” were set through the API: each is kept while its day is on.'
          : ''
      }</p>
      ${beside('workingHours')}
      ${DAYS.map(([day, name]) => {
        const h = d.hours[day];
        const hint = describe(day);
        // A range refused as a whole marks both times; its start or end, that time.
        const bad = (side: string) => (mine(day).some((p) => (p.side ?? side) === side) ? 'true' : undefined);
        return html`<div class="hours-row" key=${day}>
          <label class="choice"><input type="checkbox" id=${`bp-${day}-on`} checked=${h.on}
            onChange=${(e: Event) => setHours(day, { on: (e.target as HTMLInputElement).checked })} /> ${name}</label>
          ${
            h.on
              ? html`<span class="hours-range">
                  <span class="hours-pair"><label for=${`bp-${day}-start`}><span class="sr-only">${name} </span>from</label>
                    <input id=${`bp-${day}-start`} type="time" step="900" required value=${h.start}
                      aria-invalid=${bad('start')} aria-describedby=${hint}
                      onInput=${(e: Event) => setHours(day, { start: value(e) })} /></span>
                  <span class="hours-pair"><label for=${`bp-${day}-end`}><span class="sr-only">${name} </span>to</label>
                    <input id=${`bp-${day}-end`} type="time" step="900" required value=${h.end}
                      aria-invalid=${bad('end')} aria-describedby=${hint}
                      onInput=${(e: Event) => setHours(day, { end: value(e) })} /></span>
                </span>
                ${d.more.map((x, i) =>
                  x.day === day
                    ? html`<span class="hours-more" key=${i}>also ${x.start}–${x.end}
                        <button type="button" class="secondary" aria-label=${`Remove ${rangeName(x)}`}
                          onClick=${() => removeMore(i)}>Remove</button></span>`
                    : null,
                )}`
              : html`<span class="muted">Not available</span>`
          }
          ${beside(day)}
        </div>`;
      })}
      <p role="status" class="muted">${said}</p>
    </fieldset>
    <fieldset aria-describedby=${describe('remindersMinutesBefore')}>
      <legend>Reminder emails to the invitee</legend>
      ${REMINDERS.map(
        ([m, label]) => html`<label class="choice" key=${m}><input type="checkbox" id=${`bp-reminder-${m}`}
          checked=${d.reminders.includes(m)}
          onChange=${(e: Event) => toggleReminder(m, (e.target as HTMLInputElement).checked)} /> ${label}</label>`,
      )}
      ${otherReminders.length > 0 ? html`<p class="muted">Also ${otherReminders.map((m) => `${m} minutes`).join(', ')} before.</p>` : null}
      ${beside('remindersMinutesBefore')}
    </fieldset>
    <label class="choice"><input type="checkbox" id="bp-active" checked=${d.active}
      onChange=${(e: Event) => set({ active: (e.target as HTMLInputElement).checked })} />
      Active: the page offers free times and takes bookings</label>
    ${beside('active')}
    <${Summary} error=${save.error} problems=${problems} />
    <div class="actions">
      <button type="submit" disabled=${save.busy}>${editing ? 'Save changes' : 'Create booking page'}</button>
      ${editing ? html`<button type="button" class="secondary" onClick=${onCancel}>Cancel</button>` : null}
    </div>
  </form>`;
}

/** The refusal, each problem a link to its control (the error as it is when it has none). */
function Summary({ error, problems }: { error: unknown; problems: Problem[] }) {
  if (!(error instanceof ApiError) || problems.length === 0) return html`<${ErrorBox} error=${error} />`;
  return html`<div class="error" role="alert">
    <strong>${error.message}</strong>
    <${ProblemList} problems=${problems} />
  </div>`;
}
