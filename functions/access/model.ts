/**
 * Access for machine clients: API keys an admin creates for another system (a shop, a billing
 * system), each with the scopes it may use. The key itself is shown once; only its SHA-256 is kept.
 */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { API_SCOPES } from '#platform/http/api-keys.js';

export const ApiKeySchema = z.lazy(() =>
  z
    .object({
      id: z.string(),
      name: z.string(),
      scopes: z.array(z.enum(API_SCOPES)),
      /** The key's last characters, to recognise it (`tdk_…x7Qa9z`). */
      hint: z.string(),
      createdAt: z.string(),
      lastUsedAt: z.optional(z.string()),
      revokedAt: z.optional(z.string()),
    })
    .check(z.meta({ id: 'ApiKey' })),
);
export type ApiKey = z.infer<typeof ApiKeySchema>;

/**
 * A person who signs in (the Cognito user pool in the cloud, local mode's user list on one machine):
 * who may own contacts, deals and tasks. `id` is Cognito's `sub` (stable; the username is not).
 */
export const UserSchema = z.lazy(() =>
  z
    .object({
      id: z.string(),
      name: z.string(),
      email: z.string(),
    })
    .check(z.meta({ id: 'User' })),
);
export type User = z.infer<typeof UserSchema>;
