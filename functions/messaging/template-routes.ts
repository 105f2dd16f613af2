/** Email template routes (templates-api). */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import {
  ErrorSchema,
  idParams,
  idSchema,
  listQuery,
  page,
  type RouteDef,
  route,
} from '#platform/http/route.js';
import { emailSchema, shortText } from '#platform/values.js';
import { RenderedEmailSchema, TemplateSchema } from './model.js';

const templateShape = () => ({
  name: shortText(200),
  subject: z.string().check(z.trim(), z.minLength(1), z.maxLength(500)),
  html: z.string().check(z.minLength(1), z.maxLength(200_000)),
  text: z.optional(z.string().check(z.minLength(1), z.maxLength(100_000))),
});
export const TemplateBody = z.lazy(() => z.strictObject(templateShape()));

export const templateRoutes = {
  createTemplate: route({
    method: 'POST',
    path: '/v1/templates',
    fn: 'templates-api',
    auth: 'admin',
    summary: 'Create an email template (Liquid merge fields; syntax errors are a 400)',
    body: TemplateBody,
    responses: { 201: TemplateSchema },
  }),
  listTemplates: route({
    method: 'GET',
    path: '/v1/templates',
    fn: 'templates-api',
    auth: 'admin',
    summary: 'List email templates, newest first',
    query: listQuery,
    responses: { 200: page(TemplateSchema) },
  }),
  getTemplate: route({
    method: 'GET',
    path: '/v1/templates/{id}',
    fn: 'templates-api',
    auth: 'admin',
    summary: 'Get an email template',
    params: idParams,
    responses: { 200: TemplateSchema, 404: ErrorSchema },
  }),
  updateTemplate: route({
    method: 'PUT',
    path: '/v1/templates/{id}',
    fn: 'templates-api',
    auth: 'admin',
    summary: 'Replace a template; `version` must be the current version',
    params: idParams,
    body: z.lazy(() => z.strictObject({ ...templateShape(), version: z.int().check(z.minimum(1)) })),
    responses: { 200: TemplateSchema, 409: ErrorSchema },
  }),
  previewTemplate: route({
    method: 'POST',
    path: '/v1/templates/{id}/preview',
    fn: 'templates-api',
    auth: 'admin',
    summary: 'Render a template for a contact',
    params: idParams,
    body: z.lazy(() => z.strictObject({ contactId: idSchema })),
    responses: { 200: RenderedEmailSchema },
  }),
  renderTemplateDraft: route({
    method: 'POST',
    path: '/v1/templates/render',
    fn: 'templates-api',
    auth: 'admin',
    summary:
      'Render a template being written (not saved) for a contact, or for a sample contact, with its warnings; a syntax error is a 400 at its part',
    body: z.lazy(() =>
      z.strictObject({
        subject: templateShape().subject,
        html: templateShape().html,
        text: templateShape().text,
        contactId: z.optional(idSchema),
      }),
    ),
    responses: { 200: RenderedEmailSchema, 400: ErrorSchema, 404: ErrorSchema },
  }),
  sendTestTemplate: route({
    method: 'POST',
    path: '/v1/templates/{id}/send-test',
    fn: 'templates-api',
    auth: 'admin',
    summary:
      'Send the saved template to any address as a test (“[Test]” in the subject), rendered for a contact or a sample one; a refused address is a 400',
    params: idParams,
    body: z.lazy(() => z.strictObject({ to: emailSchema, contactId: z.optional(idSchema) })),
    responses: {
      202: z.lazy(() => z.object({ to: z.string(), subject: z.string(), messageId: z.string() })),
      400: ErrorSchema,
      404: ErrorSchema,
    },
  }),
} as const satisfies Record<string, RouteDef>;
