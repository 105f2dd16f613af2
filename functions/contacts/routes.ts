/** Contact routes (contacts-api): contacts, tags and the activity timeline. */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import {
  cursorSchema,
  ErrorSchema,
  idParams,
  idSchema,
  isoDateTime,
  limitSchema,
  listQuery,
  nullableText,
  optionalText,
  ownerSchema,
  page,
  type RouteDef,
  route,
} from '#platform/http/route.js';
import {
  customFieldsSchema,
  emailSchema,
  fieldKeySchema,
  fieldValueSchema,
  shortText,
  tagListSchema,
  tagSchema,
} from '#platform/values.js';
import {
  ActivitySchema,
  CALL_OUTCOMES,
  ContactSchema,
  FIELD_TYPES,
  FieldDefinitionSchema,
  MANUAL_ACTIVITY_TYPES,
  timeZoneSchema,
} from './model.js';
import { CONTACT_SORTS, isNameSort } from './views-model.js';
import { contactViewRoutes } from './views-routes.js';

export const CreateContactBody = z.lazy(() =>
  z.strictObject({
    email: emailSchema,
    firstName: optionalText(),
    lastName: optionalText(),
    phone: optionalText(32),
    company: optionalText(),
    source: optionalText(),
    timeZone: z.optional(timeZoneSchema),
    owner: z.optional(ownerSchema),
    fields: z.optional(customFieldsSchema),
    tags: z.optional(tagListSchema),
  }),
);

export const PatchContactBody = z.lazy(() =>
  z.strictObject({
    version: z.int().check(z.minimum(1)),
    email: z.optional(emailSchema),
    firstName: nullableText(),
    lastName: nullableText(),
    phone: nullableText(32),
    company: nullableText(),
    source: nullableText(),
    timeZone: z.optional(z.nullable(timeZoneSchema)),
    owner: z.optional(z.nullable(ownerSchema)),
    fields: z.optional(
      z
        .record(fieldKeySchema, z.nullable(fieldValueSchema))
        .check(z.refine((f) => Object.keys(f).length <= 50, 'at most 50 custom fields')),
    ),
  }),
);

export const ActivityBody = z.lazy(() =>
  z.pipe(
    z
      .strictObject({
        type: z.enum(MANUAL_ACTIVITY_TYPES),
        /** What was said or agreed; optional for a call or a meeting only. */
        body: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(10_000))),
        occurredAt: z.optional(isoDateTime),
        amount: z.optional(z.number().check(z.nonnegative())),
        currency: z.optional(z.string().check(z.regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR'))),
        /** A call's outcome. */
        outcome: z.optional(z.enum(CALL_OUTCOMES)),
        /** A call's or a meeting's length in minutes. */
        durationMinutes: z.optional(z.int().check(z.minimum(1), z.maximum(24 * 60))),
        /** A meeting's other attendees (names or addresses). */
        attendees: z.optional(z.array(shortText(200)).check(z.maxLength(50))),
      })
      .check(
        z.superRefine((a, ctx) => {
          const needsBody = a.type !== 'call' && a.type !== 'meeting';
          if (needsBody && a.body === undefined) {
            ctx.addIssue({ code: 'custom', path: ['body'], message: `a ${a.type} needs a body` });
          }
          if (a.outcome !== undefined && a.type !== 'call') {
            ctx.addIssue({ code: 'custom', path: ['outcome'], message: 'only calls have an outcome' });
          }
          if (a.durationMinutes !== undefined && a.type !== 'call' && a.type !== 'meeting') {
            ctx.addIssue({
              code: 'custom',
              path: ['durationMinutes'],
              message: 'only calls and meetings have a duration',
            });
          }
          if (a.attendees !== undefined && a.type !== 'meeting') {
            ctx.addIssue({ code: 'custom', path: ['attendees'], message: 'only meetings have attendees' });
          }
          if (a.amount !== undefined && a.type !== 'purchase') {
            ctx.addIssue({ code: 'custom', path: ['amount'], message: 'only purchases have an amount' });
          }
          if (a.type === 'purchase' && a.amount === undefined) {
            ctx.addIssue({ code: 'custom', path: ['amount'], message: 'a purchase needs an amount' });
          }
        }),
      ),
    z.transform((a) => ({
      ...a,
      occurredAt: a.occurredAt ? new Date(a.occurredAt).toISOString() : undefined,
    })),
  ),
);

const optionsSchema = z.lazy(() =>
  z.array(shortText(100)).check(
    z.minLength(1),
    z.maxLength(100),
    z.refine((o) => new Set(o.map((x) => x.toLowerCase())).size === o.length, 'options must differ'),
  ),
);

export const fieldRoutes = {
  listFields: route({
    method: 'GET',
    path: '/v1/fields',
    fn: 'contacts-api',
    auth: 'admin',
    summary: 'Custom field definitions, by name',
    responses: { 200: z.lazy(() => z.object({ items: z.array(FieldDefinitionSchema) })) },
  }),
  createField: route({
    method: 'POST',
    path: '/v1/fields',
    fn: 'contacts-api',
    auth: 'admin',
    summary: 'Define a custom field: its values are then converted and checked by type on every write',
    body: z.lazy(() =>
      z.strictObject({
        name: fieldKeySchema,
        label: shortText(200),
        type: z.enum(FIELD_TYPES),
        options: z.optional(optionsSchema),
      }),
    ),
    responses: { 201: FieldDefinitionSchema, 409: ErrorSchema },
  }),
  updateField: route({
    method: 'PATCH',
    path: '/v1/fields/{name}',
    fn: 'contacts-api',
    auth: 'admin',
    summary: 'Relabel a custom field or change a select field’s options (the type stays)',
    params: z.lazy(() => z.strictObject({ name: fieldKeySchema })),
    body: z.lazy(() =>
      z.strictObject({ label: z.optional(shortText(200)), options: z.optional(optionsSchema) }),
    ),
    responses: { 200: FieldDefinitionSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
} as const satisfies Record<string, RouteDef>;

export const contactRoutes = {
  ...contactViewRoutes,
  createContact: route({
    method: 'POST',
    path: '/v1/contacts',
    fn: 'contacts-api',
    auth: 'admin',
    scopes: ['contacts:write'],
    summary: 'Create a contact (409 with existingId when the email is taken)',
    body: CreateContactBody,
    responses: { 201: ContactSchema, 409: ErrorSchema },
  }),
  listContacts: route({
    method: 'GET',
    path: '/v1/contacts',
    fn: 'contacts-api',
    auth: 'admin',
    scopes: ['contacts:read', 'contacts:write'],
    summary:
      'List contacts, newest first or oldest first (`sort`: `-created`, `created`; every contact and a tag only) or by name A→Z or Z→A (`sort`: `name`, `-name`; every contact only, from an index a moment behind a change); filter by tag, look up by email, or search (`q`: name, company, part of the email, phone; docs/search.md)',
    query: z.lazy(() =>
      z
        .strictObject({
          limit: limitSchema,
          cursor: cursorSchema,
          tag: z.optional(tagSchema),
          email: z.optional(emailSchema),
          /** Words to find (served by the search index, functions/search/: 2 letters or digits at least). */
          q: optionalText(),
          /**
           * The order of every contact or a tag's: by creation, newest (`-created`, the default) or oldest
           * first; every contact's also by name, A→Z (`name`) or Z→A (`-name`).
           */
          sort: z.optional(z.enum(CONTACT_SORTS)),
        })
        .check(
          z.refine((q) => [q.tag, q.email, q.q].filter((v) => v !== undefined).length <= 1, {
            message: 'use one of tag, email and q, not several',
          }),
          z.refine((q) => q.sort === undefined || (q.q === undefined && q.email === undefined), {
            message: 'sort applies to every contact and to a tag; a search has its own order',
            path: ['sort'],
          }),
          z.refine((q) => !(q.tag !== undefined && isNameSort(q.sort)), {
            message:
              'a tag’s contacts are sorted by creation only (created or -created); sort by name lists every contact',
            path: ['sort'],
          }),
        ),
    ),
    responses: { 200: page(ContactSchema) },
  }),
  getContact: route({
    method: 'GET',
    path: '/v1/contacts/{id}',
    fn: 'contacts-api',
    auth: 'admin',
    scopes: ['contacts:read', 'contacts:write'],
    summary: 'Get a contact',
    params: idParams,
    responses: { 200: ContactSchema, 404: ErrorSchema },
  }),
  patchContact: route({
    method: 'PATCH',
    path: '/v1/contacts/{id}',
    fn: 'contacts-api',
    auth: 'admin',
    scopes: ['contacts:write'],
    summary: 'Update a contact; `version` must be the current version (409 otherwise). null clears a value.',
    params: idParams,
    body: PatchContactBody,
    responses: { 200: ContactSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
  deleteContact: route({
    method: 'DELETE',
    path: '/v1/contacts/{id}',
    fn: 'contacts-api',
    auth: 'admin',
    summary: 'Erase a contact and everything keyed to it',
    params: idParams,
    responses: { 204: 'empty', 404: ErrorSchema },
  }),
  addTags: route({
    method: 'POST',
    path: '/v1/contacts/{id}/tags',
    fn: 'contacts-api',
    auth: 'admin',
    scopes: ['contacts:write'],
    summary: 'Add tags; each tag not yet on the contact emits one ContactTagged event',
    params: idParams,
    body: z.lazy(() => z.strictObject({ tags: tagListSchema.check(z.minLength(1)) })),
    responses: { 200: z.lazy(() => z.object({ contact: ContactSchema, added: z.array(z.string()) })) },
  }),
  removeTag: route({
    method: 'DELETE',
    path: '/v1/contacts/{id}/tags/{tag}',
    fn: 'contacts-api',
    auth: 'admin',
    scopes: ['contacts:write'],
    summary: 'Remove a tag (idempotent)',
    params: z.lazy(() => z.strictObject({ id: idSchema, tag: tagSchema })),
    responses: { 204: 'empty', 404: ErrorSchema },
  }),
  listActivities: route({
    method: 'GET',
    path: '/v1/contacts/{id}/activities',
    fn: 'contacts-api',
    auth: 'admin',
    scopes: ['contacts:read', 'contacts:write'],
    summary: 'The contact timeline, newest first',
    params: idParams,
    query: listQuery,
    responses: { 200: page(ActivitySchema), 404: ErrorSchema },
  }),
  createActivity: route({
    method: 'POST',
    path: '/v1/contacts/{id}/activities',
    fn: 'contacts-api',
    auth: 'admin',
    scopes: ['contacts:write'],
    summary: 'Record a note, call, meeting, email or purchase',
    params: idParams,
    body: ActivityBody,
    responses: { 201: ActivitySchema, 404: ErrorSchema },
  }),
} as const satisfies Record<string, RouteDef>;
