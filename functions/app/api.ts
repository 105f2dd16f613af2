/**
 * The HTTP API: every context's routes joined into the one table that the Lambda routers, the local
 * HTTP adapter, the CDK routes and the OpenAPI document are derived from. Each handler imports only
 * its own context's routes (so it bundles only their schemas); this module is for the whole-API users.
 */
import '#platform/zod-messages.js';
import { apiKeyRoutes } from '#access/routes.js';
import { userRoutes } from '#access/user-routes.js';
import { appointmentRoutes, bookingRoutes } from '#appointments/routes.js';
import { workflowRoutes } from '#automation/routes.js';
import { bulkRoutes } from '#bulk/routes.js';
import { campaignRoutes } from '#campaigns/routes.js';
import { formRoutes, publicFormRoutes } from '#capture/routes.js';
import { purchaseRoutes } from '#commerce/routes.js';
import { companyRoutes } from '#companies/routes.js';
import { contactIoRoutes } from '#contacts/export-routes.js';
import { contactRoutes, fieldRoutes } from '#contacts/routes.js';
import { importRoutes } from '#imports/routes.js';
import { reportRoutes } from '#insights/report-routes.js';
import { segmentRoutes } from '#insights/routes.js';
import { articleRoutes, helpRoutes } from '#knowledge/routes.js';
import { followUpRoutes } from '#messaging/follow-up-routes.js';
import { emailSettingsRoutes } from '#messaging/settings-routes.js';
import { templateRoutes } from '#messaging/template-routes.js';
import { unsubscribeRoutes } from '#messaging/unsubscribe-routes.js';
import type { RouteDef } from '#platform/http/route.js';
import { predictionRoutes } from '#predictions/routes.js';
import { contactSalesRoutes } from '#sales/contact-routes.js';
import { salesRoutes } from '#sales/routes.js';
import { taskRoutes } from '#sales/task-routes.js';
import { scoringRoutes } from '#scoring/routes.js';
import { searchRoutes } from '#search/routes.js';
import { csatRoutes } from '#service/csat-routes.js';
import { caseRoutes } from '#service/routes.js';
import { trackingApiRoutes, trackingRoutes } from '#tracking/routes.js';
import { webhookRoutes } from '#webhooks/routes.js';
import { openApiRoutes } from './openapi-routes.js';

export const api = {
  ...contactRoutes,
  ...fieldRoutes,
  ...contactIoRoutes,
  ...importRoutes,
  ...bulkRoutes,
  ...campaignRoutes,
  ...purchaseRoutes,
  ...apiKeyRoutes,
  ...webhookRoutes,
  ...appointmentRoutes,
  ...bookingRoutes,
  ...formRoutes,
  ...publicFormRoutes,
  ...templateRoutes,
  ...emailSettingsRoutes,
  ...followUpRoutes,
  ...unsubscribeRoutes,
  ...workflowRoutes,
  ...salesRoutes,
  ...taskRoutes,
  ...userRoutes,
  ...contactSalesRoutes,
  ...segmentRoutes,
  ...scoringRoutes,
  ...predictionRoutes,
  ...caseRoutes,
  ...csatRoutes,
  ...trackingRoutes,
  ...trackingApiRoutes,
  ...articleRoutes,
  ...companyRoutes,
  ...searchRoutes,
  ...helpRoutes,
  ...reportRoutes,
  ...openApiRoutes,
} as const satisfies Record<string, RouteDef>;

export type Api = typeof api;
export type RouteName = keyof Api;
export const ROUTES = Object.values(api) as RouteDef[];
