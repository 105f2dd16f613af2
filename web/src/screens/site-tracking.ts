/**
 * Settings → Site tracking: the snippet a site includes (to copy), and whether links in marketing
 * emails identify the contact to it (`identifyVisitors`, saved with the email settings it started
 * from, like the other email settings forms).
 */
import { useState } from 'preact/hooks';
import { api } from '../api.js';
import { ErrorBox, html, retryOnConflict, useAction, useFocusOnMount } from '../ui.js';
import type { SettingsFormProps } from './subscription-types.js';

export function SiteTrackingForm({ settings, onSaved, focus }: SettingsFormProps) {
  const heading = useFocusOnMount(focus);
  const [on, setOn] = useState(settings.identifyVisitors === true);
  const [domains, setDomains] = useState((settings.siteDomains ?? []).join(', '));
  const save = useAction();
  const snippet = `<script async src="${location.origin}/t/tendril.js" data-consent="granted"></script>`;
  const submit = async (e: Event) => {
    e.preventDefault();
    const body = {
      // The cap is saved whole with every email settings form: kept as it is.
      frequencyCap: settings.frequencyCap ?? null,
      identifyVisitors: on,
      siteDomains: domains
        .split(/[\s,]+/)
        .map((d) => d.trim())
        .filter((d) => d !== ''),
      ...(settings.updatedAt ? { expectedUpdatedAt: settings.updatedAt } : {}),
    };
    if (await save.run(() => api('PUT', '/v1/settings/email', body))) onSaved();
  };
  return html`<form class="card" onSubmit=${submit} aria-labelledby="tracking-title">
    <h2 id="tracking-title" tabIndex=${-1} ref=${heading}>Site tracking</h2>
    <p class="hint" id="tracking-hint">${'Add this to your site’s pages to see what known contacts visit and to score it. It sets no cookie and sends nothing until the visitor consents: leave out '}<code>data-consent="granted"</code>${' and call '}<code>tendril('consent', true)</code>${' from your consent banner instead.'}</p>
    <label for="tracking-snippet">Snippet</label>
    <textarea id="tracking-snippet" readonly rows="2" class="code" aria-describedby="tracking-hint"
      onFocus=${(e: Event) => (e.target as HTMLTextAreaElement).select()}>${snippet}</textarea>
    <label class="choice"><input type="checkbox" checked=${on}
      onChange=${(e: Event) => setOn((e.target as HTMLInputElement).checked)} />
      Identify visitors who arrive by a link in a marketing email</label>
    <div class="field"><label for="tracking-domains">Your site’s domains</label>
      <input id="tracking-domains" value=${domains} placeholder="example.com, shop.example.com"
        aria-describedby="tracking-domains-hint"
        onInput=${(e: Event) => setDomains((e.target as HTMLInputElement).value)} />
      <small class="hint" id="tracking-domains-hint">Only links to these domains (and their subdomains) carry the
        contact’s signed token, which the snippet removes from the address bar; the visitor’s earlier visits join the
        contact. Links to other sites never do.</small></div>
    <${ErrorBox} error=${save.error} onRetry=${retryOnConflict(save.error, onSaved)}
      where=${(path: string) => (path.startsWith('siteDomains') ? 'Your site’s domains:' : undefined)} />
    <div class="actions">
      <button type="submit" disabled=${save.busy}>Save site tracking</button>
      <span role="status">${settings.identifyVisitors ? 'Visitors are identified from email links.' : 'Email links identify nobody.'}</span>
    </div>
  </form>`;
}
