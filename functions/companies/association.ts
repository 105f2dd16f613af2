/**
 * Contacts and their companies: each contact's link (at most one company; joined by its email's
 * domain or by hand; its email domain listed so a company created later finds it), changed with its
 * company's people in one transaction, with ContactCompanyChanged. Every change is decided from what
 * is stored now, so running one twice (a redelivered event) changes nothing the second time.
 */
import { notFound } from '#platform/errors.js';
import { withOptimisticRetry } from '#platform/retry.js';
import { type CommitConflict, emit } from '#platform/store.js';
import type { Association, Company, CompanyLink } from './model.js';
import { companyDomainOf } from './rules.js';
import type { CompaniesDeps, CompaniesWrite } from './store.js';
import { entryWrite } from './timeline.js';

/** What a link says, without its bookkeeping. */
export interface LinkState {
  domain?: string | undefined;
  companyId?: string | undefined;
  via?: Association | undefined;
  detachedFrom?: string | undefined;
}

const stateOf = (link: CompanyLink | undefined): LinkState => ({
  domain: link?.domain,
  companyId: link?.companyId,
  via: link?.via,
  detachedFrom: link?.detachedFrom,
});

const sameState = (a: LinkState, b: LinkState) =>
  a.domain === b.domain &&
  a.companyId === b.companyId &&
  a.via === b.via &&
  a.detachedFrom === b.detachedFrom;

const defined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

const retried = (c: CommitConflict) => c.part === 'link' || c.part === 'company';

/**
 * Reads the contact's link, asks `decide` for its next state (undefined: leave it) and commits the
 * change: the link, the company's people, the domain listing, the companies' timelines (unless
 * `timeline` is false: a deleted company's people leaving it), the event. Returns the link as it is.
 */
export function changeLink(
  deps: CompaniesDeps,
  contactId: string,
  decide: (link: CompanyLink | undefined) => Promise<LinkState | undefined> | LinkState | undefined,
  { timeline = true }: { timeline?: boolean } = {},
): Promise<CompanyLink | undefined> {
  return withOptimisticRetry(async () => {
    const current = await deps.store.getCompanyLink(contactId);
    const next = await decide(current);
    if (next === undefined || sameState(stateOf(current), next)) return current;
    const now = deps.clock.now();
    const at = now.toISOString();
    const previousCompanyId = current?.companyId;
    const moved = previousCompanyId !== next.companyId;
    const since = !moved && current?.since ? current.since : next.companyId ? at : undefined;
    const writes: CompaniesWrite[] = [];
    const link: CompanyLink = defined({ contactId, ...next, since, version: (current?.version ?? 0) + 1 });
    if (next.domain || next.companyId || next.detachedFrom)
      writes.push({ kind: 'putLink', link, expectedVersion: current?.version ?? 0 });
    else if (current) writes.push({ kind: 'deleteLink', contactId, expectedVersion: current.version });
    if (current?.domain !== next.domain) {
      if (current?.domain) writes.push({ kind: 'deleteDomainContact', domain: current.domain, contactId });
      if (next.domain) writes.push({ kind: 'putDomainContact', domain: next.domain, contactId });
    }
    if (previousCompanyId && moved)
      writes.push({ kind: 'deleteMember', companyId: previousCompanyId, contactId });
    if (next.companyId && next.via && (moved || current?.via !== next.via)) {
      writes.push({ kind: 'checkCompany', companyId: next.companyId });
      writes.push({
        kind: 'putMember',
        companyId: next.companyId,
        member: { contactId, via: next.via, since: since ?? at },
      });
    }
    if (moved && timeline) {
      if (previousCompanyId)
        writes.push(entryWrite(deps, previousCompanyId, now, { type: 'person_left', contactId }));
      if (next.companyId)
        writes.push(
          entryWrite(deps, next.companyId, now, { type: 'person_joined', contactId, via: next.via }),
        );
    }
    if (moved)
      writes.push(
        emit(deps, now, 'ContactCompanyChanged', {
          contactId,
          ...(next.companyId ? { companyId: next.companyId, via: next.via } : {}),
          ...(previousCompanyId ? { previousCompanyId } : {}),
        }),
      );
    await deps.store.commit(writes);
    return next.domain || next.companyId || next.detachedFrom ? link : undefined;
  }, retried);
}

/**
 * The link a contact's email domain gives it: listed under its domain; in the company of that domain
 * unless someone put it in a company by hand or took it out of that one; out of a company it had
 * joined by another domain.
 */
export function byDomain(
  link: CompanyLink | undefined,
  domain: string | undefined,
  company: Company | undefined,
) {
  const next: LinkState = { ...stateOf(link), domain };
  if (link?.via === 'manual') return next;
  if (company && link?.detachedFrom !== company.id)
    return { ...next, companyId: company.id, via: 'domain' as const };
  if (link?.via === 'domain' && link.companyId !== company?.id)
    return { ...next, companyId: undefined, via: undefined };
  return next;
}

/** A contact created or given another email: its domain's company, if any (ContactCreated, ContactUpdated). */
export async function associateByEmail(deps: CompaniesDeps, contactId: string) {
  const contact = await deps.store.getContact(contactId);
  if (!contact) return { outcome: 'no_contact' as const };
  const domain = companyDomainOf(contact.email);
  const link = await changeLink(deps, contactId, async (current) =>
    byDomain(current, domain, domain ? await deps.store.getCompanyByDomain(domain) : undefined),
  );
  return { outcome: link?.companyId ? ('associated' as const) : ('none' as const) };
}

/** A contact erased: its link, its listing and its place among its company's people go (ContactDeleted). */
export async function forgetContact(deps: CompaniesDeps, contactId: string) {
  await changeLink(deps, contactId, (current) => (current ? {} : undefined));
  return { outcome: 'forgotten' as const };
}

/** Puts a contact in a company by hand (taking it out of any other): it stays there whatever its email. */
export async function addContactToCompany(deps: CompaniesDeps, companyId: string, contactId: string) {
  const contact = await deps.store.getContact(contactId);
  if (!contact) throw notFound('contact', contactId);
  const link = await changeLink(deps, contactId, async (current) => {
    if (!(await deps.store.getCompany(companyId))) throw notFound('company', companyId);
    return { domain: current?.domain ?? companyDomainOf(contact.email), companyId, via: 'manual' };
  });
  return { via: link?.via ?? 'manual' };
}

/** Takes a contact out of a company by hand (404 when it is not there): its domain does not bring it back. */
export async function removeContactFromCompany(deps: CompaniesDeps, companyId: string, contactId: string) {
  await changeLink(deps, contactId, (current) => {
    if (current?.companyId !== companyId) throw notFound('contact of the company', contactId);
    return { domain: current.domain, detachedFrom: companyId };
  });
}
