/**
 * The HTTP API contract: every route with its zod schemas. The Lambda routers, the local HTTP adapter,
 * the CDK routes and the OpenAPI document are all derived from this one table.
 */
import * as z from 'zod';
import { fieldComparisonSchema } from '../core/conditions.js';
import { isReservedFieldName } from '../core/forms.js';
import { ULID_PATTERN } from '../core/ids.js';
import {
  FORM_FIELD_TYPES,
  MANUAL_ACTIVITY_TYPES,
  SYSTEM_ACTIVITY_TYPES,
  TASK_STATUSES,
} from '../core/model.js';
import {
  customFieldsSchema,
  emailSchema,
  fieldKeySchema,
  fieldValueSchema,
  shortText,
  tagListSchema,
  tagSchema,
} from '../core/values.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
/** The Lambda function serving a route. */
export type FunctionName =
  | 'contacts-api'
  | 'forms-api'
  | 'form-submit'
  | 'openapi'
  | 'templates-api'
  | 'workflows-api'
  | 'unsubscribe'
  | 'pipelines-api'
  | 'tasks-api'
  | 'segments-api'
  | 'contacts-io';

export interface RouteDef {
  method: HttpMethod;
  path: string;
  fn: FunctionName;
  /** `admin`: bearer token (Cognito JWT in the cloud, the local token locally). `public`: no auth. */
  auth: 'admin' | 'public';
  summary: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  /** Media types the body may have; JSON when not set. */
  bodyTypes?: readonly string[];
  responses: Record<number, z.ZodType | 'empty' | 'html' | 'redirect' | 'csv'>;
}

const route = <R extends RouteDef>(r: R) => r;

// ---------- shared schemas ----------
export const idSchema = z.string().regex(ULID_PATTERN, 'must be a 26-character ULID');
const idParams = z.strictObject({ id: idSchema });
const limitSchema = z.coerce.number().int().min(1).max(100).default(25);
const cursorSchema = z.string().min(1).max(2048).optional();
const isoDateTime = z.iso.datetime({ offset: true });
const optionalText = (max = 200) => shortText(max).optional();
const nullableText = (max = 200) => shortText(max).nullable().optional();
const page = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().optional() });

export const ContactSchema = z
  .object({
    id: z.string(),
    email: z.string(),
    firstName: z.string().optional(),
    lastName: z.string().optional(),
    phone: z.string().optional(),
    company: z.string().optional(),
    source: z.string().optional(),
    fields: z.record(z.string(), fieldValueSchema),
    tags: z.array(z.string()),
    consent: z
      .object({ text: z.string(), givenAt: z.string(), sourceIp: z.string(), formId: z.string() })
      .optional(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Contact' });

export const ActivitySchema = z
  .object({
    id: z.string(),
    contactId: z.string(),
    type: z.enum([...MANUAL_ACTIVITY_TYPES, ...SYSTEM_ACTIVITY_TYPES]),
    body: z.string().optional(),
    amount: z.number().optional(),
    currency: z.string().optional(),
    occurredAt: z.string(),
    recordedAt: z.string(),
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .meta({ id: 'Activity' });

const FormFieldInput = z.union([
  fieldKeySchema,
  z.strictObject({
    name: fieldKeySchema,
    label: optionalText(200),
    type: z.enum(FORM_FIELD_TYPES).optional(),
    required: z.boolean().optional(),
  }),
]);

export const FormSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    fields: z.array(
      z.object({
        name: z.string(),
        label: z.string(),
        type: z.enum(FORM_FIELD_TYPES),
        required: z.boolean(),
      }),
    ),
    tags: z.array(z.string()),
    redirectUrl: z.string().optional(),
    allowedOrigins: z.array(z.string()).optional(),
    consent: z.object({ text: z.string(), required: z.boolean() }).optional(),
    spam: z.object({ minFillSeconds: z.number(), requireToken: z.boolean() }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Form' });

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.union([
        z.array(z.object({ path: z.string(), message: z.string(), code: z.string().optional() })),
        z.record(z.string(), z.unknown()),
      ]),
    }),
  })
  .meta({ id: 'Error' });

const webUrl = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .refine((u) => u.startsWith('https://') || /^http:\/\/(localhost|127\.0\.0\.1)(:\d+)?(\/|$)/.test(u), {
    message: 'must be an https URL (http only for localhost)',
  });
const originSchema = z
  .string()
  .regex(/^https?:\/\/[a-z0-9.-]+(:\d+)?$/, 'must be an origin such as https://example.com');

export const CreateContactBody = z.strictObject({
  email: emailSchema,
  firstName: optionalText(),
  lastName: optionalText(),
  phone: optionalText(32),
  company: optionalText(),
  source: optionalText(),
  fields: customFieldsSchema.optional(),
  tags: tagListSchema.optional(),
});

export const PatchContactBody = z.strictObject({
  version: z.number().int().min(1),
  email: emailSchema.optional(),
  firstName: nullableText(),
  lastName: nullableText(),
  phone: nullableText(32),
  company: nullableText(),
  source: nullableText(),
  fields: z
    .record(fieldKeySchema, fieldValueSchema.nullable())
    .refine((f) => Object.keys(f).length <= 50, 'at most 50 custom fields')
    .optional(),
});

export const ActivityBody = z
  .strictObject({
    type: z.enum(MANUAL_ACTIVITY_TYPES),
    body: z.string().trim().min(1).max(10_000),
    occurredAt: isoDateTime.optional(),
    amount: z.number().finite().nonnegative().optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
      .optional(),
  })
  .superRefine((a, ctx) => {
    if (a.amount !== undefined && a.type !== 'purchase') {
      ctx.addIssue({ code: 'custom', path: ['amount'], message: 'only purchases have an amount' });
    }
    if (a.type === 'purchase' && a.amount === undefined) {
      ctx.addIssue({ code: 'custom', path: ['amount'], message: 'a purchase needs an amount' });
    }
  })
  .transform((a) => ({ ...a, occurredAt: a.occurredAt ? new Date(a.occurredAt).toISOString() : undefined }));

export const CreateFormBody = z
  .strictObject({
    name: shortText(200),
    fields: z.array(FormFieldInput).min(1).max(30),
    tags: tagListSchema.default([]),
    redirectUrl: webUrl.optional(),
    allowedOrigins: z.array(originSchema).max(20).optional(),
    consent: z.strictObject({ text: shortText(2000), required: z.boolean().default(true) }).optional(),
    spam: z
      .strictObject({
        minFillSeconds: z.number().int().min(0).max(3600).optional(),
        requireToken: z.boolean().optional(),
      })
      .optional(),
  })
  .transform((f, ctx) => {
    const fields = f.fields.map((field) => {
      const def = typeof field === 'string' ? { name: field } : field;
      return {
        name: def.name,
        label: def.label ?? def.name,
        type: def.type ?? (def.name === 'email' ? 'email' : def.name === 'phone' ? 'tel' : 'text'),
        required: def.required ?? def.name === 'email',
      } as const;
    });
    fields.forEach((field, i) => {
      if (isReservedFieldName(field.name)) {
        ctx.addIssue({
          code: 'custom',
          path: ['fields', i, 'name'],
          message: `${field.name} is a reserved name`,
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
    return { ...f, fields };
  });

const listQuery = z.strictObject({ limit: limitSchema, cursor: cursorSchema });

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

export const WorkflowSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    status: z.enum(['draft', 'active', 'paused']),
    definition: z.record(z.string(), z.unknown()),
    publishedVersion: z.number().int().optional(),
    triggerKey: z.string().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Workflow' });

export const EnrollmentSchema = z
  .object({
    id: z.string(),
    workflowId: z.string(),
    version: z.number().int(),
    contactId: z.string(),
    number: z.number().int(),
    executionName: z.string(),
    status: z.enum(['active', 'completed', 'exited', 'stopped', 'failed']),
    stopReason: z.string().optional(),
    currentStep: z.string().optional(),
    enrolledAt: z.string(),
    endedAt: z.string().optional(),
  })
  .meta({ id: 'Enrollment' });

// ---------- sales, tasks, follow-ups, segments, reports ----------
const money = z
  .number()
  .finite()
  .nonnegative()
  .max(1e12)
  .refine((n) => Math.round(n * 100) / 100 === n, 'at most two decimals');
const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR');
const stageName = shortText(100);
const ownerSchema = shortText(200);

export const PipelineBody = z.strictObject({
  name: shortText(200),
  stages: z
    .array(z.strictObject({ name: stageName, probability: z.number().min(0).max(1) }))
    .min(1)
    .max(20),
});

export const PipelineSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    stages: z.array(z.object({ name: z.string(), probability: z.number() })),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Pipeline' });

export const DealBody = z.strictObject({
  title: shortText(200),
  amount: money,
  currency: currencySchema,
  pipelineId: idSchema,
  stage: stageName,
  contactId: idSchema.optional(),
  closeDate: z.iso.date().optional(),
  owner: ownerSchema.optional(),
});

export const DealPatchBody = z.strictObject({
  version: z.number().int().min(1),
  title: shortText(200).optional(),
  amount: money.optional(),
  currency: currencySchema.optional(),
  stage: stageName.optional(),
  contactId: idSchema.nullable().optional(),
  closeDate: z.iso.date().nullable().optional(),
  owner: ownerSchema.nullable().optional(),
});

export const DealSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    amount: z.number(),
    currency: z.string(),
    pipelineId: z.string(),
    stage: z.string(),
    contactId: z.string().optional(),
    closeDate: z.string().optional(),
    owner: z.string().optional(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Deal' });

const MoneyTotalSchema = z.object({ currency: z.string(), amount: z.number(), weighted: z.number() });

export const BoardSchema = z
  .object({
    pipeline: PipelineSchema,
    stages: z.array(
      z.object({
        name: z.string(),
        probability: z.number(),
        count: z.number(),
        totals: z.array(MoneyTotalSchema),
        deals: z.array(DealSchema),
      }),
    ),
    totals: z.array(MoneyTotalSchema),
  })
  .meta({ id: 'Board' });

export const TaskBody = z.strictObject({
  title: shortText(500),
  dueAt: isoDateTime,
  contactId: idSchema.optional(),
  dealId: idSchema.optional(),
  owner: ownerSchema.optional(),
});

export const TaskPatchBody = z.strictObject({
  version: z.number().int().min(1),
  title: shortText(500).optional(),
  dueAt: isoDateTime.optional(),
  status: z.enum(TASK_STATUSES).optional(),
  owner: ownerSchema.nullable().optional(),
});

export const TaskSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    dueAt: z.string(),
    status: z.enum(TASK_STATUSES),
    contactId: z.string().optional(),
    dealId: z.string().optional(),
    owner: z.string().optional(),
    source: z.object({ workflowId: z.string(), enrollmentId: z.string(), stepId: z.string() }).optional(),
    remindedAt: z.string().optional(),
    completedAt: z.string().optional(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Task' });

export const FollowUpBody = z.strictObject({ templateId: idSchema, sendAt: isoDateTime });

export const FollowUpSchema = z
  .object({
    id: z.string(),
    contactId: z.string(),
    templateId: z.string(),
    sendAt: z.string(),
    status: z.enum(['scheduled', 'sent', 'cancelled', 'skipped']),
    reason: z.string().optional(),
    scheduleName: z.string(),
    messageId: z.string().optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'FollowUp' });

export const SegmentFilterSchema = z
  .strictObject({
    tags: z
      .strictObject({
        all: tagListSchema.optional(),
        any: tagListSchema.optional(),
        none: tagListSchema.optional(),
      })
      .optional(),
    fields: z.array(fieldComparisonSchema).max(20).optional(),
    created: z
      .strictObject({
        after: isoDateTime.optional(),
        before: isoDateTime.optional(),
        withinDays: z.number().int().min(1).max(3650).optional(),
      })
      .refine((c) => !(c.after && c.withinDays), { message: 'use either after or withinDays, not both' })
      .transform((c) => ({
        ...c,
        ...(c.after ? { after: new Date(c.after).toISOString() } : {}),
        ...(c.before ? { before: new Date(c.before).toISOString() } : {}),
      }))
      .optional(),
    engagement: z
      .strictObject({ type: z.enum(['opened', 'clicked']), withinDays: z.number().int().min(1).max(365) })
      .optional(),
  })
  .meta({ id: 'SegmentFilter' });

export const SegmentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    filter: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Segment' });

const dayParam = z.iso.date();

export const ImportReportSchema = z.object({
  rows: z.number(),
  created: z.number(),
  merged: z.number(),
  failed: z.number(),
  errors: z.array(
    z.object({
      line: z.number(),
      email: z.string().optional(),
      details: z.array(z.object({ path: z.string(), message: z.string() })),
    }),
  ),
});

/** A workflow definition is validated by the domain (with the path of each problem); here it is any object. */
const WorkflowBody = z.record(z.string(), z.unknown());

// ---------- routes ----------
export const api = {
  createContact: route({
    method: 'POST',
    path: '/v1/contacts',
    fn: 'contacts-api',
    auth: 'admin',
    summary: 'Create a contact (409 with existingId when the email is taken)',
    body: CreateContactBody,
    responses: { 201: ContactSchema, 409: ErrorSchema },
  }),
  listContacts: route({
    method: 'GET',
    path: '/v1/contacts',
    fn: 'contacts-api',
    auth: 'admin',
    summary: 'List contacts, newest first; filter by tag or look up by email',
    query: z
      .strictObject({
        limit: limitSchema,
        cursor: cursorSchema,
        tag: tagSchema.optional(),
        email: emailSchema.optional(),
      })
      .refine((q) => !(q.tag && q.email), { message: 'use either tag or email, not both' }),
    responses: { 200: page(ContactSchema) },
  }),
  getContact: route({
    method: 'GET',
    path: '/v1/contacts/{id}',
    fn: 'contacts-api',
    auth: 'admin',
    summary: 'Get a contact',
    params: idParams,
    responses: { 200: ContactSchema, 404: ErrorSchema },
  }),
  patchContact: route({
    method: 'PATCH',
    path: '/v1/contacts/{id}',
    fn: 'contacts-api',
    auth: 'admin',
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
    summary: 'Add tags; each tag not yet on the contact emits one ContactTagged event',
    params: idParams,
    body: z.strictObject({ tags: tagListSchema.min(1) }),
    responses: { 200: z.object({ contact: ContactSchema, added: z.array(z.string()) }) },
  }),
  removeTag: route({
    method: 'DELETE',
    path: '/v1/contacts/{id}/tags/{tag}',
    fn: 'contacts-api',
    auth: 'admin',
    summary: 'Remove a tag (idempotent)',
    params: z.strictObject({ id: idSchema, tag: tagSchema }),
    responses: { 204: 'empty', 404: ErrorSchema },
  }),
  listActivities: route({
    method: 'GET',
    path: '/v1/contacts/{id}/activities',
    fn: 'contacts-api',
    auth: 'admin',
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
    summary: 'Record a note, call, meeting, email or purchase',
    params: idParams,
    body: ActivityBody,
    responses: { 201: ActivitySchema, 404: ErrorSchema },
  }),
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
  showPublicForm: route({
    method: 'GET',
    path: '/f/{formId}',
    fn: 'form-submit',
    auth: 'public',
    summary: 'The hosted form page (HTML), with a signed fill-time token',
    params: z.strictObject({ formId: idSchema }),
    responses: { 200: 'html', 404: ErrorSchema },
  }),
  submitForm: route({
    method: 'POST',
    path: '/f/{formId}',
    fn: 'form-submit',
    auth: 'public',
    summary: 'Submit a form: urlencoded (303 to redirectUrl) or JSON (201 {contactId})',
    params: z.strictObject({ formId: idSchema }),
    query: z.record(z.string(), z.string().max(500)),
    body: z.record(z.string(), z.unknown()),
    bodyTypes: ['application/x-www-form-urlencoded', 'application/json'],
    responses: { 201: z.object({ contactId: z.string() }), 303: 'redirect', 400: ErrorSchema },
  }),
  formPreflight: route({
    method: 'OPTIONS',
    path: '/f/{formId}',
    fn: 'form-submit',
    auth: 'public',
    summary: 'CORS preflight for JSON submissions from the form’s allowed origins',
    params: z.strictObject({ formId: idSchema }),
    responses: { 204: 'empty' },
  }),
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
  createWorkflow: route({
    method: 'POST',
    path: '/v1/workflows',
    fn: 'workflows-api',
    auth: 'admin',
    summary: 'Create a workflow draft (see docs/workflows.md); problems are reported with their paths',
    body: WorkflowBody,
    responses: { 201: WorkflowSchema, 400: ErrorSchema },
  }),
  listWorkflows: route({
    method: 'GET',
    path: '/v1/workflows',
    fn: 'workflows-api',
    auth: 'admin',
    summary: 'List workflows, newest first',
    query: listQuery,
    responses: { 200: page(WorkflowSchema) },
  }),
  getWorkflow: route({
    method: 'GET',
    path: '/v1/workflows/{id}',
    fn: 'workflows-api',
    auth: 'admin',
    summary: 'A workflow with its draft, its published version (compiled ASL) and per-step enrollment counts',
    params: idParams,
    responses: {
      200: z.object({
        workflow: WorkflowSchema,
        published: z
          .object({
            version: z.number(),
            asl: z.record(z.string(), z.unknown()),
            publishedAt: z.string(),
            stateMachineVersionArn: z.string(),
          })
          .optional(),
        stats: z
          .object({
            enrolled: z.number(),
            active: z.number(),
            outcomes: z.record(z.string(), z.number()),
            steps: z.record(z.string(), z.object({ entered: z.number(), current: z.number() })),
          })
          .optional(),
      }),
    },
  }),
  updateWorkflow: route({
    method: 'PUT',
    path: '/v1/workflows/{id}',
    fn: 'workflows-api',
    auth: 'admin',
    summary: 'Replace the draft definition (published versions are not affected)',
    params: idParams,
    body: WorkflowBody,
    responses: { 200: WorkflowSchema, 400: ErrorSchema },
  }),
  publishWorkflow: route({
    method: 'POST',
    path: '/v1/workflows/{id}/publish',
    fn: 'workflows-api',
    auth: 'admin',
    summary: 'Compile the draft to a new state-machine version and start enrolling on it',
    params: idParams,
    responses: {
      200: z.object({ workflow: WorkflowSchema, version: z.object({ version: z.number() }).loose() }),
    },
  }),
  pauseWorkflow: route({
    method: 'POST',
    path: '/v1/workflows/{id}/pause',
    fn: 'workflows-api',
    auth: 'admin',
    summary: 'Stop enrolling; running enrollments end at their next step',
    params: idParams,
    responses: { 200: WorkflowSchema, 409: ErrorSchema },
  }),
  listEnrollments: route({
    method: 'GET',
    path: '/v1/contacts/{id}/enrollments',
    fn: 'workflows-api',
    auth: 'admin',
    summary: 'The contact’s workflow enrollments, newest first',
    params: idParams,
    query: listQuery,
    responses: { 200: page(EnrollmentSchema), 404: ErrorSchema },
  }),
  showUnsubscribe: route({
    method: 'GET',
    path: '/u/{token}',
    fn: 'unsubscribe',
    auth: 'public',
    summary: 'Unsubscribe page (asks for confirmation; a GET never unsubscribes)',
    params: z.strictObject({ token: z.string().min(1).max(200) }),
    responses: { 200: 'html', 403: ErrorSchema },
  }),
  unsubscribe: route({
    method: 'POST',
    path: '/u/{token}',
    fn: 'unsubscribe',
    auth: 'public',
    summary: 'Unsubscribe (RFC 8058 one-click POST, or the confirmation form)',
    params: z.strictObject({ token: z.string().min(1).max(200) }),
    responses: { 200: 'html', 403: ErrorSchema },
  }),
  createPipeline: route({
    method: 'POST',
    path: '/v1/pipelines',
    fn: 'pipelines-api',
    auth: 'admin',
    summary: 'Create a sales pipeline with its ordered stages and win probabilities',
    body: PipelineBody,
    responses: { 201: PipelineSchema },
  }),
  listPipelines: route({
    method: 'GET',
    path: '/v1/pipelines',
    fn: 'pipelines-api',
    auth: 'admin',
    summary: 'List pipelines, newest first',
    query: listQuery,
    responses: { 200: page(PipelineSchema) },
  }),
  getPipeline: route({
    method: 'GET',
    path: '/v1/pipelines/{id}',
    fn: 'pipelines-api',
    auth: 'admin',
    summary: 'Get a pipeline',
    params: idParams,
    responses: { 200: PipelineSchema, 404: ErrorSchema },
  }),
  pipelineBoard: route({
    method: 'GET',
    path: '/v1/pipelines/{id}/board',
    fn: 'pipelines-api',
    auth: 'admin',
    summary: 'Deals by stage with per-currency totals and the probability-weighted forecast',
    params: idParams,
    responses: { 200: BoardSchema, 404: ErrorSchema },
  }),
  createDeal: route({
    method: 'POST',
    path: '/v1/deals',
    fn: 'pipelines-api',
    auth: 'admin',
    summary: 'Create a deal in a pipeline stage',
    body: DealBody,
    responses: { 201: DealSchema, 400: ErrorSchema },
  }),
  getDeal: route({
    method: 'GET',
    path: '/v1/deals/{id}',
    fn: 'pipelines-api',
    auth: 'admin',
    summary: 'Get a deal',
    params: idParams,
    responses: { 200: DealSchema, 404: ErrorSchema },
  }),
  patchDeal: route({
    method: 'PATCH',
    path: '/v1/deals/{id}',
    fn: 'pipelines-api',
    auth: 'admin',
    summary: 'Update a deal or move it to another stage (recorded on the contact timeline, DealStageChanged)',
    params: idParams,
    body: DealPatchBody,
    responses: { 200: DealSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
  createTask: route({
    method: 'POST',
    path: '/v1/tasks',
    fn: 'tasks-api',
    auth: 'admin',
    summary: 'Create a follow-up task; a reminder fires at dueAt',
    body: TaskBody,
    responses: { 201: TaskSchema, 400: ErrorSchema },
  }),
  listTasks: route({
    method: 'GET',
    path: '/v1/tasks',
    fn: 'tasks-api',
    auth: 'admin',
    summary: 'Tasks by status (default open), optionally of one owner and due before a time; soonest first',
    query: z.strictObject({
      limit: limitSchema,
      cursor: cursorSchema,
      status: z.enum(TASK_STATUSES).default('open'),
      owner: ownerSchema.optional(),
      dueBefore: isoDateTime.transform((d) => new Date(d).toISOString()).optional(),
    }),
    responses: { 200: page(TaskSchema) },
  }),
  getTask: route({
    method: 'GET',
    path: '/v1/tasks/{id}',
    fn: 'tasks-api',
    auth: 'admin',
    summary: 'Get a task',
    params: idParams,
    responses: { 200: TaskSchema, 404: ErrorSchema },
  }),
  patchTask: route({
    method: 'PATCH',
    path: '/v1/tasks/{id}',
    fn: 'tasks-api',
    auth: 'admin',
    summary: 'Edit, complete (status done) or reopen a task; `version` must be current',
    params: idParams,
    body: TaskPatchBody,
    responses: { 200: TaskSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
  createFollowUp: route({
    method: 'POST',
    path: '/v1/contacts/{id}/follow-ups',
    fn: 'tasks-api',
    auth: 'admin',
    summary: 'Schedule a one-time follow-up email (EventBridge Scheduler at()); sendAt must be in the future',
    params: idParams,
    body: FollowUpBody,
    responses: { 201: FollowUpSchema, 400: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
  listFollowUps: route({
    method: 'GET',
    path: '/v1/contacts/{id}/follow-ups',
    fn: 'tasks-api',
    auth: 'admin',
    summary: 'The contact’s follow-ups, by send time',
    params: idParams,
    query: listQuery,
    responses: { 200: page(FollowUpSchema), 404: ErrorSchema },
  }),
  cancelFollowUp: route({
    method: 'DELETE',
    path: '/v1/follow-ups/{id}',
    fn: 'tasks-api',
    auth: 'admin',
    summary: 'Cancel a scheduled follow-up (409 once sent)',
    params: idParams,
    responses: { 204: 'empty', 404: ErrorSchema, 409: ErrorSchema },
  }),
  createSegment: route({
    method: 'POST',
    path: '/v1/segments',
    fn: 'segments-api',
    auth: 'admin',
    summary: 'Save a segment: tags (all/any/none), field comparisons, created date, engagement',
    body: z.strictObject({ name: shortText(200), filter: SegmentFilterSchema }),
    responses: { 201: SegmentSchema },
  }),
  listSegments: route({
    method: 'GET',
    path: '/v1/segments',
    fn: 'segments-api',
    auth: 'admin',
    summary: 'List segments, newest first',
    query: listQuery,
    responses: { 200: page(SegmentSchema) },
  }),
  getSegment: route({
    method: 'GET',
    path: '/v1/segments/{id}',
    fn: 'segments-api',
    auth: 'admin',
    summary: 'Get a segment',
    params: idParams,
    responses: { 200: SegmentSchema, 404: ErrorSchema },
  }),
  segmentContacts: route({
    method: 'GET',
    path: '/v1/segments/{id}/contacts',
    fn: 'segments-api',
    auth: 'admin',
    summary: 'One page of the segment’s contacts, read from its most selective index (the plan is returned)',
    params: idParams,
    query: listQuery,
    responses: {
      200: page(ContactSchema).extend({
        plan: z.object({
          sources: z.array(z.record(z.string(), z.string())),
          estimatedCandidates: z.number(),
        }),
        candidatesRead: z.number(),
      }),
      404: ErrorSchema,
    },
  }),
  dashboard: route({
    method: 'GET',
    path: '/v1/reports/dashboard',
    fn: 'segments-api',
    auth: 'admin',
    summary: 'Leads per day by source, tag counts, pipeline value by stage, email engagement, follow-ups due',
    query: z.strictObject({ from: dayParam.optional(), to: dayParam.optional() }),
    responses: { 200: z.object({}).loose() },
  }),
  importContacts: route({
    method: 'POST',
    path: '/v1/contacts/import',
    fn: 'contacts-io',
    auth: 'admin',
    summary: 'Import contacts from CSV (header row; email required; tags separated by ;). Per-row errors.',
    body: z.string(),
    bodyTypes: ['text/csv'],
    responses: { 200: ImportReportSchema, 400: ErrorSchema },
  }),
  exportContacts: route({
    method: 'GET',
    path: '/v1/contacts/export',
    fn: 'contacts-io',
    auth: 'admin',
    summary: 'Export contacts as CSV (formula-injection safe), 5,000 per page; next page in X-Next-Cursor',
    query: z.strictObject({ tag: tagSchema.optional(), cursor: cursorSchema }),
    responses: { 200: 'csv' },
  }),
  openapi: route({
    method: 'GET',
    path: '/v1/openapi.json',
    fn: 'openapi',
    auth: 'admin',
    summary: 'This OpenAPI document',
    responses: { 200: z.object({}).loose() },
  }),
} as const satisfies Record<string, RouteDef>;

export type Api = typeof api;
export type RouteName = keyof Api;
export const routeKey = (r: Pick<RouteDef, 'method' | 'path'>) => `${r.method} ${r.path}`;
