/**
 * Service levels (Settings): the business hours SLA clocks run in, each priority's first response
 * and resolution targets (in business hours), and what a missed target does. Saved whole at the
 * version read: a save over someone else's is refused (409) and offers the saved settings.
 */
import { useState } from 'preact/hooks';
import { api, type ServiceSettings } from '../api.js';
import { ErrorBox, html, Loading, retryOnConflict, useAction, useLoad, when } from '../ui.js';
import { UserPicker } from '../user-picker.js';

const DAYS = [
  ['mon', 'Monday'],
  ['tue', 'Tuesday'],
  ['wed', 'Wednesday'],
  ['thu', 'Thursday'],
  ['fri', 'Friday'],
  ['sat', 'Saturday'],
  ['sun', 'Sunday'],
] as const;
type Day = (typeof DAYS)[number][0];
const PRIORITIES = ['urgent', 'high', 'normal', 'low'] as const;
type Priority = (typeof PRIORITIES)[number];

export function ServiceLevels() {
  const settings = useLoad(() => api<ServiceSettings>('GET', '/v1/service-settings'), []);
  const [said, setSaid] = useState('');
  return html`<section class="card service-levels" aria-labelledby="sla-title">
    <h2 id="sla-title">Service levels</h2>
    <p>How soon customers get a first answer and a resolution, counted in business hours. Waiting on the
      customer does not count. A missed target is recorded on the case and escalated.</p>
    <p role="status" class="muted">${said}</p>
    ${
      settings.error
        ? html`<${ErrorBox} error=${settings.error} onRetry=${settings.reload} />`
        : !settings.data
          ? html`<${Loading} what="Loading the service levels" />`
          : html`<${SlaForm} key=${settings.data.version} settings=${settings.data}
              onSaved=${() => {
                setSaid('Service levels saved.');
                settings.reload();
              }} onReload=${settings.reload} />`
    }
  </section>`;
}

const hoursOf = (minutes: number) => String(Math.round((minutes / 60) * 100) / 100);
const value = (e: Event) => (e.target as HTMLInputElement).value;

function SlaForm({
  settings,
  onSaved,
  onReload,
}: {
  settings: ServiceSettings;
  onSaved: () => void;
  onReload: () => void;
}) {
  const [timeZone, setTimeZone] = useState(settings.timeZone);
  const [days, setDays] = useState(
    () =>
      Object.fromEntries(
        DAYS.map(([day]) => {
          const h = settings.businessHours.find((b) => b.day === day);
          return [day, { on: !!h, start: h?.start ?? '09:00', end: h?.end ?? '17:00' }];
        }),
      ) as Record<Day, { on: boolean; start: string; end: string }>,
  );
  const [holidays, setHolidays] = useState(settings.holidays.join(', '));
  const [targets, setTargets] = useState(
    () =>
      Object.fromEntries(
        PRIORITIES.map((p) => [
          p,
          {
            first: hoursOf(settings.policies[p].firstResponseMinutes),
            resolve: hoursOf(settings.policies[p].resolutionMinutes),
          },
        ]),
      ) as Record<Priority, { first: string; resolve: string }>,
  );
  const [raise, setRaise] = useState(settings.escalation.raisePriority);
  const [assignTo, setAssignTo] = useState(settings.escalation.assignTo ?? '');
  const [notify, setNotify] = useState(settings.escalation.notify ?? '');
  const action = useAction();
  const extraRanges = (day: Day) => settings.businessHours.filter((b) => b.day === day).slice(1);
  const setDay = (day: Day, patch: Partial<{ on: boolean; start: string; end: string }>) =>
    setDays({ ...days, [day]: { ...days[day], ...patch } });
  const setTarget = (p: Priority, patch: Partial<{ first: string; resolve: string }>) =>
    setTargets({ ...targets, [p]: { ...targets[p], ...patch } });
  const submit = async (e: Event) => {
    e.preventDefault();
    const minutes = (hours: string) => Math.round(Number(hours) * 60);
    const body = {
      timeZone: timeZone.trim(),
      // The first range of a day is edited here; a day's other ranges (set through the API) are kept.
      businessHours: DAYS.filter(([d]) => days[d].on).flatMap(([day]) => [
        { day, start: days[day].start, end: days[day].end },
        ...extraRanges(day),
      ]),
      holidays: holidays
        .split(/[\s,]+/)
        .map((h) => h.trim())
        .filter((h) => h !== ''),
      policies: Object.fromEntries(
        PRIORITIES.map((p) => [
          p,
          { firstResponseMinutes: minutes(targets[p].first), resolutionMinutes: minutes(targets[p].resolve) },
        ]),
      ),
      escalation: {
        raisePriority: raise,
        ...(assignTo.trim() ? { assignTo: assignTo.trim() } : {}),
        ...(notify.trim() ? { notify: notify.trim() } : {}),
      },
      expectedVersion: settings.version,
    };
    if (await action.run(() => api('PUT', '/v1/service-settings', body))) onSaved();
  };
  return html`<form onSubmit=${submit} aria-label="Service levels">
    <div class="field">
      <label for="sla-tz">Time zone</label>
      <input id="sla-tz" value=${timeZone} onInput=${(e: Event) => setTimeZone(value(e))} aria-describedby="sla-tz-hint" />
      <small id="sla-tz-hint" class="muted">Such as Europe/Paris or America/New_York.</small>
    </div>
    <fieldset class="sla-hours">
      <legend>Business hours (none ticked: every hour counts)</legend>
      ${DAYS.map(
        ([day, name]) => html`<div class="sla-day">
          <label><input type="checkbox" checked=${days[day].on} onChange=${() => setDay(day, { on: !days[day].on })} /> ${name}</label>
          <label for=${`sla-${day}-start`} class="sr-only">${name} opens</label>
          <input id=${`sla-${day}-start`} type="time" value=${days[day].start} disabled=${!days[day].on}
            onInput=${(e: Event) => setDay(day, { start: value(e) })} />
          <span aria-hidden="true">–</span>
          <label for=${`sla-${day}-end`} class="sr-only">${name} closes</label>
          <input id=${`sla-${day}-end`} type="time" value=${days[day].end} disabled=${!days[day].on}
            onInput=${(e: Event) => setDay(day, { end: value(e) })} />
        ${
          extraRanges(day).length && days[day].on
            ? html`<span class="muted">and ${extraRanges(day)
                .map((r) => `${r.start}–${r.end}`)
                .join(', ')}</span>`
            : null
        }
        </div>`,
      )}
    </fieldset>
    <div class="field">
      <label for="sla-holidays">Holidays</label>
      <input id="sla-holidays" value=${holidays} onInput=${(e: Event) => setHolidays(value(e))}
        aria-describedby="sla-holidays-hint" />
      <small id="sla-holidays-hint" class="muted">Dates such as 2026-12-25, separated by commas.</small>
    </div>
    <table class="sla-targets">
      <caption>Targets in business hours</caption>
      <thead><tr><th scope="col">Priority</th><th scope="col">First response</th><th scope="col">Resolution</th></tr></thead>
      <tbody>
        ${PRIORITIES.map(
          (p) => html`<tr>
            <th scope="row">${p}</th>
            <td><input type="number" min="0.02" step="any" aria-label=${`${p}: first response within (hours)`}
              value=${targets[p].first} onInput=${(e: Event) => setTarget(p, { first: value(e) })} /></td>
            <td><input type="number" min="0.02" step="any" aria-label=${`${p}: resolution within (hours)`}
              value=${targets[p].resolve} onInput=${(e: Event) => setTarget(p, { resolve: value(e) })} /></td>
          </tr>`,
        )}
      </tbody>
    </table>
    <fieldset>
      <legend>When a target is missed</legend>
      <div class="field"><label><input type="checkbox" checked=${raise} onChange=${() => setRaise(!raise)} /> Raise the priority one step</label></div>
      <${UserPicker} id="sla-assign" label="Assign the case to" value=${assignTo} onChange=${setAssignTo}
        noneLabel="Leave as it is" />
      <div class="field">
        <label for="sla-notify">Email</label>
        <input id="sla-notify" type="email" value=${notify} placeholder="team-lead@example.com"
          onInput=${(e: Event) => setNotify(value(e))} aria-describedby="sla-notify-hint" />
        <small id="sla-notify-hint" class="muted">Also the assignee, at their address.</small>
      </div>
    </fieldset>
    <${ErrorBox} error=${action.error} onRetry=${retryOnConflict(action.error, onReload)} />
    <button type="submit" disabled=${action.busy}>Save service levels</button>
    ${settings.updatedAt ? html`<p class="muted">Saved ${when(settings.updatedAt)}.</p>` : html`<p class="muted">These are the defaults: not saved yet.</p>`}
  </form>`;
}
