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

/** Compares a custom-field value: `contains` is case-insensitive on strings; order ops need numbers. */
export function compareField(
  actual: FieldValue | undefined,
  op: FieldOperator,
  value: FieldValue | undefined,
): boolean {
  switch (op) {
    case 'exists':
      return actual !== undefined;
    case 'eq':
      return actual === value;
    case 'neq':
      return actual !== value;
    case 'contains':
      return (
        typeof actual === 'string' &&
        typeof value === 'string' &&
        actual.toLowerCase().includes(value.toLowerCase())
      );
    default: {
      if (typeof actual !== 'number' || typeof value !== 'number') return false;
      if (op === 'gt') return actual > value;
      if (op === 'gte') return actual >= value;
      if (op === 'lt') return actual < value;
      return actual <= value;
    }
  }
}

export const matchesComparison = (fields: Record<string, FieldValue>, c: FieldComparison) =>
  compareField(ownValue(fields, c.field), c.op, c.value);

export type FieldComparison = z.output<typeof fieldComparisonSchema>;
