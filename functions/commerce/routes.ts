/** Purchase routes (purchases-api). */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import {
  ErrorSchema,
  idParams,
  isoDateTime,
  listQuery,
  optionalText,
  page,
  type RouteDef,
  route,
} from '#platform/http/route.js';
import { emailSchema, shortText } from '#platform/values.js';
import { currencySchema, MAX_AMOUNT, PurchaseSchema } from './model.js';

const amount = () => z.number().check(z.minimum(0), z.maximum(MAX_AMOUNT));

export const PurchaseBody = z.lazy(() =>
  z.strictObject({
    /** The reporting system, as a short lower-case name (`shop`, `billing`). */
    source: z
      .string()
      .check(z.regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'must be a short lower-case name such as shop')),
    /** That system's own id of the order: reporting it again records nothing new. */
    externalId: z.string().check(z.regex(/^[\x21-\x7e]{1,200}$/, 'must be 1-200 visible ASCII characters')),
    email: emailSchema,
    firstName: optionalText(),
    lastName: optionalText(),
    currency: currencySchema,
    items: z
      .array(
        z.strictObject({
          name: shortText(200),
          sku: optionalText(100),
          quantity: z.int().check(z.minimum(1), z.maximum(100_000)),
          unitPrice: amount(),
        }),
      )
      .check(z.minLength(1), z.maxLength(100)),
    total: z.optional(amount()),
    purchasedAt: z.optional(isoDateTime),
  }),
);

export const purchaseRoutes = {
  recordPurchase: route({
    method: 'POST',
    path: '/v1/purchases',
    fn: 'purchases-api',
    auth: 'admin',
    scopes: ['purchases:write'],
    summary:
      'Record an order another system made (idempotent by source and externalId): on the contact with that email, created when unknown; PurchaseMade',
    body: PurchaseBody,
    responses: { 201: PurchaseSchema, 200: PurchaseSchema, 409: ErrorSchema },
  }),
  listPurchases: route({
    method: 'GET',
    path: '/v1/contacts/{id}/purchases',
    fn: 'purchases-api',
    auth: 'admin',
    scopes: ['purchases:read'],
    summary: 'A contact’s purchases, newest first',
    params: idParams,
    query: listQuery,
    responses: { 200: page(PurchaseSchema), 404: ErrorSchema },
  }),
} as const satisfies Record<string, RouteDef>;
