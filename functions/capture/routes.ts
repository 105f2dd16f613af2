/** Form routes: managing forms (forms-api) and the public form endpoint (form-submit). */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { WORKSPACE_PROPERTIES } from '#contacts/model.js';
import {
  ErrorSchema,
  idParams,
  idSchema,
  listQuery,
  optionalText,
  page,
  type RouteDef,
  route,
} from '#platform/http/route.js';
import { fieldKeySchema, shortText, tagListSchema } from '#platform/values.js';
import { isReservedFieldName } from './forms.js';
import { DroppedSubmissionSchema, FORM_CASE_PRIORITIES, FORM_FIELD_TYPES, FormSchema } from './model.js';

const FormFieldInput = z.lazy(() =>
  z.union([
    fieldKeySchema,
    z.strictObject({
      name: fieldKeySchema,
      label: optionalText(200),
      type: z.optional(z.enum(FORM_FIELD_TYPES)),
      required: z.optional(z.boolean()),
    }),
  ]),
);

const webUrl = z.lazy(() =>
  z.url({ protocol: /^https?$/ }).check(
    z.maxLength(2000),
    z.refine((u) => u.startsWith('https://') || /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?(\/|$)/.test(u), {
      message: 'must be an https URL (http only for localhost)',
    }),
  ),
);
const originSchema = z.lazy(() =>
  z
    .string()
    .check(z.regex(/^https?:\/\/[a-z0-9.-]+(:\d+)?$/, 'must be an origin such as https://example.com')),
);

export const CreateFormBody = z.lazy(() =>
  z
    .pipe(
      z.strictObject({
        name: shortText(200),
        fields: z.array(FormFieldInput).check(z.minLength(1), z.maxLength(30)),
        tags: z._default(tagListSchema, []),
        redirectUrl: z.optional(webUrl),
        allowedOrigins: z.optional(z.array(originSchema).check(z.maxLength(20))),
        consent: z.optional(
          z.strictObject({ text: shortText(2000), required: z._default(z.boolean(), true) }),
        ),
        /** A support form: the field with the case's subject (text), the one with its message (textarea). */
        case: z.optional(
          z.strictObject({
            subjectField: fieldKeySchema,
            messageField: fieldKeySchema,
            priority: z._default(z.enum(FORM_CASE_PRIORITIES), 'normal'),
          }),
        ),
        spam: z.optional(
          z.strictObject({
            minFillSeconds: z.optional(z.int().check(z.minimum(0), z.maximum(3600))),
            requireToken: z.optional(z.boolean()),
            rateLimits: z.optional(
              z.strictObject({
                perIpPerMinute: z.int().check(z.minimum(1), z.maximum(10_000)),
                perFormPerMinute: z.int().check(z.minimum(1), z.maximum(100_000)),
              }),
            ),
          }),
        ),
      }),
      z.transform((f) => ({
        ...f,
        fields: f.fields.map((field) => {
          const def = typeof field === 'string' ? { name: field } : field;
          return {
            name: def.name,
            label: def.label ?? def.name,
            type: def.type ?? (def.name === 'email' ? 'email' : def.name === 'phone' ? 'tel' : 'text'),
            required: def.required ?? def.name === 'email',
          } as const;
        }),
      })),
    )
    .check(
      z.superRefine(({ fields, case: support }, ctx) => {
        fields.forEach((field, i) => {
          if (isReservedFieldName(field.name)) {
            ctx.addIssue({
              code: 'custom',
              path: ['fields', i, 'name'],
              message: `${field.name} is a reserved name`,
            });
          }
          // A property no form sets: a custom field of that name would only shadow it.
          if (WORKSPACE_PROPERTIES.includes(field.name)) {
            ctx.addIssue({
              code: 'custom',
              path: ['fields', i, 'name'],
              message: `${field.name} is set by the workspace's people, not by a form`,
            });
          }
          if (fields.findIndex((o) => o.name === field.name) !== i) {
            ctx.addIssue({
              code: 'custom',
              path: ['fields', i, 'name'],
              message: `${field.name} is declared twice`,
            });
          }
        });
        const email = fields.find((x) => x.name === 'email');
        if (email?.type !== 'email' || !email.required) {
          ctx.addIssue({
            code: 'custom',
            path: ['fields'],
            message: 'a form needs a required field named email of type email',
          });
        }
        if (support) {
          for (const [key, type, kind] of [
            ['subjectField', 'text', 'a text field'],
            ['messageField', 'textarea', 'a textarea field'],
          ] as const) {
            const field = fields.find((f) => f.name === support[key]);
            if (field?.type !== type) {
              ctx.addIssue({
                code: 'custom',
                path: ['case', key],
                message: field
                  ? `must be ${kind}: ${support[key]} is ${field.type}`
                  : `must be a field of the form: ${support[key]} is not one`,
              });
            }
          }
        }
      }),
    ),
);

export const formRoutes = {
  createForm: route({
    method: 'POST',
    path: '/v1/forms',
    fn: 'forms-api',
    auth: 'admin',
    summary: 'Create a lead-capture form',
    body: CreateFormBody,
    responses: { 201: FormSchema },
  }),
  listForms: route({
    method: 'GET',
    path: '/v1/forms',
    fn: 'forms-api',
    auth: 'admin',
    summary: 'List forms, newest first',
    query: listQuery,
    responses: { 200: page(FormSchema) },
  }),
  getForm: route({
    method: 'GET',
    path: '/v1/forms/{id}',
    fn: 'forms-api',
    auth: 'admin',
    summary: 'Get a form',
    params: idParams,
    responses: { 200: FormSchema, 404: ErrorSchema },
  }),
  listDroppedSubmissions: route({
    method: 'GET',
    path: '/v1/forms/{id}/dropped-submissions',
    fn: 'forms-api',
    auth: 'admin',
    summary: 'Submissions of a form dropped as spam in the last 30 days, newest first, with the reason',
    params: idParams,
    query: listQuery,
    responses: { 200: page(DroppedSubmissionSchema), 404: ErrorSchema },
  }),
} as const satisfies Record<string, RouteDef>;

const formParams = z.lazy(() => z.strictObject({ formId: idSchema }));

export const publicFormRoutes = {
  showPublicForm: route({
    method: 'GET',
    path: '/f/{formId}',
    fn: 'form-submit',
    auth: 'public',
    summary: 'The hosted form page (HTML), with a signed fill-time token',
    params: formParams,
    responses: { 200: 'html', 404: ErrorSchema },
  }),
  formToken: route({
    method: 'GET',
    path: '/f/{formId}/token',
    fn: 'form-submit',
    auth: 'public',
    summary: 'A signed, single-use fill-time token for a custom form page (send it as _ts)',
    params: formParams,
    responses: {
      200: z.lazy(() => z.object({ token: z.string(), expiresAt: z.string() })),
      404: ErrorSchema,
    },
  }),
  submitForm: route({
    method: 'POST',
    path: '/f/{formId}',
    fn: 'form-submit',
    auth: 'public',
    summary:
      'Submit a form: urlencoded (303 to redirectUrl, or a thank-you page; the form again with its errors) or JSON (201 {submissionId})',
    params: formParams,
    query: z.lazy(() => z.record(z.string(), z.string().check(z.maxLength(500)))),
    body: z.lazy(() => z.record(z.string(), z.unknown())),
    bodyTypes: ['application/x-www-form-urlencoded', 'application/json'],
    responses: {
      201: z.lazy(() => z.object({ submissionId: z.string() })),
      303: 'redirect',
      400: ErrorSchema,
      403: ErrorSchema,
      429: ErrorSchema,
    },
  }),
  formPreflight: route({
    method: 'OPTIONS',
    path: '/f/{formId}',
    fn: 'form-submit',
    auth: 'public',
    summary: 'CORS preflight for JSON submissions from the form’s allowed origins',
    params: formParams,
    responses: { 204: 'empty' },
  }),
} as const satisfies Record<string, RouteDef>;
