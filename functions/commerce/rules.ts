/**
 * Recording a purchase another system reports: on the contact with that email (created when
 * unknown), on its timeline, as a `PurchaseMade` event — once per (source, external id). Reporting
 * the same order again answers what was recorded; reporting it again with other contents is a
 * conflict, so a retry can never change an order after the fact.
 */
import type { Activity } from '#contacts/model.js';
import { getContact, upsertContactWrites } from '#contacts/rules.js';
import { conflict, validationError } from '#platform/errors.js';
import { withOptimisticRetry } from '#platform/retry.js';
import { CommitConflict, emit, type ListOptions, type Page } from '#platform/store.js';
import { normalizeEmail } from '#platform/values.js';
import {
  fromMinorUnits,
  MAX_AMOUNT,
  minorDigits,
  minorUnits,
  type Purchase,
  type PurchaseItem,
} from './model.js';
import type { CommerceDeps } from './store.js';

export interface NewPurchase {
  source: string;
  externalId: string;
  email: string;
  firstName?: string | undefined;
  lastName?: string | undefined;
  currency: string;
  items: PurchaseItem[];
  /** When given, it must be the items' sum. */
  total?: number | undefined;
  purchasedAt?: string | undefined;
}

const EARLIEST = Date.parse('2000-01-01T00:00:00Z');

/**
 * The items' total, checked: each price in the currency's minor units, the sum at most MAX_AMOUNT,
 * a given total equal to it, a purchase time that is neither before 2000 nor in the future.
 */
function totalOf(input: NewPurchase, now: Date): number {
  const digits = minorDigits(input.currency);
  const minor = (amount: number, path: string): bigint => {
    const units = minorUnits(amount, input.currency);
    if (units === undefined)
      throw validationError(`${input.currency} amounts have at most ${digits} decimals`, [
        {
          path,
          code: 'too_many_decimals',
          message: `must have at most ${digits} decimals for ${input.currency}`,
        },
      ]);
    return units;
  };
  const sum = input.items.reduce(
    (acc, item, i) => acc + minor(item.unitPrice, `items.${i}.unitPrice`) * BigInt(item.quantity),
    0n,
  );
  if (sum > BigInt(MAX_AMOUNT) * 10n ** BigInt(digits))
    throw validationError('the order is larger than a purchase may be', [
      { path: 'items', code: 'too_big', message: `must add up to at most ${MAX_AMOUNT} ${input.currency}` },
    ]);
  if (input.total !== undefined && minor(input.total, 'total') !== sum)
    throw validationError('the total is not the sum of the items', [
      {
        path: 'total',
        code: 'total_mismatch',
        message: `must be ${fromMinorUnits(sum, input.currency)}, the sum of quantity × unitPrice`,
      },
    ]);
  if (input.purchasedAt !== undefined) {
    const at = Date.parse(input.purchasedAt);
    if (at < EARLIEST || at > now.getTime() + 24 * 3600 * 1000)
      throw validationError('the purchase time is out of range', [
        { path: 'purchasedAt', code: 'out_of_range', message: 'must be after 2000 and not in the future' },
      ]);
  }
  return fromMinorUnits(sum, input.currency);
}

/** The same order again: its contact (unless that contact was erased since), items, total and time. */
const sameOrder = (
  recorded: Purchase,
  input: NewPurchase,
  total: number,
  contact: string | undefined | 'erased',
) =>
  (contact === 'erased' || recorded.contactId === contact) &&
  recorded.currency === input.currency &&
  recorded.total === total &&
  JSON.stringify(recorded.items) === JSON.stringify(input.items) &&
  (input.purchasedAt === undefined || recorded.purchasedAt === new Date(input.purchasedAt).toISOString());

/** The recorded purchase of this order: a repeat of it, or a conflict when its contents differ. */
async function repeated(deps: CommerceDeps, input: NewPurchase, total: number, recorded: Purchase) {
  const [contactId, recordedContact] = await Promise.all([
    deps.store.findContactIdByEmail(input.email),
    deps.store.getContact(recorded.contactId),
  ]);
  // A buyer erased since (GDPR) cannot be compared: the rest of the order must match.
  if (!sameOrder(recorded, input, total, recordedContact ? contactId : 'erased'))
    throw conflict(
      'purchase_conflict',
      `order ${input.externalId} of ${input.source} was recorded with other contents`,
      { purchaseId: recorded.id },
    );
  return { purchase: recorded, created: false };
}

export async function recordPurchase(
  deps: CommerceDeps,
  input: NewPurchase,
): Promise<{ purchase: Purchase; created: boolean }> {
  const total = totalOf(input, deps.clock.now());
  input = { ...input, email: normalizeEmail(input.email) };
  const recorded = await deps.store.getPurchaseByRef(input.source, input.externalId);
  if (recorded) return repeated(deps, input, total, recorded);
  try {
    return await withOptimisticRetry(
      () => commitPurchase(deps, input, total),
      (c) => c.part !== 'ref',
    );
  } catch (err) {
    // The same order reported twice at once: the other report recorded it.
    if (!(err instanceof CommitConflict) || err.part !== 'ref') throw err;
    const first = await deps.store.getPurchaseByRef(input.source, input.externalId);
    if (!first) throw err;
    return repeated(deps, input, total, first);
  }
}

async function commitPurchase(deps: CommerceDeps, input: NewPurchase, total: number) {
  const now = deps.clock.now();
  const at = now.toISOString();
  const existingId = await deps.store.findContactIdByEmail(input.email);
  const existing = existingId ? await deps.store.getContact(existingId) : undefined;
  const suppression = existing ? undefined : await deps.store.getSuppression(input.email);
  const { contactId, writes } = upsertContactWrites(
    deps,
    existing,
    {
      email: input.email,
      ...(input.firstName ? { firstName: input.firstName } : {}),
      ...(input.lastName ? { lastName: input.lastName } : {}),
      source: `purchase:${input.source}`,
    },
    now,
    undefined,
    suppression,
  );
  const purchase: Purchase = {
    id: deps.ids.next(),
    contactId,
    source: input.source,
    externalId: input.externalId,
    items: input.items,
    total,
    currency: input.currency,
    purchasedAt: input.purchasedAt ? new Date(input.purchasedAt).toISOString() : at,
    recordedAt: at,
  };
  const count = input.items.reduce((n, item) => n + item.quantity, 0);
  const activity: Activity = {
    id: deps.ids.next(),
    contactId,
    type: 'purchase',
    body: `Bought ${count} item${count === 1 ? '' : 's'} (${input.source} order ${input.externalId})`,
    amount: total,
    currency: input.currency,
    occurredAt: purchase.purchasedAt,
    recordedAt: at,
    data: { purchaseId: purchase.id, source: input.source, externalId: input.externalId },
  };
  await deps.store.commit([
    { kind: 'recordPurchase', purchase },
    ...writes,
    { kind: 'putActivity', activity, checkContact: false },
    emit(deps, now, 'PurchaseMade', {
      purchaseId: purchase.id,
      contactId,
      source: input.source,
      total,
      currency: input.currency,
      created: !existing,
    }),
  ]);
  return { purchase, created: true };
}

/** A contact's purchases, newest first (a 404 for a contact that does not exist). */
export async function listPurchases(
  deps: CommerceDeps,
  contactId: string,
  options: ListOptions,
): Promise<Page<Purchase>> {
  await getContact(deps, contactId);
  return deps.store.listPurchases(contactId, options);
}
