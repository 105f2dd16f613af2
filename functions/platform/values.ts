/** Value rules shared by the domain and the API contract (normalization happens here, once). */
import * as z from 'zod/mini';
import './zod-messages.js';

export const MAX_TAGS_PER_REQUEST = 25;
export const MAX_CUSTOM_FIELDS = 50;

export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

export function normalizeTag(raw: string): string {
  return raw.trim().toLowerCase().replace(/\s+/g, ' ');
}

export const emailSchema = z.lazy(() =>
  z.pipe(
    z.pipe(z.string().check(z.maxLength(254)), z.transform(normalizeEmail)),
    z.email({ message: 'must be a valid email address' }),
  ),
);

export const tagSchema = z.lazy(() =>
  z.pipe(
    z.pipe(z.string(), z.transform(normalizeTag)),
    z
      .string()
      .check(
        z.minLength(1, 'must not be empty'),
        z.maxLength(64),
        z.regex(/^[a-z0-9][a-z0-9 _:.-]*$/, 'may contain letters, digits, space and _ : . -'),
      ),
  ),
);

export const tagListSchema = z.lazy(() => z.array(tagSchema).check(z.maxLength(MAX_TAGS_PER_REQUEST)));

/** Names every object inherits (`constructor`, `toString`, …): never a field name. */
const INHERITED_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));
export const isInheritedName = (name: string) => INHERITED_NAMES.has(name);

export const fieldKeySchema = z.lazy(() =>
  z.string().check(
    z.regex(
      /^[a-zA-Z][a-zA-Z0-9_]{0,63}$/,
      'must start with a letter and contain only letters, digits and _',
    ),
    z.refine((name) => !isInheritedName(name), 'is a reserved name'),
  ),
);

/** A record's own value under `name` (never one inherited from Object.prototype). */
export const ownValue = <T>(record: Record<string, T>, name: string): T | undefined =>
  Object.hasOwn(record, name) ? record[name] : undefined;

export const fieldValueSchema = z.lazy(() =>
  z.union([z.string().check(z.maxLength(2000)), z.number(), z.boolean()]),
);

export const customFieldsSchema = z.lazy(() =>
  z
    .record(fieldKeySchema, fieldValueSchema)
    .check(
      z.refine(
        (f) => Object.keys(f).length <= MAX_CUSTOM_FIELDS,
        `at most ${MAX_CUSTOM_FIELDS} custom fields`,
      ),
    ),
);

export const shortText = (max = 200) => z.string().check(z.trim(), z.minLength(1), z.maxLength(max));

/** Text without its accents ("Événements" → "Evenements"). */
export const unaccented = (text: string) => text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');

/** Lower-case words joined by dashes, at most `max` characters ("Spring sale!" → `spring-sale`); `fallback` when none. */
export const slug = (text: string, max: number, fallback: string): string =>
  unaccented(text)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max) || fallback;

export function uniqueSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}
