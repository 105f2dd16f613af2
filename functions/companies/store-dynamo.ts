/**
 * Companies on the single table (docs/companies.md, docs/data-model.md):
 *
 * | item | PK | SK | GSI1PK / GSI1SK |
 * |---|---|---|---|
 * | a company | `COMPANY#<id>` | `PROFILE` | `COMPANIES` / `<name key>#<id>` (by name, prefix search) |
 * | one of its people | `COMPANY#<id>` | `PERSON#<contactId>` | |
 * | its domain: one company per domain | `COMPANY_DOMAIN#<domain>` | `DOMAIN` | |
 * | a contact's link (its company, how, its email domain) | `COMPANY_LINK#<contactId>` | `LINK` | |
 * | a contact listed under its email's domain | `EMAIL_DOMAIN#<domain>` | `CONTACT#<contactId>` | |
 * | a deal linked to it by hand | `COMPANY#<id>` | `DEAL#<dealId>` | |
 * | a deal's company (at most one, versioned) | `COMPANY_DEAL#<dealId>` | `LINK` | |
 * | a company field's definition | `COMPANY_FIELDS` | `FIELD#<name>` | |
 * | an entry of its timeline | `COMPANY#<id>` | `ENTRY#<occurredAt>#<entryId>` | |
 *
 * The link is the contact's side (at most one company, versioned: two changes of one contact at once
 * commit one after the other); the person item is the company's side, written in the same
 * transaction. Nothing here scans: a list is one Query of GSI1 (full items: one read per page).
 */
import { FieldDefinitionSchema } from '#contacts/model.js';
import { contactsReads } from '#contacts/store-dynamo.js';
import { decode, type Item, type Key, stamp, type Table } from '#platform/dynamo/table.js';
import {
  guardedPut,
  type Part,
  storeOf,
  type Translators,
  versionedDelete,
  versionGuard,
} from '#platform/dynamo/unit-of-work.js';
import type { Emit } from '#platform/store.js';
import { contactDealKey, contactDealReads, contactDealTranslators } from '#sales/contact-deals.js';
import { DealSchema } from '#sales/model.js';
import { salesKeys, salesReads } from '#sales/store-dynamo.js';
import { scoringReads } from '#scoring/store-dynamo.js';
import {
  type Company,
  CompanyDealRefSchema,
  CompanyEntrySchema,
  CompanyLinkSchema,
  CompanyMemberSchema,
  CompanySchema,
  DealCompanyLinkSchema,
} from './model.js';
import { nameKey } from './rules.js';
import type { CompaniesReads, CompaniesStore, CompaniesWrite } from './store.js';

const COMPANIES = 'COMPANIES';
const PERSON = 'PERSON#';
const DOMAIN_CONTACT = 'CONTACT#';
const DEAL = 'DEAL#';
const COMPANY_FIELDS = 'COMPANY_FIELDS';
const ENTRY = 'ENTRY#';
const companyPartition = (id: string) => `COMPANY#${id}`;

export const companyKeys = {
  company: (id: string): Key => ({ PK: companyPartition(id), SK: 'PROFILE' }),
  member: (companyId: string, contactId: string): Key => ({
    PK: companyPartition(companyId),
    SK: `${PERSON}${contactId}`,
  }),
  domain: (domain: string): Key => ({ PK: `COMPANY_DOMAIN#${domain}`, SK: 'DOMAIN' }),
  link: (contactId: string): Key => ({ PK: `COMPANY_LINK#${contactId}`, SK: 'LINK' }),
  domainContact: (domain: string, contactId: string): Key => ({
    PK: `EMAIL_DOMAIN#${domain}`,
    SK: `${DOMAIN_CONTACT}${contactId}`,
  }),
  companyDeal: (companyId: string, dealId: string): Key => ({
    PK: companyPartition(companyId),
    SK: `${DEAL}${dealId}`,
  }),
  field: (name: string): Key => ({ PK: COMPANY_FIELDS, SK: `FIELD#${name}` }),
  dealLink: (dealId: string): Key => ({ PK: `COMPANY_DEAL#${dealId}`, SK: 'LINK' }),
  entry: (companyId: string, occurredAt: string, entryId: string): Key => ({
    PK: companyPartition(companyId),
    SK: `${ENTRY}${occurredAt}#${entryId}`,
  }),
};

export const companyIndexes = {
  byName: (company: Company) => ({ GSI1PK: COMPANIES, GSI1SK: `${nameKey(company.name)}#${company.id}` }),
};

const decodeCompany = (item: Item) => decode(CompanySchema, item);

export const companiesTranslators: Translators<Exclude<CompaniesWrite, Emit>> = {
  ...contactDealTranslators,
  putCompany: ({ company, expectedVersion, previousDomain }, TableName) => {
    const parts: Part[] = guardedPut(
      TableName,
      {
        ...companyKeys.company(company.id),
        ...companyIndexes.byName(company),
        ...stamp('Company'),
        ...company,
      },
      versionGuard(expectedVersion),
    ).map((p) => ({ ...p, part: 'version' }));
    if (company.domain !== previousDomain || expectedVersion === 0) {
      if (company.domain)
        parts.push({
          item: {
            Put: {
              TableName,
              Item: {
                ...companyKeys.domain(company.domain),
                ...stamp('CompanyDomain'),
                companyId: company.id,
              },
              ConditionExpression: 'attribute_not_exists(PK)',
            },
          },
          part: 'domain',
        });
      if (previousDomain && previousDomain !== company.domain)
        parts.push({ item: { Delete: { TableName, Key: companyKeys.domain(previousDomain) } } });
    }
    return parts;
  },
  deleteCompany: ({ company }, TableName) => [
    versionedDelete(TableName, companyKeys.company(company.id), company.version, 'version'),
    ...(company.domain ? [{ item: { Delete: { TableName, Key: companyKeys.domain(company.domain) } } }] : []),
  ],
  putLink: ({ link, expectedVersion }, TableName) =>
    guardedPut(
      TableName,
      { ...companyKeys.link(link.contactId), ...stamp('CompanyLink'), ...link },
      versionGuard(expectedVersion),
    ).map((p) => ({ ...p, part: 'link' })),
  deleteLink: ({ contactId, expectedVersion }, TableName) => [
    versionedDelete(TableName, companyKeys.link(contactId), expectedVersion, 'link'),
  ],
  checkCompany: ({ companyId }, TableName) => [
    {
      item: {
        ConditionCheck: {
          TableName,
          Key: companyKeys.company(companyId),
          ConditionExpression: 'attribute_exists(PK)',
        },
      },
      part: 'company',
    },
  ],
  putMember: ({ companyId, member }, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: { ...companyKeys.member(companyId, member.contactId), ...stamp('CompanyPerson'), ...member },
        },
      },
    },
  ],
  deleteMember: ({ companyId, contactId }, TableName) => [
    { item: { Delete: { TableName, Key: companyKeys.member(companyId, contactId) } } },
  ],
  putDomainContact: ({ domain, contactId }, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: { ...companyKeys.domainContact(domain, contactId), ...stamp('DomainContact'), contactId },
        },
      },
    },
  ],
  deleteDomainContact: ({ domain, contactId }, TableName) => [
    { item: { Delete: { TableName, Key: companyKeys.domainContact(domain, contactId) } } },
  ],
  putDealLink: ({ link, expectedVersion }, TableName) =>
    guardedPut(
      TableName,
      { ...companyKeys.dealLink(link.dealId), ...stamp('DealCompanyLink'), ...link },
      versionGuard(expectedVersion),
    ).map((p) => ({ ...p, part: 'dealLink' })),
  deleteDealLink: ({ dealId, expectedVersion }, TableName) => [
    versionedDelete(TableName, companyKeys.dealLink(dealId), expectedVersion, 'dealLink'),
  ],
  putCompanyDeal: ({ companyId, ref }, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: { ...companyKeys.companyDeal(companyId, ref.dealId), ...stamp('CompanyDeal'), ...ref },
        },
      },
    },
  ],
  deleteCompanyDeal: ({ companyId, dealId }, TableName) => [
    { item: { Delete: { TableName, Key: companyKeys.companyDeal(companyId, dealId) } } },
  ],
  checkDeal: ({ dealId }, TableName) => [
    {
      item: {
        ConditionCheck: {
          TableName,
          Key: salesKeys.deal(dealId),
          ConditionExpression: 'attribute_exists(PK)',
        },
      },
      part: 'deal',
    },
  ],
  deleteContactDeal: ({ contactId, dealId }, TableName) => [
    { item: { Delete: { TableName, Key: contactDealKey(contactId, dealId) } } },
  ],
  putCompanyEntry: ({ companyId, entry }, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: {
            ...companyKeys.entry(companyId, entry.occurredAt, entry.id),
            ...stamp('CompanyEntry'),
            ...entry,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    },
  ],
  putCompanyField: ({ definition, expectedUpdatedAt }, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: { ...companyKeys.field(definition.name), ...stamp('CompanyField'), ...definition },
          ...(expectedUpdatedAt === undefined
            ? { ConditionExpression: 'attribute_not_exists(PK)' }
            : {
                ConditionExpression: 'updatedAt = :expected',
                ExpressionAttributeValues: { ':expected': expectedUpdatedAt },
              }),
        },
      },
      part: 'field',
    },
  ],
  deleteCompanyEntry: ({ companyId, entry }, TableName) => [
    { item: { Delete: { TableName, Key: companyKeys.entry(companyId, entry.occurredAt, entry.id) } } },
  ],
};

export function companiesReads(table: Table): CompaniesReads {
  const getCompany = async (id: string) => {
    const item = await table.get(companyKeys.company(id));
    return item ? decodeCompany(item) : undefined;
  };
  return {
    getCompany,
    async getCompanyByDomain(domain) {
      const ref = await table.get(companyKeys.domain(domain));
      return ref ? getCompany(String(ref.companyId)) : undefined;
    },
    listCompanies: ({ prefix, ...options }) =>
      table.page(
        { index: 'GSI1', partition: COMPANIES, ascending: true, ...(prefix ? { prefix } : {}) },
        options,
        decodeCompany,
      ),
    async getCompanyLink(contactId) {
      const item = await table.get(companyKeys.link(contactId));
      return item ? decode(CompanyLinkSchema, item) : undefined;
    },
    listCompanyPeople: (companyId, options) =>
      table.page(
        { partition: companyPartition(companyId), prefix: PERSON, ascending: true },
        options,
        (item) => decode(CompanyMemberSchema, item),
      ),
    listDomainContacts: (domain, options) =>
      table.page(
        { partition: `EMAIL_DOMAIN#${domain}`, prefix: DOMAIN_CONTACT, ascending: true },
        options,
        (item) => String(item.contactId),
      ),
    async getDealCompanyLink(dealId) {
      const item = await table.get(companyKeys.dealLink(dealId));
      return item ? decode(DealCompanyLinkSchema, item) : undefined;
    },
    listCompanyDeals: (companyId, options) =>
      table.page({ partition: companyPartition(companyId), prefix: DEAL, ascending: true }, options, (item) =>
        decode(CompanyDealRefSchema, item),
      ),
    async getDeals(ids) {
      if (ids.length === 0) return [];
      const items = await table.batchGet([...new Set(ids)].map((id) => salesKeys.deal(id)));
      return items.map((item) => decode(DealSchema, item));
    },
    async listCompanyFields() {
      const items = await table.all({ partition: COMPANY_FIELDS, ascending: true }, 200);
      return items.map((item) => decode(FieldDefinitionSchema, item));
    },
    listCompanyEntries: (companyId, options) =>
      table.page({ partition: companyPartition(companyId), prefix: ENTRY }, options, (item) =>
        decode(CompanyEntrySchema, item),
      ),
  };
}

export const companiesStore = (table: Table): CompaniesStore => {
  const contacts = contactsReads(table);
  return storeOf<CompaniesWrite>(companiesTranslators)(table, {
    ...companiesReads(table),
    getContact: contacts.getContact,
    getContacts: contacts.getContacts,
    getStandings: scoringReads(table).getStandings,
    getDeal: salesReads(table).getDeal,
    ...contactDealReads(table),
  });
};
