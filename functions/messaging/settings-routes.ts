/** Email settings routes (email-settings-api): the frequency cap. */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { ErrorSchema, isoDateTime, type RouteDef, route } from '#platform/http/route.js';
import { EmailSettingsSchema, frequencyCapFields } from './model.js';

export const EmailSettingsBody = z.lazy(() =>
  z.strictObject({
    frequencyCap: z.nullable(z.strictObject(frequencyCapFields())),
    /** The settings' `updatedAt` this edit started from: saved only if nobody saved since (409). */
    expectedUpdatedAt: z.optional(isoDateTime),
  }),
);

export const emailSettingsRoutes = {
  getEmailSettings: route({
    method: 'GET',
    path: '/v1/settings/email',
    fn: 'email-settings-api',
    auth: 'admin',
    summary: 'The email settings: the frequency cap on marketing emails (absent: none)',
    responses: { 200: EmailSettingsSchema },
  }),
  saveEmailSettings: route({
    method: 'PUT',
    path: '/v1/settings/email',
    fn: 'email-settings-api',
    auth: 'admin',
    summary:
      'Save the email settings: at most `max` marketing emails (workflows, campaigns) per contact in any `days` days; null for no cap',
    body: EmailSettingsBody,
    responses: { 200: EmailSettingsSchema, 400: ErrorSchema, 409: ErrorSchema },
  }),
} as const satisfies Record<string, RouteDef>;
