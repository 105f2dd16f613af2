/** Email settings routes (email-settings-api): the frequency cap and the subscription types. */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { ErrorSchema, isoDateTime, type RouteDef, route } from '#platform/http/route.js';
import {
  EmailSettingsSchema,
  frequencyCapFields,
  MAX_SUBSCRIPTION_TYPES,
  SUBSCRIPTION_TYPE_ID,
} from './model.js';

export const EmailSettingsBody = z.lazy(() =>
  z.strictObject({
    frequencyCap: z.nullable(z.strictObject(frequencyCapFields())),
    /**
     * Every subscription type, in order (absent: the saved ones are kept). A saved type keeps its
     * `id` (renamed, described); a new one has none (it is made from the name). None may be removed.
     */
    subscriptionTypes: z.optional(
      z
        .array(
          z.strictObject({
            id: z.optional(z.string().check(z.regex(SUBSCRIPTION_TYPE_ID, 'is not a subscription type id'))),
            name: z.string().check(z.trim(), z.minLength(1), z.maxLength(60)),
            description: z.optional(z.string().check(z.trim(), z.maxLength(200))),
          }),
        )
        .check(z.maxLength(MAX_SUBSCRIPTION_TYPES)),
    ),
    /** Links in marketing emails identify the contact to the site's tracking snippet (absent: kept). */
    identifyVisitors: z.optional(z.boolean()),
    /** The site's domains (`example.com`): only links to them carry the token (absent: kept). */
    siteDomains: z.optional(
      z
        .array(
          z.pipe(
            z.pipe(
              z.string(),
              z.transform((d: string) => d.trim().toLowerCase()),
            ),
            z.string().check(
              z.regex(
                // A domain; `localhost` or an IPv4 address for a site on this machine (local mode).
                /^((?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}|localhost|\d{1,3}(\.\d{1,3}){3})$/,
                'must be a domain such as example.com',
              ),
            ),
          ),
        )
        .check(z.maxLength(10)),
    ),
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
      'Save the email settings: at most `max` marketing emails (workflows, campaigns) per contact in any `days` days (null for no cap), and the subscription types (renamed or added, never removed)',
    body: EmailSettingsBody,
    responses: { 200: EmailSettingsSchema, 400: ErrorSchema, 409: ErrorSchema },
  }),
} as const satisfies Record<string, RouteDef>;
