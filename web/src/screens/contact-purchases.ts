/** A contact's purchases, as other systems reported them (POST /v1/purchases), newest first. */
import { api, type Page, type Purchase } from '../api.js';
import { Empty, ErrorBox, html, Loading, money, useLoad, when } from '../ui.js';

export function ContactPurchases({ contactId }: { contactId: string }) {
  const list = useLoad(
    () => api<Page<Purchase>>('GET', `/v1/contacts/${contactId}/purchases?limit=20`),
    [contactId],
  );
  const items = list.data?.items ?? [];
  return html`<section class="card" aria-labelledby="purchases-title">
    <h2 id="purchases-title">Purchases</h2>
    ${
      list.error
        ? html`<${ErrorBox} error=${list.error} onRetry=${list.reload} />`
        : list.loading && !list.data
          ? html`<${Loading} what="Loading purchases" />`
          : items.length === 0
            ? html`<${Empty}>No purchase reported for this contact.</${Empty}>`
            : html`<ul class="plain" aria-label="Purchases">
                ${items.map(
                  (p) => html`<li>
                    <strong>${money(p.total, p.currency)}</strong> · ${p.items.map((i) => `${i.quantity} × ${i.name}`).join(', ')}
                    <br /><small class="muted">${p.source} order <code>${p.externalId}</code> · <time datetime=${p.purchasedAt}>${when(p.purchasedAt)}</time></small>
                  </li>`,
                )}
              </ul>`
    }
  </section>`;
}
