/** Customer service routes (cases-api): the case queues, a case with its thread, replies and notes. */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import {
  cursorSchema,
  ErrorSchema,
  idParams,
  idSchema,
  limitSchema,
  listQuery,
  page,
  type RouteDef,
  route,
} from '#platform/http/route.js';
import { shortText } from '#platform/values.js';
import { CannedInputSchema, CannedResponseSchema } from './canned.js';
import {
  CASE_STATUSES,
  CaseMessageSchema,
  CasePatchSchema,
  CaseSchema,
  CaseViewSchema,
  NewCaseInputSchema,
  ReplyInputSchema,
} from './model.js';
import { ServiceSettingsInputSchema, ServiceSettingsSchema } from './sla-model.js';

const CaseListQuery = z.lazy(() =>
  z.strictObject({
    /** The cases in this status (default `new`); ignored with `assignee`. */
    status: z.optional(z.enum(CASE_STATUSES)),
    /**
     * An agent's active cases: a user's id (`unassigned`: nobody's). Cases assigned before assignees
     * were users are found by the text they were given (a name or an email).
     */
    assignee: z.optional(shortText(200)),
    limit: limitSchema,
    cursor: cursorSchema,
  }),
);

export const caseRoutes = {
  listCases: route({
    method: 'GET',
    path: '/v1/cases',
    fn: 'cases-api',
    auth: 'admin',
    summary:
      'A queue of cases: those in a status (default new), or an agent’s active ones; latest activity first',
    query: CaseListQuery,
    responses: { 200: page(CaseSchema) },
  }),
  createCase: route({
    method: 'POST',
    path: '/v1/cases',
    fn: 'cases-api',
    auth: 'admin',
    summary:
      'Open a case for the contact with this email (created when unknown); CaseCreated. `assignee`: a user (400 `invalid_reference` otherwise)',
    body: NewCaseInputSchema,
    responses: { 201: CaseSchema, 400: ErrorSchema },
  }),
  getCase: route({
    method: 'GET',
    path: '/v1/cases/{id}',
    fn: 'cases-api',
    auth: 'admin',
    summary: 'A case with its conversation (messages in, replies, notes), oldest first',
    params: idParams,
    responses: { 200: CaseViewSchema, 404: ErrorSchema },
  }),
  updateCase: route({
    method: 'PATCH',
    path: '/v1/cases/{id}',
    fn: 'cases-api',
    auth: 'admin',
    summary:
      'Change a case’s status, priority, assignee (a user: 400 `invalid_reference` otherwise; null unassigns) or tags (409 when `expectedVersion` is stale)',
    params: idParams,
    body: CasePatchSchema,
    responses: { 200: CaseSchema, 400: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
  replyToCase: route({
    method: 'POST',
    path: '/v1/cases/{id}/messages',
    fn: 'cases-api',
    auth: 'admin',
    summary:
      'Reply to the customer (emailed, threaded: replies come back into the case) or add an internal note (`internal`)',
    params: idParams,
    body: ReplyInputSchema,
    responses: { 201: CaseMessageSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
  getAttachmentUrl: route({
    method: 'GET',
    path: '/v1/cases/{id}/attachment-url',
    fn: 'cases-api',
    auth: 'admin',
    summary: 'A short-lived link that downloads one of the case’s attachments',
    params: idParams,
    query: z.lazy(() => z.strictObject({ key: z.string().check(z.minLength(1), z.maxLength(1024)) })),
    responses: { 200: z.lazy(() => z.object({ url: z.string() })), 404: ErrorSchema },
  }),
  listCannedResponses: route({
    method: 'GET',
    path: '/v1/canned-responses',
    fn: 'cases-api',
    auth: 'admin',
    summary: 'The canned responses agents insert into replies, by name',
    responses: { 200: z.lazy(() => z.object({ items: z.array(CannedResponseSchema) })) },
  }),
  createCannedResponse: route({
    method: 'POST',
    path: '/v1/canned-responses',
    fn: 'cases-api',
    auth: 'admin',
    summary: 'Add a canned response; merge fields: {{ contact.firstName }}, {{ case.ref }}, {{ agent }}…',
    body: CannedInputSchema,
    responses: { 201: CannedResponseSchema },
  }),
  updateCannedResponse: route({
    method: 'PUT',
    path: '/v1/canned-responses/{id}',
    fn: 'cases-api',
    auth: 'admin',
    summary: 'Replace a canned response (409 when `version` is stale)',
    params: idParams,
    body: CannedInputSchema,
    responses: { 200: CannedResponseSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
  deleteCannedResponse: route({
    method: 'DELETE',
    path: '/v1/canned-responses/{id}',
    fn: 'cases-api',
    auth: 'admin',
    summary: 'Delete a canned response',
    params: idParams,
    responses: { 204: 'empty', 404: ErrorSchema },
  }),
  renderCannedResponse: route({
    method: 'GET',
    path: '/v1/cases/{id}/canned-responses/{responseId}',
    fn: 'cases-api',
    auth: 'admin',
    summary: 'A canned response written out for this case (its contact and the case in the merge fields)',
    params: z.lazy(() => z.strictObject({ id: idSchema, responseId: idSchema })),
    query: z.lazy(() => z.strictObject({ agent: z.optional(shortText(200)) })),
    responses: { 200: z.lazy(() => z.object({ text: z.string() })), 404: ErrorSchema },
  }),
  getServiceSettings: route({
    method: 'GET',
    path: '/v1/service-settings',
    fn: 'cases-api',
    auth: 'admin',
    summary:
      'The SLA settings: business hours, each priority’s targets, what a breach does (defaults until saved)',
    responses: { 200: ServiceSettingsSchema },
  }),
  saveServiceSettings: route({
    method: 'PUT',
    path: '/v1/service-settings',
    fn: 'cases-api',
    auth: 'admin',
    summary:
      'Replace the SLA settings (409 when `expectedVersion` is stale); cases opened from now on use them. A new `escalation.assignTo` must be a user (400 `invalid_reference`)',
    body: ServiceSettingsInputSchema,
    responses: { 200: ServiceSettingsSchema, 400: ErrorSchema, 409: ErrorSchema },
  }),
  getCaseSuggestions: route({
    method: 'GET',
    path: '/v1/cases/{id}/suggestions',
    fn: 'cases-api',
    auth: 'admin',
    summary: 'Published knowledge base articles that may answer the case (its subject and first message)',
    params: idParams,
    responses: {
      200: z.lazy(() =>
        z.object({
          items: z.array(z.object({ id: z.string(), slug: z.string(), title: z.string(), url: z.string() })),
        }),
      ),
      404: ErrorSchema,
    },
  }),
  listContactCases: route({
    method: 'GET',
    path: '/v1/contacts/{id}/cases',
    fn: 'cases-api',
    auth: 'admin',
    summary: 'A contact’s cases, the latest opened first',
    params: z.lazy(() => z.strictObject({ id: idSchema })),
    query: listQuery,
    responses: { 200: page(CaseSchema), 404: ErrorSchema },
  }),
} as const satisfies Record<string, RouteDef>;
