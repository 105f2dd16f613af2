/**
 * Settings: the email settings — the frequency cap on marketing emails (workflows and campaigns;
 * follow-ups are one-to-one and not counted) and the subscription types people can leave one by one
 * on the unsubscribe page, and site tracking (the snippet, identifying visitors from email links:
 * site-tracking.ts); lead scoring (scoring-settings.ts); service levels (service-settings.ts); the booking pages people book meetings
 * on (booking-pages.ts); and the API keys and webhooks of other systems (api-keys.ts, webhooks.ts). Each form saves with the time of the settings it started from, so a save
 * over someone else's is refused (409) with the API's words and a reload.
 */
import { useState } from 'preact/hooks';
import { api, type EmailSettings } from '../api.js';
import {
  ErrorBox,
  html,
  Loading,
  retryOnConflict,
  useAction,
  useFocusOnMount,
  useLoad,
  when,
} from '../ui.js';
import { ApiKeys } from './api-keys.js';
import { BookingPages } from './booking-pages.js';
import { CannedResponses } from './canned-responses.js';
import { LeadScoring } from './scoring-settings.js';
import { ServiceLevels } from './service-settings.js';
import { SiteTrackingForm } from './site-tracking.js';
import { type SettingsFormProps, SubscriptionTypesForm } from './subscription-types.js';
import { Webhooks } from './webhooks.js';

export function SettingsScreen() {
  const settings = useLoad(() => api<EmailSettings>('GET', '/v1/settings/email'), []);
  const [saved, setSaved] = useState<'cap' | 'types' | 'tracking' | undefined>();
  const reloadAfter = (which: 'cap' | 'types' | 'tracking') => () => {
    setSaved(which);
    settings.reload();
  };
  return html`<section aria-labelledby="settings-title">
    <h1 id="settings-title">Settings</h1>
    ${
      settings.error
        ? html`<${ErrorBox} error=${settings.error} onRetry=${settings.reload} />`
        : !settings.data
          ? html`<${Loading} what="Loading the settings" />`
          : html`<${FrequencyCapForm} key=${settings.data.updatedAt ?? 'new'} settings=${settings.data}
              onSaved=${reloadAfter('cap')} focus=${saved === 'cap'} />
            <${SubscriptionTypesForm} key=${`types-${settings.data.updatedAt ?? 'new'}`} settings=${settings.data}
              onSaved=${reloadAfter('types')} focus=${saved === 'types'} />
            <${SiteTrackingForm} key=${`tracking-${settings.data.updatedAt ?? 'new'}`} settings=${settings.data}
              onSaved=${reloadAfter('tracking')} focus=${saved === 'tracking'} />`
    }
    <${LeadScoring} />
    <${ServiceLevels} />
    <${CannedResponses} />
    <${BookingPages} />
    <${ApiKeys} />
    <${Webhooks} />
  </section>`;
}

function FrequencyCapForm({ settings, onSaved, focus }: SettingsFormProps) {
  const heading = useFocusOnMount(focus);
  const cap = settings.frequencyCap;
  const [on, setOn] = useState(cap !== undefined);
  const [max, setMax] = useState(String(cap?.max ?? 3));
  const [days, setDays] = useState(String(cap?.days ?? 7));
  const save = useAction();
  const submit = async (e: Event) => {
    e.preventDefault();
    const body = {
      frequencyCap: on ? { max: Number(max), days: Number(days) } : null,
      ...(settings.updatedAt ? { expectedUpdatedAt: settings.updatedAt } : {}),
    };
    // Saved: the settings are loaded again, and this form with them.
    if (await save.run(() => api('PUT', '/v1/settings/email', body))) onSaved();
  };
  const where = (path: string) =>
    path.endsWith('max') ? 'Emails:' : path.endsWith('days') ? 'Days:' : undefined;
  return html`<form class="card" onSubmit=${submit} aria-labelledby="cap-title">
    <h2 id="cap-title" tabIndex=${-1} ref=${heading}>Frequency cap</h2>
    <p class="hint" id="cap-hint">Marketing emails (workflows and campaigns) over the cap are not sent: a campaign leaves
      the contact out, a workflow skips that email and goes on. Follow-ups are not counted.</p>
    <label class="choice"><input type="checkbox" checked=${on} aria-describedby="cap-hint"
      onChange=${(e: Event) => setOn((e.target as HTMLInputElement).checked)} /> Limit marketing emails per contact</label>
    <fieldset class="inline-fields" disabled=${!on}>
      <legend>At most</legend>
      <div class="field"><label for="cap-max">Emails</label>
        <input id="cap-max" type="number" inputmode="numeric" min="1" max="50" required value=${max}
          onInput=${(e: Event) => setMax((e.target as HTMLInputElement).value)} /></div>
      <div class="field"><label for="cap-days">Days</label>
        <input id="cap-days" type="number" inputmode="numeric" min="1" max="90" required value=${days}
          onInput=${(e: Event) => setDays((e.target as HTMLInputElement).value)} /></div>
    </fieldset>
    <${ErrorBox} error=${save.error} where=${where} onRetry=${retryOnConflict(save.error, onSaved)} />
    <div class="actions">
      <button type="submit" disabled=${save.busy}>Save cap</button>
      <span role="status">${settings.updatedAt ? `Settings last saved ${when(settings.updatedAt)}.` : 'Not saved yet: no cap.'}</span>
    </div>
  </form>`;
}
