/**
 * A company's timeline: its own events (created, edited, a person joining or leaving, a deal linked
 * or unlinked), written in the same transaction as the change they record, and the notes logged on
 * it; read newest first, with the people's and deals' names as they are now.
 */
import { notFound } from '#platform/errors.js';
import type { ListOptions, Page } from '#platform/store.js';
import type { CompanyEntry } from './model.js';
import type { CompaniesDeps, CompaniesWrite } from './store.js';

export type EntryInput = Omit<CompanyEntry, 'id' | 'occurredAt' | 'name'>;

/** The write of one timeline entry of a company. */
export function entryWrite(
  deps: Pick<CompaniesDeps, 'ids'>,
  companyId: string,
  at: Date,
  entry: EntryInput,
): CompaniesWrite {
  return {
    kind: 'putCompanyEntry',
    companyId,
    entry: {
      ...(Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined)) as EntryInput),
      id: deps.ids.next(),
      occurredAt: at.toISOString(),
    },
  };
}

/** Logs a note on a company (404 for an unknown company). */
export async function addCompanyNote(deps: CompaniesDeps, companyId: string, body: string) {
  if (!(await deps.store.getCompany(companyId))) throw notFound('company', companyId);
  const write = entryWrite(deps, companyId, deps.clock.now(), { type: 'note', body });
  await deps.store.commit([{ kind: 'checkCompany', companyId }, write]);
  return (write as Extract<CompaniesWrite, { kind: 'putCompanyEntry' }>).entry;
}

const personName = (c: { firstName?: string | undefined; lastName?: string | undefined; email: string }) =>
  [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email;

/** A page of the company's timeline, newest first (404 for an unknown company). */
export async function companyTimeline(
  deps: CompaniesDeps,
  companyId: string,
  options: ListOptions,
): Promise<Page<CompanyEntry>> {
  const [company, page] = await Promise.all([
    deps.store.getCompany(companyId),
    deps.store.listCompanyEntries(companyId, options),
  ]);
  if (!company) throw notFound('company', companyId);
  const contactIds = page.items.flatMap((e) => (e.contactId ? [e.contactId] : []));
  const dealIds = page.items.flatMap((e) => (e.dealId ? [e.dealId] : []));
  const [contacts, deals] = await Promise.all([
    contactIds.length ? deps.store.getContacts([...new Set(contactIds)]) : new Map(),
    deps.store.getDeals(dealIds),
  ]);
  const dealTitles = new Map(deals.map((d) => [d.id, d.title]));
  const items = page.items.map((e) => {
    const contact = e.contactId ? contacts.get(e.contactId) : undefined;
    const name = contact ? personName(contact) : e.dealId ? dealTitles.get(e.dealId) : undefined;
    return name ? { ...e, name } : e;
  });
  return { ...page, items };
}
