/** Value rules shared by the domain and the API contract (normalization happens here, once). */
import * as z from 'zod';

export const MAX_TAGS_PER_REQUEST = 25;
export const MAX_CUSTOM_FIELDS = 50;

export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

export function normalizeTag(raw: string): string {
  return raw.trim().toLowerCase().replace(/\s+/g, ' ');
}

export const emailSchema = z
  .string()
  .max(254)
  .transform(normalizeEmail)
  .pipe(z.email({ message: 'must be a valid email address' }));

export const tagSchema = z
  .string()
  .transform(normalizeTag)
  .pipe(
    z
      .string()
      .min(1, 'must not be empty')
      .max(64)
      .regex(/^[a-z0-9][a-z0-9 _:.-]*$/, 'may contain letters, digits, space and _ : . -'),
  );

export const tagListSchema = z.array(tagSchema).max(MAX_TAGS_PER_REQUEST);

export const fieldKeySchema = z
  .string()
  .regex(/^[a-zA-Z][a-zA-Z0-9_]{0,63}$/, 'must start with a letter and contain only letters, digits and _');

export const fieldValueSchema = z.union([z.string().max(2000), z.number().finite(), z.boolean()]);

export const customFieldsSchema = z
  .record(fieldKeySchema, fieldValueSchema)
  .refine((f) => Object.keys(f).length <= MAX_CUSTOM_FIELDS, `at most ${MAX_CUSTOM_FIELDS} custom fields`);

export const shortText = (max = 200) => z.string().trim().min(1).max(max);

export function uniqueSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}
