/**
 * Commerce: purchases another system (a shop, a billing system) reports. One schema per record;
 * amounts are decimal numbers in the currency's own minor units (EUR 19.99, JPY 1200), as deals'.
 */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';

/** ISO 4217 codes the runtime knows (Intl), so amounts can be checked against their minor units. */
export const currencySchema = z.lazy(() =>
  z.string().check(
    z.regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR'),
    z.refine((c) => Intl.supportedValuesOf('currency').includes(c), 'is not a known ISO 4217 currency'),
  ),
);

/** How many decimals an amount of `currency` may have (2 for EUR, 0 for JPY, 3 for KWD). */
export const minorDigits = (currency: string) =>
  new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;

/**
 * An amount in the currency's minor units, exactly: read from the number's shortest decimal form
 * (`309248247.34` is 30924824734 cents, though `309248247.34 * 100` is not an integer in floating
 * point); undefined when it has more decimals than the currency.
 */
export function minorUnits(amount: number, currency: string): bigint | undefined {
  const digits = minorDigits(currency);
  const m = /^(\d+)(?:\.(\d+))?$/.exec(String(amount));
  if (!m) return undefined; // exponent notation: far too small or too large to be a price
  const [, whole = '0', fraction = ''] = m;
  if (fraction.length > digits) return undefined;
  return BigInt(whole + fraction.padEnd(digits, '0'));
}

/** An amount (never negative) from its minor units, through its decimal form (30924824735 cents: 309248247.35). */
export function fromMinorUnits(units: bigint, currency: string): number {
  const digits = minorDigits(currency);
  if (digits === 0) return Number(units);
  const scale = 10n ** BigInt(digits);
  return Number(`${units / scale}.${String(units % scale).padStart(digits, '0')}`);
}

/** The largest amount a price or a purchase's total may be. */
export const MAX_AMOUNT = 1_000_000_000;

export const PurchaseItemSchema = z.lazy(() =>
  z
    .object({
      name: z.string(),
      sku: z.optional(z.string()),
      quantity: z.int(),
      unitPrice: z.number(),
    })
    .check(z.meta({ id: 'PurchaseItem' })),
);
export type PurchaseItem = z.infer<typeof PurchaseItemSchema>;

export const PurchaseSchema = z.lazy(() =>
  z
    .object({
      id: z.string(),
      contactId: z.string(),
      /** The system that reported it (`shop`, `billing`…) and its own id of the order. */
      source: z.string(),
      externalId: z.string(),
      items: z.array(PurchaseItemSchema),
      total: z.number(),
      currency: z.string(),
      purchasedAt: z.string(),
      recordedAt: z.string(),
    })
    .check(z.meta({ id: 'Purchase' })),
);
export type Purchase = z.infer<typeof PurchaseSchema>;
