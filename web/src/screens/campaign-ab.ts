/**
 * A/B tests in the campaign screens: the composer's setup (2–4 variants, each a template and an
 * optional subject; the share of the audience tested; opens or clicks; how long to wait), and the
 * campaign page's results per variant, with the winner — or, while the test waits, a button per
 * variant to send it to the rest now.
 */

import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type Campaign, type CampaignView, type Template } from '../api.js';
import { ErrorBox, html, useAction, when } from '../ui.js';

export type AbTest = NonNullable<Campaign['abTest']>;
/** What the composer sends: the variants as picked (named A, B, … by the server). */
export interface AbSetup {
  variants: Array<{ templateId: string; subject: string }>;
  testPercent: number;
  winnerBy: AbTest['winnerBy'];
  waitHours: number;
}

const LETTERS = ['A', 'B', 'C', 'D'];

/** The campaign's A/B setup, or a new one starting from its template (A) and another (B). */
export const abSetupOf = (test: AbTest | undefined, templates: Template[], templateId?: string): AbSetup =>
  test
    ? {
        variants: test.variants.map((v) => ({ templateId: v.templateId, subject: v.subject ?? '' })),
        testPercent: test.testPercent,
        winnerBy: test.winnerBy,
        waitHours: test.waitHours,
      }
    : {
        variants: [templateId || templates[0]?.id || ''].flatMap((a) => [
          { templateId: a, subject: '' },
          { templateId: unused(templates, [a]), subject: '' },
        ]),
        testPercent: 20,
        winnerBy: 'opens',
        waitHours: 4,
      };

/** A template no variant uses yet (the first when every one is used): a new variant is not a copy. */
const unused = (templates: Template[], used: string[]) =>
  templates.find((t) => !used.includes(t.id))?.id ?? templates[0]?.id ?? '';

/** The A/B body of the composer's request. */
export const abBody = (setup: AbSetup) => ({
  ...setup,
  variants: setup.variants.map((v) => ({
    templateId: v.templateId,
    ...(v.subject.trim() ? { subject: v.subject.trim() } : {}),
  })),
});

export function AbTestFields({
  value,
  onChange,
  templates,
}: {
  value: AbSetup;
  onChange: (next: AbSetup) => void;
  templates: Template[];
}) {
  const set = (patch: Partial<AbSetup>) => onChange({ ...value, ...patch });
  const setVariant = (i: number, patch: Partial<AbSetup['variants'][number]>) =>
    set({ variants: value.variants.map((v, j) => (j === i ? { ...v, ...patch } : v)) });
  const number = (e: Event) => Number((e.target as HTMLInputElement).value);
  const share = Math.floor(value.testPercent / value.variants.length);
  return html`<fieldset class="ab-test">
    <legend>A/B test</legend>
    ${value.variants.map(
      (v, i) => html`<div class="ab-variant" role="group" aria-labelledby=${`variant-${i}-title`}>
        <p class="ab-variant-title" id=${`variant-${i}-title`}><strong>Variant ${LETTERS[i]}</strong></p>
        <div class="field">
          <label for=${`variant-${i}-template`}>Template</label>
          <select id=${`variant-${i}-template`} value=${v.templateId}
            onChange=${(e: Event) => setVariant(i, { templateId: (e.target as HTMLSelectElement).value })}>
            ${templates.map((t) => html`<option value=${t.id}>${t.name} — “${t.subject}”</option>`)}
          </select>
        </div>
        <div class="field">
          <label for=${`variant-${i}-subject`}>Subject (leave empty to use the template’s)</label>
          <input id=${`variant-${i}-subject`} value=${v.subject} maxLength=${200}
            onInput=${(e: Event) => setVariant(i, { subject: (e.target as HTMLInputElement).value })} />
        </div>
        ${
          value.variants.length > 2
            ? html`<button type="button" class="secondary" aria-label=${`Remove variant ${LETTERS[i]}`}
                onClick=${() => {
                  set({ variants: value.variants.filter((_, j) => j !== i) });
                  // The focus stays in the test: on the variant before (or the first).
                  setTimeout(() =>
                    document.getElementById(`variant-${Math.max(0, i - 1)}-template`)?.focus(),
                  );
                }}>Remove</button>`
            : null
        }
      </div>`,
    )}
    ${
      value.variants.length < 4
        ? html`<button type="button" class="secondary"
            onClick=${() =>
              set({
                variants: [
                  ...value.variants,
                  {
                    templateId: unused(
                      templates,
                      value.variants.map((v) => v.templateId),
                    ),
                    subject: '',
                  },
                ],
              })}>
            Add variant ${LETTERS[value.variants.length]}</button>`
        : null
    }
    <div class="ab-settings">
      <div class="field">
        <label for="ab-percent">Test share of the audience (%)</label>
        <input id="ab-percent" type="number" min="2" max="80" step="1" required value=${value.testPercent}
          aria-describedby="ab-percent-hint" onInput=${(e: Event) => set({ testPercent: number(e) })} />
        <p class="hint" id="ab-percent-hint">${share > 0 ? `${share}% of the audience gets each variant; the rest get the winner.` : ''}</p>
      </div>
      <div class="field">
        <label for="ab-winner-by">Winner by</label>
        <select id="ab-winner-by" value=${value.winnerBy}
          onChange=${(e: Event) => set({ winnerBy: (e.target as HTMLSelectElement).value as AbSetup['winnerBy'] })}>
          <option value="opens">Open rate (unique opens)</option>
          <option value="clicks">Click rate (unique clicks)</option>
        </select>
      </div>
      <div class="field">
        <label for="ab-wait">Choose the winner after (hours)</label>
        <input id="ab-wait" type="number" min="1" max="168" step="1" required value=${value.waitHours}
          onInput=${(e: Event) => set({ waitHours: number(e) })} />
      </div>
    </div>
  </fieldset>`;
}

const REASONS: Record<NonNullable<AbTest['winnerReason']>, string> = {
  opens: 'the best open rate',
  clicks: 'the best click rate',
  manual: 'chosen by hand',
  no_data: 'no variant had any, so the one sent to the most',
};
const rate = (n: number, of: number) => `${of > 0 ? Math.round((n / of) * 1000) / 10 : 0}%`;

/** Each variant's test results; the winner, or (while testing) a way to choose it now. */
export function AbTestResults({
  view,
  templates,
  onChosen,
}: {
  view: CampaignView;
  templates: Template[] | undefined;
  onChosen: () => void;
}) {
  const test = view.campaign.abTest;
  const act = useAction();
  // The variant about to be sent to the rest, asked once more before it is.
  const [asking, setAsking] = useState<string | undefined>();
  const confirmRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);
  if (!test) return null;
  const testing = view.campaign.status === 'testing';
  const results = view.report?.variants ?? [];
  const waiting = view.progress?.counts.leftOut?.awaiting_winner ?? 0;
  const choose = async (variant: string) => {
    const ok = await act.run(() => api('POST', `/v1/campaigns/${view.campaign.id}/winner`, { variant }));
    setAsking(undefined);
    // Chosen, or refused because it changed meanwhile (chosen elsewhere): show it as it is now.
    onChosen();
    if (ok) document.getElementById('campaign-title')?.focus();
  };
  const close = () => {
    const variant = asking;
    setAsking(undefined);
    setTimeout(() => document.getElementById(`choose-${variant}`)?.focus());
  };
  return html`<section class="ab-results" aria-labelledby="ab-title">
    <h2 id="ab-title">A/B test</h2>
    <p>
      ${test.testPercent}% of the audience split between ${test.variants.length} variants; the winner by
      ${test.winnerBy === 'opens' ? ' open rate' : ' click rate'}
      ${test.winner ? html` is <strong>variant ${test.winner}</strong> (${REASONS[test.winnerReason ?? 'manual']}), sent to the rest.` : test.decideAt ? ` is chosen ${when(test.decideAt)}.` : ` is chosen ${test.waitHours} h after sending starts.`}
    </p>
    <div class="table-scroll" role="region" aria-labelledby="ab-results-caption" tabindex="0">
      <table>
        <caption class="sr-only" id="ab-results-caption">Results by variant</caption>
        <thead><tr><th scope="col">Variant</th><th scope="col">Email</th><th scope="col" class="num">Sent</th>
          <th scope="col" class="num">Open rate</th><th scope="col" class="num">Click rate</th>${testing ? html`<th scope="col"><span class="sr-only">Choose</span></th>` : null}</tr></thead>
        <tbody>
          ${test.variants.map((v) => {
            const r = results.find((x) => x.id === v.id) ?? { sent: 0, opened: 0, clicked: 0 };
            const template = templates?.find((t) => t.id === v.templateId);
            return html`<tr class=${v.id === test.winner ? 'is-winner' : ''}>
              <th scope="row">${v.id}${v.id === test.winner ? html` <span class="winner-badge">Winner</span>` : null}</th>
              <td>${template?.name ?? 'Template'}: “${v.subject ?? template?.subject ?? ''}”</td>
              <td class="num">${r.sent.toLocaleString()}</td>
              <td class="num">${rate(r.opened, r.sent)}</td>
              <td class="num">${rate(r.clicked, r.sent)}</td>
              ${testing ? html`<td><button type="button" class="secondary" id=${`choose-${v.id}`} disabled=${act.busy || asking !== undefined} onClick=${() => setAsking(v.id)}>Send ${v.id} to the rest…</button></td>` : null}
            </tr>`;
          })}
        </tbody>
      </table>
    </div>
    ${
      asking
        ? html`<div class="bulk-confirm" role="group" aria-labelledby="winner-question" tabindex="-1" ref=${confirmRef}
            onKeyDown=${(e: KeyboardEvent) => e.key === 'Escape' && close()}>
            <p id="winner-question"><strong>Send variant ${asking} to the ${waiting.toLocaleString()} ${waiting === 1 ? 'contact' : 'contacts'} waiting now?</strong></p>
            <p class="hint">The test stops here: variant ${asking} is the winner, whatever the rates say later.</p>
            <div class="actions">
              <button type="button" disabled=${act.busy} onClick=${() => choose(asking)}>Send ${asking}</button>
              <button type="button" class="secondary" onClick=${close}>Keep testing</button>
            </div>
          </div>`
        : null
    }
    <${ErrorBox} error=${act.error} />
  </section>`;
}
