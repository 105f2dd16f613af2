/**
 * What the companies consumer does when a company is created, changed or deleted: its domain's
 * contacts join it (those listed under the domain, page by page), contacts that had joined by its old
 * domain leave it, a deleted company's people leave it. Each contact is its own small transaction
 * (association.ts), decided from what is stored then, so a redelivered event changes nothing twice.
 * A sweep is bounded (MAX_SWEPT contacts per event; docs/companies.md says what happens beyond).
 */
import { byDomain, changeLink } from './association.js';
import type { CompaniesDeps } from './store.js';

/** Contacts one event may move (a company's domain with more: the rest join when next created or updated). */
export const MAX_SWEPT = 5000;
const PAGE = 100;
const AT_ONCE = 8;

async function eachAtOnce<T>(items: T[], run: (item: T) => Promise<unknown>) {
  for (let i = 0; i < items.length; i += AT_ONCE) await Promise.all(items.slice(i, i + AT_ONCE).map(run));
}

/** The contacts listed under the company's domain join it (not those placed elsewhere by hand). */
export async function joinDomainContacts(deps: CompaniesDeps, companyId: string): Promise<number> {
  const company = await deps.store.getCompany(companyId);
  const domain = company?.domain;
  if (!company || !domain) return 0;
  let cursor: string | undefined;
  let seen = 0;
  do {
    const page = await deps.store.listDomainContacts(domain, { limit: PAGE, cursor });
    await eachAtOnce(page.items, (contactId) =>
      changeLink(deps, contactId, (link) =>
        link?.domain === domain ? byDomain(link, domain, company) : undefined,
      ),
    );
    seen += page.items.length;
    cursor = page.nextCursor;
  } while (cursor && seen < MAX_SWEPT);
  return seen;
}

/** Its people who joined by a domain it no longer has leave it. */
export async function leaveOldDomain(deps: CompaniesDeps, companyId: string): Promise<void> {
  const company = await deps.store.getCompany(companyId);
  if (!company) return;
  let cursor: string | undefined;
  let seen = 0;
  do {
    const page = await deps.store.listCompanyPeople(companyId, { limit: PAGE, cursor });
    const byDomainOnly = page.items.filter((m) => m.via === 'domain');
    await eachAtOnce(byDomainOnly, (m) =>
      changeLink(deps, m.contactId, (link) =>
        link?.companyId === companyId && link.via === 'domain' && link.domain !== company.domain
          ? { domain: link.domain, detachedFrom: link.detachedFrom }
          : undefined,
      ),
    );
    seen += page.items.length;
    cursor = page.nextCursor;
  } while (cursor && seen < MAX_SWEPT);
}

/** A deleted company's people leave it (their links and its person items go). */
export async function releaseMembers(deps: CompaniesDeps, companyId: string): Promise<number> {
  if (await deps.store.getCompany(companyId)) return 0;
  let released = 0;
  for (;;) {
    // Each pass removes what it read: the first page again until none is left.
    const page = await deps.store.listCompanyPeople(companyId, { limit: PAGE });
    if (page.items.length === 0 || released >= MAX_SWEPT) return released;
    await eachAtOnce(page.items, async (m) => {
      await changeLink(
        deps,
        m.contactId,
        (current) =>
          current?.companyId === companyId
            ? {
                domain: current.domain,
                detachedFrom: current.detachedFrom === companyId ? undefined : current.detachedFrom,
              }
            : undefined,
        { timeline: false },
      );
      // Gone with the link's change, or (a contact elsewhere now) a stale item: removed either way.
      await deps.store.commit([{ kind: 'deleteMember', companyId, contactId: m.contactId }]);
    });
    released += page.items.length;
  }
}
