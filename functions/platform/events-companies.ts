/**
 * The companies events of the contract (events.ts spreads them in): companies created, changed and
 * deleted, and a contact joining or leaving a company.
 */
import * as z from 'zod/mini';
import './zod-messages.js';
import { EVENT_SOURCES, envelope } from './event-parts.js';

const via = () => z.enum(['domain', 'manual']);

export const companyEventContracts = {
  /** A company was created (its contacts of the same email domain join it next: docs/companies.md). */
  CompanyCreated: {
    source: EVENT_SOURCES.companies,
    detail: z.lazy(() => z.object({ ...envelope(), companyId: z.string(), domain: z.optional(z.string()) })),
  },
  /** A company's properties changed (`changed`: their names); a new domain re-associates its contacts. */
  CompanyUpdated: {
    source: EVENT_SOURCES.companies,
    detail: z.lazy(() =>
      z.object({
        ...envelope(),
        companyId: z.string(),
        changed: z.array(z.string()),
        domain: z.optional(z.string()),
        previousDomain: z.optional(z.string()),
      }),
    ),
  },
  /** A company was deleted (its contacts stay; they leave it next). */
  CompanyDeleted: {
    source: EVENT_SOURCES.companies,
    detail: z.lazy(() => z.object({ ...envelope(), companyId: z.string(), domain: z.optional(z.string()) })),
  },
  /** A contact joined a company, moved to another or left one (`companyId` absent: it has none now). */
  ContactCompanyChanged: {
    source: EVENT_SOURCES.companies,
    detail: z.lazy(() =>
      z.object({
        ...envelope(),
        contactId: z.string(),
        companyId: z.optional(z.string()),
        previousCompanyId: z.optional(z.string()),
        via: z.optional(via()),
      }),
    ),
  },
  /** A deal was linked to a company by hand, moved to another or unlinked (`companyId` absent: none now). */
  DealCompanyChanged: {
    source: EVENT_SOURCES.companies,
    detail: z.lazy(() =>
      z.object({
        ...envelope(),
        dealId: z.string(),
        companyId: z.optional(z.string()),
        previousCompanyId: z.optional(z.string()),
      }),
    ),
  },
} as const;
