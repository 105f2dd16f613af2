/**
 * Saved views of the contacts list: a name, what the list is filtered by, its order and the columns
 * shown, kept for the whole workspace (docs/contact-lists.md). One schema per record; the request
 * bodies of views-routes.ts are made of the same parts.
 */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { LIFECYCLE_STAGES } from '#platform/events-marketing.js';
import { emailSchema, fieldKeySchema, shortText, tagSchema } from '#platform/values.js';

/** At most this many saved views in a workspace. */
export const MAX_CONTACT_VIEWS = 50;

/**
 * The orders of the list of all contacts and of a tag's contacts: by creation (ids are ULIDs, so the
 * key order of their GSI1 collections), newest first (`-created`, the default) or oldest first; and,
 * for every contact only, by name A→Z (`name`) or Z→A (`-name`), the key order of the name index the
 * search consumer keeps (docs/contact-lists.md).
 */
export const CONTACT_SORTS = ['-created', 'created', 'name', '-name'] as const;
export type ContactSort = (typeof CONTACT_SORTS)[number];
/** The orders by name: every contact only (a tag's contacts have no name index). */
export const NAME_SORTS: readonly ContactSort[] = ['name', '-name'];
export const isNameSort = (sort: ContactSort | undefined) => sort === 'name' || sort === '-name';

/** The likelihood bands a list may show (their bounds: predictions/model.ts, LIKELIHOOD_BANDS). */
export const VIEW_BANDS = ['low', 'medium', 'high'] as const;

/** The list's columns besides the email (always shown); a custom field's is `field:<name>`. */
export const LIST_COLUMNS = [
  'name',
  'company',
  'phone',
  'owner',
  'source',
  'tags',
  'score',
  'stage',
  'likelihood',
  'created',
  'updated',
] as const;
export const FIELD_COLUMN_PREFIX = 'field:';
const MAX_COLUMNS = 40;

/** A column: one of LIST_COLUMNS or `field:<custom field name>`. */
export const columnSchema = z.lazy(() =>
  z
    .string()
    .check(
      z.refine(
        (c) =>
          (LIST_COLUMNS as readonly string[]).includes(c) ||
          (c.startsWith(FIELD_COLUMN_PREFIX) &&
            fieldKeySchema.safeParse(c.slice(FIELD_COLUMN_PREFIX.length)).success),
        `must be one of ${LIST_COLUMNS.join(', ')} or field:<custom field name>`,
      ),
    ),
);

export const columnsSchema = z.lazy(() =>
  z.array(columnSchema).check(
    z.maxLength(MAX_COLUMNS),
    z.refine((c) => new Set(c).size === c.length, 'a column may be listed once'),
  ),
);

/**
 * What a list is filtered by: words to search (`q`), a whole email, a tag, a lifecycle stage or a
 * likelihood band. Each is read from an index of its own, so at most one of them (none: every contact).
 */
export const ContactViewFilterSchema = z.lazy(() =>
  z
    .strictObject({
      q: z.optional(shortText(200)),
      email: z.optional(emailSchema),
      tag: z.optional(tagSchema),
      stage: z.optional(z.enum(LIFECYCLE_STAGES)),
      band: z.optional(z.enum(VIEW_BANDS)),
    })
    .check(
      z.refine((f) => Object.values(f).filter((v) => v !== undefined).length <= 1, {
        message: 'filter by one of q, email, tag, stage and band, not several',
      }),
      z.meta({ id: 'ContactViewFilter' }),
    ),
);
export type ContactViewFilter = z.infer<typeof ContactViewFilterSchema>;

/**
 * A sort applies to every contact and to a tag's contacts (the other lists have their own order); an
 * order by name to every contact only.
 */
export const sortsWith = (filter: ContactViewFilter, sort?: ContactSort) =>
  filter.q === undefined &&
  filter.email === undefined &&
  filter.stage === undefined &&
  filter.band === undefined &&
  !(filter.tag !== undefined && isNameSort(sort));

export const ContactViewSchema = z.lazy(() =>
  z
    .object({
      id: z.string(),
      name: z.string(),
      filter: ContactViewFilterSchema,
      /** Absent: the list's own order (a search, a stage, a band). */
      sort: z.optional(z.enum(CONTACT_SORTS)),
      /** The columns shown, in order (the email always comes first). */
      columns: z.array(z.string()),
      version: z.int(),
      createdAt: z.string(),
      updatedAt: z.string(),
    })
    .check(z.meta({ id: 'ContactView' })),
);
export type ContactView = z.infer<typeof ContactViewSchema>;

/** How many contacts a list holds, from the counters events keep (insights/counters.ts). */
export const ContactCountSchema = z.lazy(() =>
  z
    .object({
      count: z.int(),
      /** What was counted: every contact, a tag's or a lifecycle stage's. */
      of: z.enum(['all', 'tag', 'stage']),
    })
    .check(z.meta({ id: 'ContactCount' })),
);
export type ContactCount = z.infer<typeof ContactCountSchema>;
