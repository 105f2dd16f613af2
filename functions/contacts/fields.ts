/** Comparisons on custom fields, shared by workflow branches and segment filters. */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { fieldKeySchema, fieldValueSchema, ownValue } from '#platform/values.js';
import type { FieldValue } from './model.js';

export const FIELD_OPERATORS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'contains', 'exists'] as const;
export type FieldOperator = (typeof FIELD_OPERATORS)[number];

export const fieldComparisonSchema = z.lazy(() =>
  z
    .strictObject({
      field: fieldKeySchema,
      op: z.enum(FIELD_OPERATORS),
      value: z.optional(fieldValueSchema),
    })
    .check(
      z.refine((c) => (c.op === 'exists') === (c.value === undefined), {
        message: '`value` is required, except with op `exists`',
        path: ['value'],
      }),
    ),
);

const asNumber = (v: FieldValue | undefined): number | undefined => {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string' || v.trim() === '') return undefined;
  const n = Number(v.trim());
  return Number.isFinite(n) ? n : undefined;
};
const asBoolean = (v: FieldValue | undefined): boolean | undefined => {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
};
const DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?$/;
const asDate = (v: FieldValue | undefined) =>
  typeof v === 'string' && DATE.test(v) ? v.slice(0, 10) : undefined;

/**
 * Compares a custom-field value by type: numbers as numbers (also a number stored as text before
 * its field was typed), dates (YYYY-MM-DD) in date order, booleans as booleans; `contains` is
 * case-insensitive on text.
 */
export function compareField(
  actual: FieldValue | undefined,
  op: FieldOperator,
  value: FieldValue | undefined,
): boolean {
  if (op === 'exists') return actual !== undefined;
  if (actual === undefined || value === undefined) return op === 'neq' && actual !== value;
  if (op === 'contains') {
    return (
      typeof actual === 'string' &&
      typeof value === 'string' &&
      actual.toLowerCase().includes(value.toLowerCase())
    );
  }
  const [na, nv] = [asNumber(actual), asNumber(value)];
  const [da, dv] = [asDate(actual), asDate(value)];
  const [ba, bv] = [asBoolean(actual), asBoolean(value)];
  // Two texts are equal only as written ("02134" is not "2134"); a number on either side compares as numbers.
  const textual = typeof actual === 'string' && typeof value === 'string' && (op === 'eq' || op === 'neq');
  let order: number | undefined;
  if (textual) order = undefined;
  else if (na !== undefined && nv !== undefined) order = na - nv;
  else if (da !== undefined && dv !== undefined) order = da.localeCompare(dv);
  else if (ba !== undefined && bv !== undefined) order = Number(ba) - Number(bv);
  if (op === 'eq') return order !== undefined ? order === 0 : actual === value;
  if (op === 'neq') return order !== undefined ? order !== 0 : actual !== value;
  if (order === undefined || (ba !== undefined && bv !== undefined)) return false;
  if (op === 'gt') return order > 0;
  if (op === 'gte') return order >= 0;
  if (op === 'lt') return order < 0;
  return order <= 0;
}

export const matchesComparison = (fields: Record<string, FieldValue>, c: FieldComparison) =>
  compareField(ownValue(fields, c.field), c.op, c.value);

export type FieldComparison = z.output<typeof fieldComparisonSchema>;
