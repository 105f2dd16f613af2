/** Campaign routes (campaigns-api): drafts, sending now or at a time, progress, pause and resume, cancel. */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import {
  ErrorSchema,
  idParams,
  idSchema,
  isoDateTime,
  listQuery,
  page,
  type RouteDef,
  route,
} from '#platform/http/route.js';
import { shortText, tagSchema } from '#platform/values.js';
import { AudienceSizeSchema, CampaignSchema, CampaignViewSchema, VARIANT_IDS } from './model.js';

export const CampaignBody = z.lazy(() =>
  z.strictObject({
    name: shortText(200),
    audience: AudienceBody,
    excludeSegmentIds: z.optional(z.array(idSchema).check(z.maxLength(10))),
    /** The template sent (required unless `abTest` names the variants' templates). */
    templateId: z.optional(idSchema),
    abTest: z.optional(AbTestBody),
    /** One of the email settings' subscription types (absent: the email belongs to none). */
    subscriptionType: z.optional(z.string().check(z.minLength(1), z.maxLength(40))),
  }),
);

/** 2–4 variants; `testPercent` of the audience split evenly between them; the winner after `waitHours`. */
const AbTestBody = z.lazy(() =>
  z.strictObject({
    variants: z
      .array(
        z.strictObject({
          templateId: idSchema,
          subject: z.optional(z.string().check(z.maxLength(200))),
        }),
      )
      .check(z.minLength(2), z.maxLength(4)),
    testPercent: z.int().check(z.gte(2), z.lte(80)),
    winnerBy: z.enum(['opens', 'clicks']),
    waitHours: z.number().check(z.gte(1), z.lte(168)),
  }),
);

export const WinnerBody = z.lazy(() => z.strictObject({ variant: z.enum(VARIANT_IDS) }));

/**
 * When a draft starts sending: `at` an instant, or `localTime` a date and time in each contact's
 * time zone (contacts without one: `fallbackTimeZone`). One of the two.
 */
export const CampaignScheduleBody = z.lazy(() =>
  z.strictObject({
    at: z.optional(isoDateTime),
    localTime: z.optional(
      z.strictObject({
        date: z.string().check(z.regex(/^\d{4}-\d{2}-\d{2}$/, 'a date such as 2026-12-05')),
        time: z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time of day such as 09:00')),
        fallbackTimeZone: z.string().check(z.minLength(1), z.maxLength(64)),
      }),
    ),
  }),
);

const AudienceBody = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('tag'), tag: tagSchema }),
    z.strictObject({ kind: z.literal('segment'), segmentId: idSchema }),
  ]),
);

export const campaignRoutes = {
  audienceSize: route({
    method: 'POST',
    path: '/v1/campaigns/audience-size',
    fn: 'campaigns-api',
    auth: 'admin',
    summary:
      'How many contacts an audience holds, from the counters: a tag’s count, or at most so many in a segment (before exclusions)',
    body: AudienceBody,
    responses: { 200: AudienceSizeSchema, 400: ErrorSchema, 404: ErrorSchema },
  }),
  createCampaign: route({
    method: 'POST',
    path: '/v1/campaigns',
    fn: 'campaigns-api',
    auth: 'admin',
    summary: 'Create a draft campaign: one template to a tag or a segment, minus exclusion segments',
    body: CampaignBody,
    responses: { 201: CampaignSchema, 400: ErrorSchema, 404: ErrorSchema },
  }),
  listCampaigns: route({
    method: 'GET',
    path: '/v1/campaigns',
    fn: 'campaigns-api',
    auth: 'admin',
    summary: 'Campaigns, newest first, with their progress',
    query: listQuery,
    responses: { 200: z.lazy(() => page(CampaignViewSchema)), 400: ErrorSchema },
  }),
  getCampaign: route({
    method: 'GET',
    path: '/v1/campaigns/{id}',
    fn: 'campaigns-api',
    auth: 'admin',
    summary: 'A campaign with its status and progress (sent to, left out, failed, of the audience)',
    params: idParams,
    responses: { 200: CampaignViewSchema, 404: ErrorSchema },
  }),
  updateCampaign: route({
    method: 'PUT',
    path: '/v1/campaigns/{id}',
    fn: 'campaigns-api',
    auth: 'admin',
    summary: 'Edit a draft campaign',
    params: idParams,
    body: CampaignBody,
    responses: { 200: CampaignSchema, 400: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
  sendCampaign: route({
    method: 'POST',
    path: '/v1/campaigns/{id}/send',
    fn: 'campaigns-api',
    auth: 'admin',
    summary:
      'Send a draft now: its audience is paged into chunks and sent at the campaigns’ send rate, once per contact',
    params: idParams,
    responses: { 202: CampaignViewSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
  scheduleCampaign: route({
    method: 'POST',
    path: '/v1/campaigns/{id}/schedule',
    fn: 'campaigns-api',
    auth: 'admin',
    summary:
      'Schedule a draft to start sending at a time, or at a local time in each contact’s time zone (at least a minute, at most a year ahead)',
    params: idParams,
    body: CampaignScheduleBody,
    responses: { 200: CampaignSchema, 400: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
  unscheduleCampaign: route({
    method: 'POST',
    path: '/v1/campaigns/{id}/unschedule',
    fn: 'campaigns-api',
    auth: 'admin',
    summary: 'Make a scheduled campaign a draft again (to edit it or send it now)',
    params: idParams,
    responses: { 200: CampaignSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
  pauseCampaign: route({
    method: 'POST',
    path: '/v1/campaigns/{id}/pause',
    fn: 'campaigns-api',
    auth: 'admin',
    summary: 'Pause a campaign being sent: contacts not reached yet wait until it is resumed',
    params: idParams,
    responses: { 200: CampaignViewSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
  resumeCampaign: route({
    method: 'POST',
    path: '/v1/campaigns/{id}/resume',
    fn: 'campaigns-api',
    auth: 'admin',
    summary: 'Resume a paused campaign where it stopped (nobody is sent to twice)',
    params: idParams,
    responses: { 200: CampaignViewSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
  chooseWinner: route({
    method: 'POST',
    path: '/v1/campaigns/{id}/winner',
    fn: 'campaigns-api',
    auth: 'admin',
    summary:
      'Choose an A/B campaign’s winner now (its test share sent), instead of waiting for the best rate: it is sent to the rest',
    params: idParams,
    body: WinnerBody,
    responses: { 200: CampaignViewSchema, 400: ErrorSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
  cancelCampaign: route({
    method: 'POST',
    path: '/v1/campaigns/{id}/cancel',
    fn: 'campaigns-api',
    auth: 'admin',
    summary:
      'Cancel a draft or a scheduled campaign, or stop one being sent (contacts not reached get nothing)',
    params: idParams,
    responses: { 200: CampaignViewSchema, 404: ErrorSchema, 409: ErrorSchema },
  }),
} as const satisfies Record<string, RouteDef>;
