/**
 * Segments: saved filters over contacts (tags all/any/none, custom-field comparisons, created date,
 * recent engagement). Evaluation reads candidates from the most selective index the filter allows,
 * estimated from the dashboard counters (contacts per tag, new contacts per day, total contacts),
 * then checks the whole filter on each candidate. Cost grows with the candidates, not the table.
 * See docs/data-model.md ("Segment evaluation").
 */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';
import { matchesComparison } from '#contacts/fields.js';
import type { Contact } from '#contacts/model.js';
import { DomainError, notFound } from '#platform/errors.js';
import type { ListOptions, Page } from '#platform/store.js';
import { COUNTER_GROUPS, tagCounts } from './counters.js';
import type { Segment, SegmentFilter } from './model.js';
import type { CandidateSource, InsightsDeps } from './store.js';

const DAY_MS = 24 * 3600 * 1000;
/** Candidates read per request at most: a page may come back short, with a cursor to continue. */
export const MAX_CANDIDATES_PER_PAGE = 2000;

export interface Plan {
  /** Read in order; with several (tags.any), a contact is kept from the first source it appears in. */
  sources: CandidateSource[];
  estimatedCandidates: number;
}

export async function createSegment(
  deps: InsightsDeps,
  input: { name: string; filter: SegmentFilter },
): Promise<Segment> {
  const at = deps.clock.now().toISOString();
  const segment: Segment = {
    id: deps.ids.next(),
    name: input.name,
    filter: input.filter,
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  await deps.store.commit([{ kind: 'putSegment', segment }]);
  return segment;
}

export async function getSegment(deps: InsightsDeps, id: string): Promise<Segment> {
  const segment = await deps.store.getSegment(id);
  if (!segment) throw notFound('segment', id);
  return segment;
}

export const listSegments = (deps: InsightsDeps, options: ListOptions): Promise<Page<Segment>> =>
  deps.store.listSegments(options);

/** Absolute bounds of the filter's time criteria, at `now`. */
function bounds(filter: SegmentFilter, now: Date) {
  const created = filter.created;
  const after =
    created?.withinDays !== undefined
      ? new Date(now.getTime() - created.withinDays * DAY_MS).toISOString()
      : created?.after;
  const engagedSince = filter.engagement
    ? new Date(now.getTime() - filter.engagement.withinDays * DAY_MS).toISOString()
    : undefined;
  return { createdAfter: after, createdBefore: created?.before, engagedSince };
}

/** Every plan the filter allows, with its estimated candidate count. */
async function possiblePlans(deps: InsightsDeps, filter: SegmentFilter, now: Date): Promise<Plan[]> {
  const b = bounds(filter, now);
  const needTags = (filter.tags?.all?.length ?? 0) + (filter.tags?.any?.length ?? 0) > 0;
  const [tags, totals, leads] = await Promise.all([
    needTags ? tagCounts(deps) : new Map<string, number>(),
    deps.store.getCounters(COUNTER_GROUPS.totals),
    b.createdAfter || b.createdBefore
      ? deps.store.getCounters(COUNTER_GROUPS.leads, {
          from: (b.createdAfter ?? '0000').slice(0, 10),
          to: `${(b.createdBefore ?? '9999').slice(0, 10)}\uffff`,
        })
      : Promise.resolve([]),
  ]);
  const total = totals.find((t) => t.bucket === 'contacts')?.values.count ?? 0;
  const plans: Plan[] = [{ sources: [{ index: 'all' }], estimatedCandidates: total }];
  for (const tag of filter.tags?.all ?? [])
    plans.push({ sources: [{ index: 'tag', tag }], estimatedCandidates: tags.get(tag) ?? 0 });
  const any = filter.tags?.any ?? [];
  if (any.length > 0) {
    plans.push({
      sources: any.map((tag) => ({ index: 'tag', tag })),
      estimatedCandidates: any.reduce((sum, tag) => sum + (tags.get(tag) ?? 0), 0),
    });
  }
  if (b.createdAfter || b.createdBefore) {
    plans.push({
      sources: [
        {
          index: 'created',
          after: b.createdAfter ?? '1970-01-01T00:00:00.000Z',
          before: b.createdBefore ?? '9999-12-31T23:59:59.999Z',
        },
      ],
      estimatedCandidates: leads.reduce((sum, c) => sum + (c.values.count ?? 0), 0),
    });
  }
  if (filter.engagement && b.engagedSince) {
    // No counter estimates engagement in a window: it is bounded by all contacts, so it beats `all` only.
    plans.push({
      sources: [{ index: 'engaged', type: filter.engagement.type, since: b.engagedSince }],
      estimatedCandidates: Math.max(0, total - 0.5),
    });
  }
  return plans;
}

/** The plan with the fewest estimated candidates (ties: the first, so the choice is deterministic). */
export async function planSegment(deps: InsightsDeps, filter: SegmentFilter, now: Date): Promise<Plan> {
  const plans = await possiblePlans(deps, filter, now);
  return plans.reduce((best, p) => (p.estimatedCandidates < best.estimatedCandidates ? p : best));
}

export function matchesFilter(
  contact: Contact,
  filter: SegmentFilter,
  now: Date,
  engagedAt?: string,
): boolean {
  const tags = filter.tags;
  if (tags?.all && !tags.all.every((t) => contact.tags.includes(t))) return false;
  if (tags?.any && tags.any.length > 0 && !tags.any.some((t) => contact.tags.includes(t))) return false;
  if (tags?.none?.some((t) => contact.tags.includes(t))) return false;
  if (filter.fields && !filter.fields.every((c) => matchesComparison(contact.fields, c))) return false;
  const b = bounds(filter, now);
  if (b.createdAfter && contact.createdAt < b.createdAfter) return false;
  if (b.createdBefore && contact.createdAt > b.createdBefore) return false;
  if (b.engagedSince && !(engagedAt && engagedAt >= b.engagedSince)) return false;
  return true;
}

const cursorSchema = z.lazy(() =>
  z.strictObject({
    plan: z.array(z.record(z.string(), z.string())).check(z.minLength(1), z.maxLength(30)),
    source: z.int().check(z.minimum(0)),
    after: z.optional(z.string().check(z.maxLength(4096))),
    at: z.iso.datetime(),
  }),
);

function encodeSegmentCursor(c: z.infer<typeof cursorSchema>) {
  return Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');
}

const invalidCursor = (cursor: string) =>
  new DomainError('invalid', 'invalid_cursor', 'cursor is not valid for this segment', { cursor });

/** Decodes a cursor; its plan must be one this filter allows, so a forged cursor cannot change the result. */
async function decodeSegmentCursor(deps: InsightsDeps, filter: SegmentFilter, cursor: string) {
  let parsed: z.infer<typeof cursorSchema>;
  try {
    parsed = cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw invalidCursor(cursor);
  }
  // Time windows are fixed at the first page, so a paginated read sees one consistent segment.
  const now = new Date(parsed.at);
  const allowed = (await possiblePlans(deps, filter, now)).map((p) => JSON.stringify(p.sources));
  if (!allowed.includes(JSON.stringify(parsed.plan)) || parsed.source >= parsed.plan.length)
    throw invalidCursor(cursor);
  return {
    plan: parsed.plan as unknown as CandidateSource[],
    source: parsed.source,
    after: parsed.after,
    now,
  };
}

export interface SegmentPage extends Page<Contact> {
  plan: Plan;
  /** Index entries read to produce this page. */
  candidatesRead: number;
}

/** The contacts counted by a live preview: exact up to this many, "more" beyond. */
export const PREVIEW_LIMIT = 100;

/** How many contacts `filter` matches now (a segment being built): one bounded page of its plan. */
export async function previewSegment(
  deps: InsightsDeps,
  filter: SegmentFilter,
): Promise<{ matched: number; more: boolean; estimatedCandidates: number }> {
  const page = await evaluateFilter(deps, filter, { limit: PREVIEW_LIMIT });
  return {
    matched: page.items.length,
    more: page.nextCursor !== undefined,
    estimatedCandidates: page.plan.estimatedCandidates,
  };
}

/** One page of the contacts in a segment. */
export async function segmentContacts(
  deps: InsightsDeps,
  id: string,
  options: ListOptions,
): Promise<SegmentPage> {
  const segment = await getSegment(deps, id);
  return evaluateFilter(deps, segment.filter, options);
}

/** One page of the contacts matching `filter`; the first page uses `planned` when the caller planned already. */
export async function evaluateFilter(
  deps: InsightsDeps,
  filter: SegmentFilter,
  options: ListOptions,
  planned?: Plan,
): Promise<SegmentPage> {
  let now: Date;
  let sources: CandidateSource[];
  let sourceIndex = 0;
  let after: string | undefined;
  let estimated: number;
  if (options.cursor) {
    const c = await decodeSegmentCursor(deps, filter, options.cursor);
    ({ now, after } = c);
    sources = c.plan;
    sourceIndex = c.source;
    estimated = -1;
  } else {
    now = deps.clock.now();
    const plan = planned ?? (await planSegment(deps, filter, now));
    sources = plan.sources;
    estimated = plan.estimatedCandidates;
  }
  const items: Contact[] = [];
  let read = 0;
  let resume: { source: number; after?: string } | undefined;
  const engagement = filter.engagement?.type;

  outer: while (sourceIndex < sources.length) {
    const source = sources[sourceIndex] as CandidateSource;
    const page = await deps.store.listCandidates(source, {
      limit: Math.min(100, Math.max(25, options.limit * 2)),
      cursor: after,
    });
    const ids = page.items.map((c) => c.contactId);
    const [contacts, engaged] = await Promise.all([
      deps.store.getContacts(ids),
      engagement ? deps.store.getEngagements(ids, engagement) : Promise.resolve(new Map<string, string>()),
    ]);
    for (const candidate of page.items) {
      read++;
      const contact = contacts.get(candidate.contactId);
      // tags.any reads several tag lists: keep a contact only from the first list it is on.
      const earlier = sources
        .slice(0, sourceIndex)
        .some((s) => s.index === 'tag' && contact?.tags.includes(s.tag));
      if (contact && !earlier && matchesFilter(contact, filter, now, engaged.get(contact.id)))
        items.push(contact);
      if (items.length >= options.limit || read >= MAX_CANDIDATES_PER_PAGE) {
        resume = { source: sourceIndex, after: candidate.cursor };
        break outer;
      }
    }
    if (page.nextCursor) {
      after = page.nextCursor;
    } else {
      sourceIndex++;
      after = undefined;
    }
  }
  if (!resume && sourceIndex < sources.length) resume = { source: sourceIndex, ...(after ? { after } : {}) };
  const nextCursor = resume
    ? encodeSegmentCursor({
        plan: sources as unknown as Array<Record<string, string>>,
        source: resume.source,
        ...(resume.after ? { after: resume.after } : {}),
        at: now.toISOString(),
      })
    : undefined;
  return {
    items,
    ...(nextCursor ? { nextCursor } : {}),
    plan: { sources, estimatedCandidates: estimated },
    candidatesRead: read,
  };
}
