/**
 * The dashboard's date range picker: a preset (last 7, 30, 90 days, this month) or a custom
 * from–to. The choice goes into the hash's query (web/src/dashboard-range.ts), so a reload or a
 * shared link shows the same range; the screen reads it back from there.
 */
import { useEffect, useState } from 'preact/hooks';
import { customProblem, PRESETS, type RangeChoice, rangeQuery } from '../dashboard-range.js';
import { html } from '../ui.js';

/** Shows a range: the hash changes, the screen (drawn from the hash) follows. */
export function goToRange(choice: RangeChoice) {
  window.location.hash = `#/dashboard${rangeQuery(choice)}`;
}

export function RangePicker({ choice, days }: { choice: RangeChoice; days: { from: string; to: string } }) {
  const [custom, setCustom] = useState(choice.preset === 'custom');
  const [from, setFrom] = useState(days.from);
  const [to, setTo] = useState(days.to);
  const [problem, setProblem] = useState<string>();
  // Another range came by the hash (Back, a link): the fields follow it.
  useEffect(() => {
    setCustom(choice.preset === 'custom');
    setFrom(days.from);
    setTo(days.to);
    setProblem(undefined);
  }, [choice.preset, days.from, days.to]);

  const onPreset = (value: string) => {
    if (value === 'custom') {
      setCustom(true);
      return;
    }
    setCustom(false);
    goToRange({ preset: value as keyof typeof PRESETS });
  };
  const apply = (e: Event) => {
    e.preventDefault();
    const wrong = customProblem(from, to);
    setProblem(wrong);
    if (!wrong) goToRange({ preset: 'custom', from, to });
  };

  // novalidate: the browser would block a start after the end silently (min/max); ours says it in words.
  return html`<form class="range-picker" novalidate onSubmit=${apply}>
    <div class="field">
      <label for="dash-range">Date range</label>
      <select id="dash-range" value=${custom ? 'custom' : choice.preset} onChange=${(e: Event) => onPreset((e.target as HTMLSelectElement).value)}>
        ${Object.entries(PRESETS).map(([value, label]) => html`<option value=${value}>${label}</option>`)}
        <option value="custom">Custom range…</option>
      </select>
    </div>
    ${
      custom
        ? html`<div class="field">
              <label for="dash-from">From</label>
              <input id="dash-from" type="date" value=${from} max=${to || undefined} required
                aria-invalid=${problem ? 'true' : undefined} aria-describedby=${problem ? 'dash-range-error' : undefined}
                onInput=${(e: Event) => setFrom((e.target as HTMLInputElement).value)} />
            </div>
            <div class="field">
              <label for="dash-to">To</label>
              <input id="dash-to" type="date" value=${to} min=${from || undefined} required
                aria-invalid=${problem ? 'true' : undefined} aria-describedby=${problem ? 'dash-range-error' : undefined}
                onInput=${(e: Event) => setTo((e.target as HTMLInputElement).value)} />
            </div>
            <button type="submit">Apply</button>
            ${problem ? html`<p id="dash-range-error" class="range-error is-bad" role="alert">${problem}</p>` : null}`
        : null
    }
  </form>`;
}
