/** Pipeline and deal routes (pipelines-api). */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import {
  cursorSchema,
  ErrorSchema,
  idParams,
  idSchema,
  limitSchema,
  listQuery,
  ownerSchema,
  page,
  type RouteDef,
  route,
} from '#platform/http/route.js';
import { shortText } from '#platform/values.js';
import {
  BoardSchema,
  DEAL_STATUSES,
  DealListSchema,
  DealSchema,
  ForecastSchema,
  PipelineSchema,
} from './model.js';

const money = z.lazy(() =>
  z.number().check(
    z.nonnegative(),
    z.maximum(1e12),
    z.refine((n) => Math.round(n * 100) / 100 === n, 'at most two decimals'),
  ),
);
const currencySchema = z.lazy(() =>
  z.string().check(z.regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')),
);
const stageName = z.lazy(() => shortText(100));
const lostReason = z.lazy(() => shortText(500));
const wonReason = z.lazy(() => shortText(500));

export const PipelineBody = z.lazy(() =>
  z.strictObject({
    name: shortText(200),
    stages: z
      .array(z.strictObject({ name: stageName, probability: z.number().check(z.minimum(0), z.maximum(1)) }))
      .check(z.minLength(1), z.maxLength(20)),
  }),
);

export const DealBody = z.lazy(() =>
  z.strictObject({
    title: shortText(200),
    amount: money,
    currency: currencySchema,
    pipelineId: idSchema,
    stage: stageName,
    contactId: z.optional(idSchema),
    /** The contact by email instead of id (an unknown email is refused). */
    contactEmail: z.optional(z.email()),
    closeDate: z.optional(z.iso.date()),
    owner: z.optional(ownerSchema),
    lostReason: z.optional(lostReason),
    wonReason: z.optional(wonReason),
  }),
);

export const DealPatchBody = z.lazy(() =>
  z.strictObject({
    version: z.int().check(z.minimum(1)),
    title: z.optional(shortText(200)),
    amount: z.optional(money),
    currency: z.optional(currencySchema),
    stage: z.optional(stageName),
    contactId: z.optional(z.nullable(idSchema)),
    /** The contact by email instead of id (an unknown email is refused). */
    contactEmail: z.optional(z.email()),
    closeDate: z.optional(z.nullable(z.iso.date())),
    owner: z.optional(z.nullable(ownerSchema)),
    /** Only for a deal in (or moved to) a lost stage; cleared when it leaves it. */
    lostReason: z.optional(z.nullable(lostReason)),
    /** Only for a deal in (or moved to) a won stage; cleared when it leaves it. */
    wonReason: z.optional(z.nullable(wonReason)),
  }),
);

export const DealDeleteQuery = z.lazy(() =>
  z.strictObject({ version: z.coerce.number().check(z.int(), z.minimum(1)) }),
);

export const DealListQuery = z.lazy(() =>
  z.strictObject({
    limit: limitSchema,
    cursor: cursorSchema,
    pipelineId: z.optional(idSchema),
    stage: z.optional(stageName),
    owner: z.optional(ownerSchema),
    status: z.optional(z.enum(DEAL_STATUSES)),
  }),
);

export const StagesBody = z.lazy(() =>
  z.strictObject({
    version: z.int().check(z.minimum(1)),
    name: z.optional(shortText(200)),
    stages: z
      .array(
        z.strictObject({
          name: stageName,
          probability: z.number().check(z.minimum(0), z.maximum(1)),
          /** The stage's name before this edit (a rename). */
          previousName: z.optional(stageName),
        }),
      )
      .check(z.minLength(1), z.maxLength(20)),
    /** Where the deals of each removed stage go. */
    moves: z.optional(z.array(z.strictObject({ from: stageName, to: stageName })).check(z.maxLength(20))),
  }),
);

export const salesRoutes = {
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
  pipelineForecast: route({
    method: 'GET',
    path: '/v1/pipelines/{id}/forecast',
    fn: 'pipelines-api',
    auth: 'admin',
    summary:
      "Each stage's history (deals that left it, average days in it, won and lost) and the forecast of open deals from its historical win rate (the static probability until 5 closed deals), with expected close dates, totals per currency",
    params: idParams,
    responses: { 200: ForecastSchema, 404: ErrorSchema },
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
  editStages: route({
    method: 'PUT',
    path: '/v1/pipelines/{id}/stages',
    fn: 'pipelines-api',
    auth: 'admin',
    summary:
      'Rename, reorder, add and remove stages at the pipeline `version` (409 otherwise): `previousName` renames a stage; a removed stage holding deals needs `moves` (to a stage of the same kind: open, won, lost); its deals are moved (DealStageChanged), a renamed stage keeps its deals (DealUpdated), history and dashboard counts',
    params: idParams,
    body: StagesBody,
    responses: { 200: PipelineSchema, 400: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
  listDeals: route({
    method: 'GET',
    path: '/v1/deals',
    fn: 'pipelines-api',
    auth: 'admin',
    summary:
      "The deal list. With `pipelineId`: that pipeline's deals by stage (optionally one `stage`, `owner`, `status`); without: the deals of one `status` (default open), optionally one `owner`'s, by owner then close date. A page may hold fewer deals than `limit` and still have a next cursor (a filter that matches few)",
    query: DealListQuery,
    responses: { 200: DealListSchema, 400: ErrorSchema },
  }),
  deleteDeal: route({
    method: 'DELETE',
    path: '/v1/deals/{id}',
    fn: 'pipelines-api',
    auth: 'admin',
    summary:
      'Delete a deal at its `version` (409 otherwise): DealDeleted; it leaves the board, the forecast and its stage history counts',
    params: idParams,
    query: DealDeleteQuery,
    responses: { 204: 'empty', 404: ErrorSchema, 409: ErrorSchema },
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
} as const satisfies Record<string, RouteDef>;
