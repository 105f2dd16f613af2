/** Companies routes (companies-api): CRUD with a name search, the company page, its people, a contact's company. */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import {
  cursorSchema,
  ErrorSchema,
  idParams,
  idSchema,
  limitSchema,
  nullableText,
  optionalText,
  page,
  type RouteDef,
  route,
} from '#platform/http/route.js';
import { shortText } from '#platform/values.js';
import {
  COMPANY_SIZES,
  CompanySchema,
  CompanyViewSchema,
  ContactCompanySchema,
  MAX_DESCRIPTION,
  MAX_NAME,
} from './model.js';

/** A domain or a web address of one (`https://www.example.com/` is example.com); checked by the use case. */
const domainField = () => shortText(300);
/** The company's site: an http(s) address (a `javascript:` one would be a link nobody should follow). */
const websiteField = () =>
  shortText(300).check(
    z.regex(/^https?:\/\/[^\s/?#]+\.[^\s]*$/i, 'must be an http(s) address such as https://example.com'),
  );

export const CreateCompanyBody = z.lazy(() =>
  z.strictObject({
    name: shortText(MAX_NAME),
    domain: z.optional(domainField()),
    industry: optionalText(),
    size: z.optional(z.enum(COMPANY_SIZES)),
    phone: optionalText(50),
    website: z.optional(websiteField()),
    description: optionalText(MAX_DESCRIPTION),
  }),
);

export const PatchCompanyBody = z.lazy(() =>
  z.strictObject({
    version: z.int().check(z.minimum(1)),
    name: z.optional(shortText(MAX_NAME)),
    domain: z.optional(z.nullable(domainField())),
    industry: nullableText(),
    size: z.optional(z.nullable(z.enum(COMPANY_SIZES))),
    phone: nullableText(50),
    website: z.optional(z.nullable(websiteField())),
    description: nullableText(MAX_DESCRIPTION),
  }),
);

const memberParams = z.lazy(() => z.strictObject({ id: idSchema, contactId: idSchema }));

export const companyRoutes = {
  createCompany: route({
    method: 'POST',
    path: '/v1/companies',
    fn: 'companies-api',
    auth: 'admin',
    summary:
      'Create a company; its domain is normalized (a web address is taken to its host) and unique (409 `domain_taken` with existingId; a free-mail domain is a 400). Contacts of that email domain join it shortly after.',
    body: CreateCompanyBody,
    responses: { 201: CompanySchema, 400: ErrorSchema, 409: ErrorSchema },
  }),
  listCompanies: route({
    method: 'GET',
    path: '/v1/companies',
    fn: 'companies-api',
    auth: 'admin',
    summary: 'Companies by name, A→Z; `q`: those whose name starts with it (case and accents ignored)',
    query: z.lazy(() =>
      z.strictObject({
        limit: limitSchema,
        cursor: cursorSchema,
        q: z.optional(z.string().check(z.trim(), z.maxLength(MAX_NAME))),
      }),
    ),
    responses: { 200: page(CompanySchema) },
  }),
  getCompany: route({
    method: 'GET',
    path: '/v1/companies/{id}',
    fn: 'companies-api',
    auth: 'admin',
    summary:
      'The company page: the company, its people (the first 100, with names and lifecycle stages), their deals, and its lifecycle stage (the most advanced of its people’s)',
    params: idParams,
    responses: { 200: CompanyViewSchema, 404: ErrorSchema },
  }),
  updateCompany: route({
    method: 'PATCH',
    path: '/v1/companies/{id}',
    fn: 'companies-api',
    auth: 'admin',
    summary:
      'Change a company at its current `version` (409 otherwise); null clears a value. A new domain is claimed (409 `domain_taken`) and re-associates contacts by domain.',
    params: idParams,
    body: PatchCompanyBody,
    responses: { 200: CompanySchema, 400: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
  deleteCompany: route({
    method: 'DELETE',
    path: '/v1/companies/{id}',
    fn: 'companies-api',
    auth: 'admin',
    summary: 'Delete a company (its contacts stay, without a company)',
    params: idParams,
    responses: { 204: 'empty', 404: ErrorSchema },
  }),
  addCompanyContact: route({
    method: 'PUT',
    path: '/v1/companies/{id}/contacts/{contactId}',
    fn: 'companies-api',
    auth: 'admin',
    summary:
      'Put a contact in this company by hand (out of any other: a contact has at most one); it stays whatever its email domain',
    params: memberParams,
    responses: { 200: ContactCompanySchema, 404: ErrorSchema },
  }),
  removeCompanyContact: route({
    method: 'DELETE',
    path: '/v1/companies/{id}/contacts/{contactId}',
    fn: 'companies-api',
    auth: 'admin',
    summary: 'Take a contact out of this company (its email domain does not bring it back)',
    params: memberParams,
    responses: { 204: 'empty', 404: ErrorSchema },
  }),
  getContactCompany: route({
    method: 'GET',
    path: '/v1/contacts/{id}/company',
    fn: 'companies-api',
    auth: 'admin',
    summary: 'The company a contact belongs to, and how (its email domain, or by hand); none: `{}`',
    params: idParams,
    responses: { 200: ContactCompanySchema, 404: ErrorSchema },
  }),
} as const satisfies Record<string, RouteDef>;
