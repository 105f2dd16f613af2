/**
 * Companies: created (a domain is normalized and claimed: a second company of one domain is a 409),
 * listed by name with a name-prefix search, changed at their version, deleted; the company page (its
 * people with their names and stages, their deals, its lifecycle stage) and a contact's company.
 * Each change commits with its event; the companies consumer then moves contacts (sweeps.ts).
 */

import type { CustomFields, FieldValue } from '#contacts/model.js';
import { conflict, invalid, notFound, staleVersion } from '#platform/errors.js';
import { withOptimisticRetry } from '#platform/retry.js';
import { CommitConflict, emit, type ListOptions, type Page } from '#platform/store.js';
import { companyDeals } from './company-deals.js';
import { changedFields, companyFields } from './company-fields.js';
import type { Company, CompanyPerson, CompanyView, ContactCompany } from './model.js';
import { isFreeMail, mostAdvancedStage, nameKey, normalizeDomain } from './rules.js';
import type { CompaniesDeps } from './store.js';
import { entryWrite } from './timeline.js';

/** The people a company page shows (the first, by contact id), and each one's deals it reads. */
export const PAGE_PEOPLE = 100;
const DEALS_PER_PERSON = 10;

const OPTIONAL = ['domain', 'industry', 'size', 'phone', 'website', 'description'] as const;
type Optional = (typeof OPTIONAL)[number];

export type CompanyInput = { name: string; fields?: CustomFields | undefined } & {
  [K in Optional]?: Company[K] | undefined;
};
/** A change: a value sets, null clears (the name cannot be cleared). */
export type CompanyPatch = {
  name?: string | undefined;
  fields?: Record<string, FieldValue | null> | undefined;
} & {
  [K in Optional]?: Company[K] | null | undefined;
};

/** A domain as stored, or a 400 at `domain`: no host name, or a free-mail provider's. */
function domainOf(raw: string): string {
  const domain = normalizeDomain(raw);
  if (!domain)
    throw invalid('invalid_domain', 'domain must be a host name such as example.com', [
      { path: 'domain', message: 'must be a host name such as example.com', code: 'invalid_domain' },
    ]);
  if (isFreeMail(domain))
    throw invalid('free_mail_domain', `${domain} is a free email provider: it names no company`, [
      { path: 'domain', message: 'is a free email provider', code: 'free_mail_domain' },
    ]);
  return domain;
}

async function domainTaken(deps: CompaniesDeps, domain: string) {
  const other = await deps.store.getCompanyByDomain(domain);
  return conflict('domain_taken', `another company has the domain ${domain}`, {
    domain,
    ...(other ? { existingId: other.id } : {}),
  });
}

const compact = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null && v !== '')) as T;

export async function createCompany(deps: CompaniesDeps, input: CompanyInput): Promise<Company> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const domain = input.domain ? domainOf(input.domain) : undefined;
  const fields = await companyFields(deps, undefined, input.fields);
  const company: Company = compact({
    ...input,
    fields,
    domain,
    id: deps.ids.next(),
    createdAt: at,
    updatedAt: at,
    version: 1,
  });
  try {
    await deps.store.commit([
      { kind: 'putCompany', company, expectedVersion: 0 },
      entryWrite(deps, company.id, now, { type: 'created' }),
      emit(deps, now, 'CompanyCreated', {
        companyId: company.id,
        ...(company.domain ? { domain: company.domain } : {}),
      }),
    ]);
  } catch (err) {
    if (err instanceof CommitConflict && err.part === 'domain' && company.domain)
      throw await domainTaken(deps, company.domain);
    throw err;
  }
  return company;
}

export async function getCompany(deps: CompaniesDeps, id: string): Promise<Company> {
  const company = await deps.store.getCompany(id);
  if (!company) throw notFound('company', id);
  return company;
}

/** Companies A→Z; with `q`, those whose name starts with it (case, accents and punctuation ignored). */
export function listCompanies(
  deps: CompaniesDeps,
  query: ListOptions & { q?: string | undefined },
): Promise<Page<Company>> {
  const prefix = query.q ? nameKey(query.q) : '';
  return deps.store.listCompanies({ limit: query.limit, cursor: query.cursor, prefix: prefix || undefined });
}

/** Applies a change at the company's current `version` (409 otherwise); a new domain is claimed. */
export async function updateCompany(
  deps: CompaniesDeps,
  id: string,
  patch: CompanyPatch,
  version: number,
): Promise<Company> {
  const domain = typeof patch.domain === 'string' ? domainOf(patch.domain) : patch.domain;
  const current = await getCompany(deps, id);
  if (current.version !== version) throw staleVersion('company', id, current.version);
  const now = deps.clock.now();
  const { fields: fieldChanges, ...properties } = patch;
  const fields = await companyFields(deps, current.fields, fieldChanges);
  const next: Company = compact({
    ...current,
    ...(properties as Partial<Company>),
    fields,
    domain: domain === undefined ? current.domain : (domain ?? undefined),
    version: version + 1,
    updatedAt: now.toISOString(),
  });
  const changed = [
    ...(['name', ...OPTIONAL] as const).filter((k) => next[k] !== current[k]),
    ...changedFields(current.fields, next.fields),
  ];
  if (changed.length === 0) return current;
  try {
    await deps.store.commit([
      { kind: 'putCompany', company: next, expectedVersion: version, previousDomain: current.domain },
      entryWrite(deps, id, now, { type: 'edited', changed }),
      emit(deps, now, 'CompanyUpdated', {
        companyId: id,
        changed,
        ...(next.domain ? { domain: next.domain } : {}),
        ...(current.domain && current.domain !== next.domain ? { previousDomain: current.domain } : {}),
      }),
    ]);
  } catch (err) {
    if (err instanceof CommitConflict && err.part === 'domain' && next.domain)
      throw await domainTaken(deps, next.domain);
    if (err instanceof CommitConflict && err.part === 'version')
      throw staleVersion('company', id, (await getCompany(deps, id)).version);
    throw err;
  }
  return next;
}

/** Deletes a company and frees its domain; its contacts stay (they leave it next: sweeps.ts). */
export async function deleteCompany(deps: CompaniesDeps, id: string): Promise<void> {
  await withOptimisticRetry(
    async () => {
      const company = await getCompany(deps, id);
      await deps.store.commit([
        { kind: 'deleteCompany', company },
        emit(deps, deps.clock.now(), 'CompanyDeleted', {
          companyId: id,
          ...(company.domain ? { domain: company.domain } : {}),
        }),
      ]);
    },
    (c) => c.part === 'version',
  );
}

/**
 * The company page: the company, its first people with their names and lifecycle stages, the deals
 * linked to it and its people's (read through sales' index of a contact's deals), each once, with
 * their totals per currency, and the most advanced stage among its people.
 */
export async function companyView(deps: CompaniesDeps, id: string): Promise<CompanyView> {
  const [company, members] = await Promise.all([
    getCompany(deps, id),
    deps.store.listCompanyPeople(id, { limit: PAGE_PEOPLE }),
  ]);
  const ids = members.items.map((m) => m.contactId);
  const [contacts, standings, deals] = await Promise.all([
    deps.store.getContacts(ids),
    deps.store.getStandings(ids),
    deps.store.listDealsOfContacts(ids, DEALS_PER_PERSON),
  ]);
  const people: CompanyPerson[] = [];
  for (const m of members.items) {
    const contact = contacts.get(m.contactId);
    if (!contact) continue; // erased: its ContactDeleted is on its way
    const stage = standings.get(m.contactId)?.stage;
    people.push(
      compact({
        contactId: m.contactId,
        email: contact.email,
        firstName: contact.firstName,
        lastName: contact.lastName,
        via: m.via,
        since: m.since,
        stage,
      }),
    );
  }
  const shown = new Set(people.map((p) => p.contactId));
  const { deals: companyDealList, dealTotals } = await companyDeals(
    deps,
    id,
    deals.filter((d) => d.contactId !== undefined && shown.has(d.contactId)),
  );
  const stage = mostAdvancedStage(people.map((p) => p.stage));
  return {
    company,
    people,
    morePeople: members.nextCursor !== undefined,
    deals: companyDealList,
    dealTotals,
    ...(stage ? { stage } : {}),
  };
}

/** The company a contact is in, if any (404 when the contact does not exist). */
export async function contactCompany(deps: CompaniesDeps, contactId: string): Promise<ContactCompany> {
  const link = await deps.store.getCompanyLink(contactId);
  const company = link?.companyId ? await deps.store.getCompany(link.companyId) : undefined;
  if (company) return { company, ...(link?.via ? { via: link.via } : {}) };
  if (!(await deps.store.getContact(contactId))) throw notFound('contact', contactId);
  return {};
}
