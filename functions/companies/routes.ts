/** Companies routes (companies-api): CRUD with a name search, the company page, its people, a contact's company. */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { FIELD_TYPES, FieldDefinitionSchema } from '#contacts/model.js';
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
import {
  customFieldsSchema,
  fieldKeySchema,
  fieldValueSchema,
  MAX_CUSTOM_FIELDS,
  shortText,
} from '#platform/values.js';
import {
  COMPANY_SIZES,
  CompanyEntrySchema,
  CompanySchema,
  CompanyViewSchema,
  ContactCompanySchema,
  MAX_DESCRIPTION,
  MAX_NAME,
  MAX_NOTE,
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
    /** Values of defined company fields, converted by their types (400 otherwise). */
    fields: z.optional(customFieldsSchema),
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
    /** Changes to custom fields: a value sets (converted by its type), null clears; the others stay. */
    fields: z.optional(
      z
        .record(fieldKeySchema, z.nullable(fieldValueSchema))
        .check(
          z.refine(
            (f) => Object.keys(f).length <= MAX_CUSTOM_FIELDS,
            `at most ${MAX_CUSTOM_FIELDS} custom fields`,
          ),
        ),
    ),
  }),
);

const memberParams = z.lazy(() => z.strictObject({ id: idSchema, contactId: idSchema }));
const dealParams = z.lazy(() => z.strictObject({ id: idSchema, dealId: idSchema }));

const fieldOptions = z.lazy(() =>
  z.array(shortText(100)).check(
    z.minLength(1),
    z.maxLength(100),
    z.refine((o) => new Set(o.map((x) => x.toLowerCase())).size === o.length, 'options must differ'),
  ),
);

export const CreateCompanyFieldBody = z.lazy(() =>
  z.strictObject({
    name: fieldKeySchema,
    label: shortText(200),
    type: z.enum(FIELD_TYPES),
    options: z.optional(fieldOptions),
  }),
);

export const CompanyNoteBody = z.lazy(() => z.strictObject({ body: shortText(MAX_NOTE) }));

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
  listCompanyFields: route({
    method: 'GET',
    path: '/v1/company-fields',
    fn: 'companies-api',
    auth: 'admin',
    summary: 'Company custom field definitions, by name',
    responses: { 200: z.lazy(() => z.object({ items: z.array(FieldDefinitionSchema) })) },
  }),
  createCompanyField: route({
    method: 'POST',
    path: '/v1/company-fields',
    fn: 'companies-api',
    auth: 'admin',
    summary:
      'Define a company custom field (text, number, date, boolean, select with options): company values are converted and checked by its type on every write',
    body: CreateCompanyFieldBody,
    responses: { 201: FieldDefinitionSchema, 400: ErrorSchema, 409: ErrorSchema },
  }),
  updateCompanyField: route({
    method: 'PATCH',
    path: '/v1/company-fields/{name}',
    fn: 'companies-api',
    auth: 'admin',
    summary: 'Relabel a company custom field or change a select field’s options (the type stays)',
    params: z.lazy(() => z.strictObject({ name: fieldKeySchema })),
    body: z.lazy(() =>
      z.strictObject({ label: z.optional(shortText(200)), options: z.optional(fieldOptions) }),
    ),
    responses: { 200: FieldDefinitionSchema, 400: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
  linkCompanyDeal: route({
    method: 'PUT',
    path: '/v1/companies/{id}/deals/{dealId}',
    fn: 'companies-api',
    auth: 'admin',
    summary:
      'Link a deal to this company by hand (out of any other: a deal has at most one); linking it again changes nothing. 404 for an unknown company or deal',
    params: dealParams,
    responses: { 204: 'empty', 404: ErrorSchema },
  }),
  unlinkCompanyDeal: route({
    method: 'DELETE',
    path: '/v1/companies/{id}/deals/{dealId}',
    fn: 'companies-api',
    auth: 'admin',
    summary: 'Unlink a deal from this company (404 when it is not linked to it)',
    params: dealParams,
    responses: { 204: 'empty', 404: ErrorSchema },
  }),
  companyTimeline: route({
    method: 'GET',
    path: '/v1/companies/{id}/timeline',
    fn: 'companies-api',
    auth: 'admin',
    summary:
      'The company’s timeline, newest first: created, edited, people joining and leaving, deals linked and unlinked, notes',
    params: idParams,
    query: z.lazy(() => z.strictObject({ limit: limitSchema, cursor: cursorSchema })),
    responses: { 200: page(CompanyEntrySchema), 404: ErrorSchema },
  }),
  addCompanyNote: route({
    method: 'POST',
    path: '/v1/companies/{id}/notes',
    fn: 'companies-api',
    auth: 'admin',
    summary: 'Log a note on a company’s timeline',
    params: idParams,
    body: CompanyNoteBody,
    responses: { 201: CompanyEntrySchema, 400: ErrorSchema, 404: ErrorSchema },
  }),
} as const satisfies Record<string, RouteDef>;
