/**
 * Site and product tracking: what the snippet sends (a page view or a custom event of a visitor),
 * what is kept of it (raw hits that expire, a contact's lasting summary), and the product events
 * another system reports. One zod schema per record; the types derive from them.
 */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { emailSchema, isInheritedName } from '#platform/values.js';

/** How long raw hits (page views, events) are kept; the summary and the scores they gave stay. */
export const RAW_RETENTION_DAYS = 90;

/** A visitor id the snippet makes (random, base64url) — never a person's data. */
export const VISITOR_ID = /^[A-Za-z0-9_-]{16,64}$/;
/** A custom event's name: `signed_up`, `plan.upgraded`, `video:played`. */
export const EVENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
const EVENT_NAME_RULE = 'must be 1-64 letters, digits, _ . : or -, such as signed_up';

const url = () =>
  z.string().check(
    z.maxLength(2000),
    z.refine((value) => {
      try {
        const u = new URL(value);
        return u.protocol === 'https:' || u.protocol === 'http:';
      } catch {
        return false;
      }
    }, 'must be an http(s) URL'),
  );

/** A custom event's properties: at most 20 short scalar values. */
const properties = () =>
  z.optional(
    z
      .record(
        z.string().check(
          z.regex(/^[A-Za-z0-9_.-]{1,40}$/, 'must be a short property name'),
          // `constructor`, `toString`…: names every object has are no property of an event.
          z.refine((name) => !isInheritedName(name), 'is a reserved name'),
        ),
        z.union([z.string().check(z.maxLength(200)), z.number(), z.boolean()]),
      )
      .check(z.refine((p) => Object.keys(p).length <= 20, 'may have at most 20 properties')),
  );

/** What the snippet posts to `/t/collect` (as `text/plain`, so a browser sends it without a preflight). */
export const CollectBodySchema = z.lazy(() =>
  z
    .strictObject({
      /** The visitor (the snippet keeps it in the site's localStorage once the visitor consented). */
      v: z.string().check(z.regex(VISITOR_ID, 'must be a visitor id')),
      t: z.enum(['page', 'event']),
      url: url(),
      ref: z.optional(z.string().check(z.maxLength(2000))),
      title: z.optional(z.string().check(z.maxLength(300))),
      /** The custom event's name (`t: event`). */
      name: z.optional(z.string().check(z.regex(EVENT_NAME, EVENT_NAME_RULE))),
      props: properties(),
      /** The contact token of the email link the visitor arrived by (`_tc`). */
      ct: z.optional(z.string().check(z.maxLength(200))),
      /**
       * The visitor token the snippet keeps once its visitor is known (an answer gave it): the hit
       * is that contact's without a read. One that does not verify identifies nobody.
       */
      vt: z.optional(z.string().check(z.maxLength(200))),
      /**
       * Set for a while after the visitor submitted a form or followed an email link: the snippet
       * reads the answer, and the endpoint looks the visitor up to give it its visitor token.
       */
      ask: z.optional(z.boolean()),
    })
    .check(
      z.refine((b) => b.t !== 'event' || b.name !== undefined, {
        message: 'an event needs a name',
        path: ['name'],
      }),
    ),
);
export type CollectBody = z.infer<typeof CollectBodySchema>;

/** The answer to a hit of a known visitor that the snippet reads (`ct` or `ask`): its visitor token. */
export const CollectAnswerSchema = z.lazy(() =>
  z.object({ vt: z.string() }).check(z.meta({ id: 'CollectAnswer' })),
);
export type CollectAnswer = z.infer<typeof CollectAnswerSchema>;

/** One page view or custom event, as kept (raw: it expires). */
export const VisitSchema = z.lazy(() =>
  z
    .object({
      id: z.string(),
      at: z.string(),
      type: z.enum(['page', 'event']),
      /** The page's URL without its query's personal parameters (`_tc`). */
      url: z.optional(z.string()),
      path: z.optional(z.string()),
      title: z.optional(z.string()),
      referrer: z.optional(z.string()),
      name: z.optional(z.string()),
      properties: z.optional(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]))),
      /** Where it came from: the site's snippet or another system (POST /v1/events). */
      source: z.enum(['site', 'api']),
    })
    .check(z.meta({ id: 'Visit' })),
);
export type Visit = z.infer<typeof VisitSchema>;

/** What stays of a contact's site and product activity after the raw hits expire. */
export const WebSummarySchema = z.lazy(() =>
  z
    .object({
      pageViews: z.int(),
      events: z.int(),
      firstSeenAt: z.optional(z.string()),
      lastSeenAt: z.optional(z.string()),
    })
    .check(z.meta({ id: 'WebSummary' })),
);
export type WebSummary = z.infer<typeof WebSummarySchema>;

export const ContactVisitsSchema = z.lazy(() =>
  z
    .object({ summary: WebSummarySchema, items: z.array(VisitSchema), nextCursor: z.optional(z.string()) })
    .check(z.meta({ id: 'ContactVisits' })),
);
export type ContactVisits = z.infer<typeof ContactVisitsSchema>;

/** A product event another system reports for a contact (POST /v1/events). */
export const ProductEventBodySchema = z.lazy(() =>
  z.strictObject({
    email: emailSchema,
    name: z.string().check(z.regex(EVENT_NAME, EVENT_NAME_RULE)),
    properties: properties(),
    occurredAt: z.optional(z.iso.datetime({ offset: true })),
  }),
);
export type ProductEventBody = z.infer<typeof ProductEventBodySchema>;
