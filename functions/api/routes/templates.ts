/** Email template routes (templates-api). */
import * as z from 'zod';
import { shortText } from '../../core/values.js';
import { ErrorSchema, idParams, idSchema, listQuery, page, type RouteDef, route } from '../route.js';

export const TemplateBody = z.strictObject({
  name: shortText(200),
  subject: z.string().trim().min(1).max(500),
  html: z.string().min(1).max(200_000),
  text: z.string().min(1).max(100_000).optional(),
});

export const TemplateSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    subject: z.string(),
    html: z.string(),
    text: z.string().optional(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'EmailTemplate' });

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
    body: TemplateBody.extend({ version: z.number().int().min(1) }),
    responses: { 200: TemplateSchema, 409: ErrorSchema },
  }),
  previewTemplate: route({
    method: 'POST',
    path: '/v1/templates/{id}/preview',
    fn: 'templates-api',
    auth: 'admin',
    summary: 'Render a template for a contact',
    params: idParams,
    body: z.strictObject({ contactId: idSchema }),
    responses: { 200: z.object({ subject: z.string(), html: z.string(), text: z.string() }) },
  }),
} as const satisfies Record<string, RouteDef>;
