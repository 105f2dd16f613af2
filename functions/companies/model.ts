/**
 * Companies (accounts): one schema per record; the types derive from it and the same schema describes
 * API responses (OpenAPI), decodes stored items and types the web client.
 */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { LIFECYCLE_STAGES } from '#platform/events-marketing.js';
import { fieldValueSchema } from '#platform/values.js';

export const MAX_NAME = 200;
export const MAX_DESCRIPTION = 2000;
export const COMPANY_SIZES = ['1-10', '11-50', '51-200', '201-1000', '1001-5000', '5001+'] as const;
/** How a contact came to belong to a company: its email's domain, or someone put it there. */
export const ASSOCIATIONS = ['domain', 'manual'] as const;
export type Association = (typeof ASSOCIATIONS)[number];

export const CompanySchema = z.lazy(() =>
  z
    .object({
      id: z.string(),
      name: z.string(),
      /** Normalized (`Example.COM`, `https://www.example.com/about` → `example.com`); one company per domain. */
      domain: z.optional(z.string()),
      industry: z.optional(z.string()),
      size: z.optional(z.enum(COMPANY_SIZES)),
      phone: z.optional(z.string()),
      website: z.optional(z.string()),
      description: z.optional(z.string()),
      /** Custom fields: values of the company fields defined (`/v1/company-fields`), typed by them. */
      fields: z.optional(z.record(z.string(), fieldValueSchema)),
      createdAt: z.string(),
      updatedAt: z.string(),
      version: z.int(),
    })
    .check(z.meta({ id: 'Company' })),
);
export type Company = z.infer<typeof CompanySchema>;

/** A contact's tie to companies (one item per contact that has a company or a company's email domain). */
export const CompanyLinkSchema = z.lazy(() =>
  z.object({
    contactId: z.string(),
    /** The contact's email domain when it is no free-mail one (the domain index it is listed in). */
    domain: z.optional(z.string()),
    companyId: z.optional(z.string()),
    via: z.optional(z.enum(ASSOCIATIONS)),
    since: z.optional(z.string()),
    /** Removed from this company by hand: its domain does not bring it back automatically. */
    detachedFrom: z.optional(z.string()),
    version: z.int(),
  }),
);
export type CompanyLink = z.infer<typeof CompanyLinkSchema>;

/** One of a company's people, as stored on the company's side. */
export const CompanyMemberSchema = z.lazy(() =>
  z.object({ contactId: z.string(), via: z.enum(ASSOCIATIONS), since: z.string() }),
);
export type CompanyMember = z.infer<typeof CompanyMemberSchema>;

export const CompanyPersonSchema = z.lazy(() =>
  z
    .object({
      contactId: z.string(),
      email: z.string(),
      firstName: z.optional(z.string()),
      lastName: z.optional(z.string()),
      via: z.enum(ASSOCIATIONS),
      since: z.string(),
      stage: z.optional(z.enum(LIFECYCLE_STAGES)),
    })
    .check(z.meta({ id: 'CompanyPerson' })),
);
export type CompanyPerson = z.infer<typeof CompanyPersonSchema>;

export const CompanyDealSchema = z.lazy(() =>
  z
    .object({
      id: z.string(),
      title: z.string(),
      pipelineId: z.string(),
      stage: z.string(),
      amount: z.number(),
      currency: z.string(),
      /** The deal's contact, when it has one. */
      contactId: z.optional(z.string()),
      /** Linked to the company by hand (it may also be one of its people's). */
      linked: z.boolean(),
    })
    .check(z.meta({ id: 'CompanyDeal' })),
);
export type CompanyDeal = z.infer<typeof CompanyDealSchema>;

/** The company page: the company, its people (the first 100), their deals and its lifecycle stage. */
export const CompanyViewSchema = z.lazy(() =>
  z
    .object({
      company: CompanySchema,
      people: z.array(CompanyPersonSchema),
      /** More people than the page shows. */
      morePeople: z.boolean(),
      /** The deals linked to it and its people's deals, each once. */
      deals: z.array(CompanyDealSchema),
      /** The amount of those deals per currency (never summed across currencies). */
      dealTotals: z.array(z.object({ currency: z.string(), amount: z.number(), count: z.int() })),
      /** The most advanced lifecycle stage of its people. */
      stage: z.optional(z.enum(LIFECYCLE_STAGES)),
    })
    .check(z.meta({ id: 'CompanyView' })),
);
export type CompanyView = z.infer<typeof CompanyViewSchema>;

/** A contact's company, if it has one (the contact page's card). */
export const ContactCompanySchema = z.lazy(() =>
  z
    .object({ company: z.optional(CompanySchema), via: z.optional(z.enum(ASSOCIATIONS)) })
    .check(z.meta({ id: 'ContactCompany' })),
);
export type ContactCompany = z.infer<typeof ContactCompanySchema>;

/** A deal's tie to a company (at most one, linked by hand), versioned like a contact's link. */
export const DealCompanyLinkSchema = z.lazy(() =>
  z.object({ dealId: z.string(), companyId: z.string(), since: z.string(), version: z.int() }),
);
export type DealCompanyLink = z.infer<typeof DealCompanyLinkSchema>;

/** A deal linked to a company, as stored on the company's side. */
export const CompanyDealRefSchema = z.lazy(() => z.object({ dealId: z.string(), since: z.string() }));
export type CompanyDealRef = z.infer<typeof CompanyDealRefSchema>;

export const COMPANY_ENTRY_TYPES = [
  'created',
  'edited',
  'person_joined',
  'person_left',
  'deal_linked',
  'deal_unlinked',
  'note',
] as const;
export const MAX_NOTE = 5000;

/** An entry of a company's timeline: its own events and the notes logged on it. */
export const CompanyEntrySchema = z.lazy(() =>
  z
    .object({
      id: z.string(),
      type: z.enum(COMPANY_ENTRY_TYPES),
      occurredAt: z.string(),
      /** A note's text. */
      body: z.optional(z.string()),
      /** An edit: the properties changed. */
      changed: z.optional(z.array(z.string())),
      contactId: z.optional(z.string()),
      via: z.optional(z.enum(ASSOCIATIONS)),
      dealId: z.optional(z.string()),
      /** Filled on read: the person's or deal's name now (absent when it is gone). */
      name: z.optional(z.string()),
    })
    .check(z.meta({ id: 'CompanyEntry' })),
);
export type CompanyEntry = z.infer<typeof CompanyEntrySchema>;
