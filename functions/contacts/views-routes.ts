/**
 * Routes of the contacts list's saved views and its total (contacts-api; contactRoutes spreads them in).
 */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { LIFECYCLE_STAGES } from '#platform/events-marketing.js';
import { ErrorSchema, idParams, type RouteDef, route } from '#platform/http/route.js';
import { shortText, tagSchema } from '#platform/values.js';
import {
  CONTACT_SORTS,
  ContactCountSchema,
  ContactViewFilterSchema,
  ContactViewSchema,
  columnsSchema,
} from './views-model.js';

const viewName = () => shortText(80);
const versionQuery = z.lazy(() =>
  z.strictObject({ version: z.coerce.number().check(z.int(), z.minimum(1)) }),
);

export const CreateContactViewBody = z.lazy(() =>
  z.strictObject({
    name: viewName(),
    filter: z._default(ContactViewFilterSchema, {}),
    sort: z.optional(z.enum(CONTACT_SORTS)),
    columns: columnsSchema,
  }),
);

export const PatchContactViewBody = z.lazy(() =>
  z.strictObject({
    version: z.int().check(z.minimum(1)),
    name: z.optional(viewName()),
    filter: z.optional(ContactViewFilterSchema),
    sort: z.optional(z.enum(CONTACT_SORTS)),
    columns: z.optional(columnsSchema),
  }),
);

export const contactViewRoutes = {
  countContacts: route({
    method: 'GET',
    path: '/v1/contacts/count',
    fn: 'contacts-api',
    auth: 'admin',
    summary:
      'How many contacts there are, or have a tag, or are in a lifecycle stage, from the counters events keep (a moment behind a change)',
    query: z.lazy(() =>
      z.strictObject({ tag: z.optional(tagSchema), stage: z.optional(z.enum(LIFECYCLE_STAGES)) }).check(
        z.refine((q) => q.tag === undefined || q.stage === undefined, {
          message: 'count a tag or a stage, not both',
        }),
      ),
    ),
    responses: { 200: ContactCountSchema },
  }),
  listContactViews: route({
    method: 'GET',
    path: '/v1/contact-views',
    fn: 'contacts-api',
    auth: 'admin',
    summary: 'The saved views of the contacts list, by name',
    responses: { 200: z.lazy(() => z.object({ items: z.array(ContactViewSchema) })) },
  }),
  createContactView: route({
    method: 'POST',
    path: '/v1/contact-views',
    fn: 'contacts-api',
    auth: 'admin',
    summary:
      'Save a view of the contacts list: its name (unique in any case: 409), filter, sort (every contact and a tag only) and columns',
    body: CreateContactViewBody,
    responses: { 201: ContactViewSchema, 409: ErrorSchema },
  }),
  getContactView: route({
    method: 'GET',
    path: '/v1/contact-views/{id}',
    fn: 'contacts-api',
    auth: 'admin',
    summary: 'A saved view of the contacts list',
    params: idParams,
    responses: { 200: ContactViewSchema, 404: ErrorSchema },
  }),
  updateContactView: route({
    method: 'PATCH',
    path: '/v1/contact-views/{id}',
    fn: 'contacts-api',
    auth: 'admin',
    summary:
      'Rename a saved view or change what it shows; `version` must be its current version (409 otherwise)',
    params: idParams,
    body: PatchContactViewBody,
    responses: { 200: ContactViewSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
  deleteContactView: route({
    method: 'DELETE',
    path: '/v1/contact-views/{id}',
    fn: 'contacts-api',
    auth: 'admin',
    summary: 'Delete a saved view at its `version` (409 if it changed since)',
    params: idParams,
    query: versionQuery,
    responses: { 204: 'empty', 404: ErrorSchema, 409: ErrorSchema },
  }),
} as const satisfies Record<string, RouteDef>;
