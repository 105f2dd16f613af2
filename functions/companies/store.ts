/**
 * The companies context's storage port: companies (by id, by domain, listed by name), each contact's
 * link to its company, the companies' people, the contacts listed by email domain; the contacts,
 * standings and deals it reads from the contexts below it.
 */
import type { FieldDefinition } from '#contacts/model.js';
import type { ContactsReads } from '#contacts/store.js';
import type { Commit, Deps, Emit, ListOptions, Page } from '#platform/store.js';
import type { ContactDealReads, ContactDealWrite } from '#sales/contact-deals.js';
import type { Deal } from '#sales/model.js';
import type { SalesReads } from '#sales/store.js';
import type { ScoringReads } from '#scoring/store.js';
import type {
  Company,
  CompanyDealRef,
  CompanyEntry,
  CompanyLink,
  CompanyMember,
  DealCompanyLink,
} from './model.js';

export type CompaniesWrite =
  | Emit
  | ContactDealWrite
  /**
   * A company, created (`expectedVersion` 0) or replacing that version (part `version`), with its
   * domain claimed (part `domain`: another company has it) and the previous one released.
   */
  | { kind: 'putCompany'; company: Company; expectedVersion: number; previousDomain?: string | undefined }
  /** The company at this version (part `version`) and its domain's claim. */
  | { kind: 'deleteCompany'; company: Company }
  /** A contact's link, if still at `expectedVersion` (0: none yet; part `link`). */
  | { kind: 'putLink'; link: CompanyLink; expectedVersion: number }
  /** A contact's link removed, if still at `expectedVersion` (part `link`). */
  | { kind: 'deleteLink'; contactId: string; expectedVersion: number }
  /** Requires the company to exist (part `company`): a contact never joins a company deleted meanwhile. */
  | { kind: 'checkCompany'; companyId: string }
  | { kind: 'putMember'; companyId: string; member: CompanyMember }
  | { kind: 'deleteMember'; companyId: string; contactId: string }
  /** The contact listed under its email domain (or taken off it). */
  | { kind: 'putDomainContact'; domain: string; contactId: string }
  | { kind: 'deleteDomainContact'; domain: string; contactId: string }
  /** A deal's company link, if still at `expectedVersion` (0: none yet; part `dealLink`). */
  | { kind: 'putDealLink'; link: DealCompanyLink; expectedVersion: number }
  | { kind: 'deleteDealLink'; dealId: string; expectedVersion: number }
  | { kind: 'putCompanyDeal'; companyId: string; ref: CompanyDealRef }
  | { kind: 'deleteCompanyDeal'; companyId: string; dealId: string }
  /** Requires the deal to exist (part `deal`): no link to a deal deleted meanwhile. */
  | { kind: 'checkDeal'; dealId: string }
  /** A deleted deal's item in sales' index of its contact's deals (sales/contact-deals.ts) removed. */
  | { kind: 'deleteContactDeal'; contactId: string; dealId: string }
  /** An entry of the company's timeline. */
  | { kind: 'putCompanyEntry'; companyId: string; entry: CompanyEntry }
  /** A company field's definition: new (part `field`: taken), or replacing the one of `expectedUpdatedAt`. */
  | { kind: 'putCompanyField'; definition: FieldDefinition; expectedUpdatedAt?: string }
  | { kind: 'deleteCompanyEntry'; companyId: string; entry: Pick<CompanyEntry, 'id' | 'occurredAt'> };

export interface CompaniesReads {
  getCompany(id: string): Promise<Company | undefined>;
  getCompanyByDomain(domain: string): Promise<Company | undefined>;
  /** Companies by name (A→Z), those whose name key starts with `prefix` when given: one Query. */
  listCompanies(options: ListOptions & { prefix?: string | undefined }): Promise<Page<Company>>;
  getCompanyLink(contactId: string): Promise<CompanyLink | undefined>;
  /** A company's people, oldest id first. */
  listCompanyPeople(companyId: string, options: ListOptions): Promise<Page<CompanyMember>>;
  /** The contacts whose email is at this domain, oldest id first. */
  listDomainContacts(domain: string, options: ListOptions): Promise<Page<string>>;
  getDealCompanyLink(dealId: string): Promise<DealCompanyLink | undefined>;
  /** The deals linked to a company by hand, oldest id first. */
  listCompanyDeals(companyId: string, options: ListOptions): Promise<Page<CompanyDealRef>>;
  /** These deals (as sales stores them; absent ones are left out): one BatchGetItem. */
  getDeals(ids: string[]): Promise<Deal[]>;
  /** The company field definitions, by name. */
  listCompanyFields(): Promise<FieldDefinition[]>;
  /** The company's timeline, newest first. */
  listCompanyEntries(companyId: string, options: ListOptions): Promise<Page<CompanyEntry>>;
}

export type CompaniesStore = CompaniesReads &
  Pick<ContactsReads, 'getContact' | 'getContacts'> &
  Pick<ScoringReads, 'getStandings'> &
  Pick<SalesReads, 'getDeal'> &
  ContactDealReads &
  Commit<CompaniesWrite>;
export type CompaniesDeps = Deps<CompaniesStore>;
