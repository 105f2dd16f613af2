/** Insights on the single table: counters and their per-event markers, segments, candidate reads. */

import { contactIndexes, contactKeys, contactPartition, contactsReads } from '#contacts/store-dynamo.js';
import { messagingIndexes, messagingReads } from '#messaging/store-dynamo.js';
import { encodeCursor } from '#platform/dynamo/cursor.js';
import {
  decode,
  type IndexQuery,
  type Item,
  type Key,
  stamp,
  stripKeys,
  TABLE_KEYS,
  type Table,
} from '#platform/dynamo/table.js';
import {
  addDeltas,
  guardedPut,
  storeOf,
  type Translators,
  versionedDelete,
  versionGuard,
} from '#platform/dynamo/unit-of-work.js';
import { DUPLICATE_GUARD_SECONDS } from '#platform/events.js';
import { ulidLowerBound, ulidUpperBound } from '#platform/ids.js';
import { shardOf } from '#platform/shard.js';
import { salesReads } from '#sales/store-dynamo.js';
import {
  DealAttributionSchema,
  HistoryStartSchema,
  type Segment,
  SegmentSchema,
  type WonDeal,
  WonDealSchema,
} from './model.js';
import type { CandidateSource, InsightsReads, InsightsStore, InsightsWrite } from './store.js';

/**
 * How long an applied event's marker is kept: past every redelivery (EventBridge retries for up to a
 * day, the DLQ keeps 14 days).
 */
/** Processed markers outlive any redelivery, a replay of the archive included. */
const PROCESSED_TTL_SECONDS = DUPLICATE_GUARD_SECONDS;

export const insightsKeys = {
  /**
   * Dashboard counters: one partition per report group, one item per bucket (day, tag, stage...) and
   * shard: an event adds to one of COUNTER_SHARDS items of its bucket (chosen by its id), so a burst
   * of events on one bucket does not contend for one item; reads add the shards up.
   */
  counter: (group: string, bucket: string, shard: number): Key => ({
    PK: `DASH#${group}`,
    SK: `${bucket}${SHARD_SEPARATOR}${String(shard).padStart(2, '0')}`,
  }),
  counterPartition: (group: string) => `DASH#${group}`,
  /** Marks an event as applied by a consumer (idempotent projections). */
  processed: (consumer: string, eventId: string): Key => ({
    PK: `PROCESSED#${consumer}#${eventId}`,
    SK: 'PROCESSED',
  }),
  segment: (id: string): Key => ({ PK: `SEGMENT#${id}`, SK: 'SEGMENT' }),
  /** The contact matches a tracked segment (erased with the contact's partition). */
  membership: (contactId: string, segmentId: string): Key => ({
    PK: contactPartition(contactId),
    SK: `${MEMBERSHIP_PREFIX}${segmentId}`,
  }),
  /** A won deal's touches, beside the deal (its GSI1: every won deal, the latest won last). */
  dealAttribution: (dealId: string): Key => ({ PK: `DEAL#${dealId}`, SK: 'ATTRIBUTION' }),
  /** A deal counted won in DEALS_WON, beside the deal: what its win added, to take back the same. */
  wonDeal: (dealId: string): Key => ({ PK: `DEAL#${dealId}`, SK: 'WON' }),
  /** The day the point-in-time figures' net changes began to be counted (open-changes.ts). */
  historyStart: (): Key => ({ PK: 'DASH_HISTORY', SK: 'OPEN_CHANGES' }),
};

/** The record a won-deal write expects: the same win, amount and currency. */
const sameWin = (expected: WonDeal) => ({
  ConditionExpression: '#wonAt = :wonAt AND #amount = :amount AND #currency = :currency',
  ExpressionAttributeNames: { '#wonAt': 'wonAt', '#amount': 'amount', '#currency': 'currency' },
  ExpressionAttributeValues: {
    ':wonAt': expected.wonAt,
    ':amount': expected.amount,
    ':currency': expected.currency,
  },
});
const WON_DEALS = 'WON_DEALS';
const MEMBERSHIP_PREFIX = 'INSEGMENT#';
const TRACKED_SEGMENTS = 'SEGMENT_TRIGGERS';

/**
 * GSI1 of a workflow's trigger item when a segment triggers it (automation writes it): the segments
 * whose membership is tracked are one Query away.
 */
export const trackedSegmentIndex = (segmentId: string, workflowId: string) => ({
  GSI1PK: TRACKED_SEGMENTS,
  GSI1SK: `${segmentId}#${workflowId}`,
});
const allSegments = (id: string) => ({ GSI1PK: 'SEGMENTS', GSI1SK: id });
/** GSI1 of a membership record: a segment's recorded contacts are one Query away (an edit re-matches them, a delete drops them). */
const SEGMENT_MEMBERS = 'SEGMENT_MEMBERS#';
const segmentMembersIndex = (segmentId: string, contactId: string) => ({
  GSI1PK: `${SEGMENT_MEMBERS}${segmentId}`,
  GSI1SK: contactId,
});

/** A segment saved before segments were versioned is at version 1. */
const decodeSegment = (item: Item): Segment => decode(SegmentSchema, { version: 1, ...item });

/** The index range a segment candidate source reads (the contacts' and email's own indexes). */
function candidateQuery(source: CandidateSource): IndexQuery {
  switch (source.index) {
    case 'tag':
      return { index: 'GSI1', partition: contactIndexes.partitions.contactsWithTag(source.tag) };
    case 'created':
      return {
        index: 'GSI1',
        partition: contactIndexes.partitions.allContacts,
        from: ulidLowerBound(source.after),
        to: ulidUpperBound(source.before),
      };
    case 'engaged':
      return {
        index: 'GSI1',
        partition: messagingIndexes.partitions.contactsEngaged(source.type),
        from: source.since,
      };
    case 'all':
      return { index: 'GSI1', partition: contactIndexes.partitions.allContacts };
  }
}

export const COUNTER_SHARDS = 16;
/** Between a bucket and its shard number: sorts before any printable character, appears in no bucket. */
const SHARD_SEPARATOR = '\u001f';
const SHARD_SUFFIX = new RegExp(`${SHARD_SEPARATOR}\\d{2}$`);

export const insightsTranslators: Translators<InsightsWrite> = {
  bumpCounters: (write, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: {
            ...insightsKeys.processed(write.consumer, write.eventId),
            ...stamp('Processed'),
            [TABLE_KEYS.ttlAttribute]: Math.floor(Date.now() / 1000) + PROCESSED_TTL_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      part: 'processed',
    },
    ...write.counters.map((c) =>
      addDeltas(
        TableName,
        insightsKeys.counter(c.group, c.bucket, shardOf(write.eventId, COUNTER_SHARDS)),
        'Counter',
        c.deltas,
      ),
    ),
  ],
  enterSegment: ({ contactId, segmentId, at }, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: {
            ...insightsKeys.membership(contactId, segmentId),
            ...segmentMembersIndex(segmentId, contactId),
            ...stamp('SegmentMembership'),
            segmentId,
            at,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      part: 'membership',
    },
  ],
  leaveSegment: ({ contactId, segmentId }, TableName) => [
    {
      item: {
        Delete: {
          TableName,
          Key: insightsKeys.membership(contactId, segmentId),
          ConditionExpression: 'attribute_exists(PK)',
        },
      },
      part: 'membership',
    },
  ],
  contactUnchanged: ({ contactId, version }, TableName) => [
    {
      item: {
        ConditionCheck: {
          TableName,
          Key: contactKeys.contact(contactId),
          ConditionExpression: '#version = :version',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':version': version },
        },
      },
      part: 'contact',
    },
  ],
  putDealAttribution: ({ attribution }, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: {
            ...insightsKeys.dealAttribution(attribution.dealId),
            GSI1PK: WON_DEALS,
            GSI1SK: `${attribution.wonAt}#${attribution.dealId}`,
            ...stamp('DealAttribution'),
            ...attribution,
          },
        },
      },
    },
  ],
  withdrawDealAttribution: ({ consumer, dealId, wonAt }, TableName) => [
    {
      item: {
        Delete: {
          TableName,
          Key: insightsKeys.dealAttribution(dealId),
          ConditionExpression: '#wonAt = :wonAt',
          ExpressionAttributeNames: { '#wonAt': 'wonAt' },
          ExpressionAttributeValues: { ':wonAt': wonAt },
        },
      },
      part: 'attribution',
    },
    { item: { Delete: { TableName, Key: insightsKeys.processed(consumer, `deal-${dealId}`) } } },
  ],
  putWonDeal: ({ won, expected }, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: { ...insightsKeys.wonDeal(won.dealId), ...stamp('WonDeal'), ...won },
          ...(expected ? sameWin(expected) : { ConditionExpression: 'attribute_not_exists(PK)' }),
        },
      },
      part: 'wonDeal',
    },
  ],
  deleteWonDeal: ({ expected }, TableName) => [
    {
      item: { Delete: { TableName, Key: insightsKeys.wonDeal(expected.dealId), ...sameWin(expected) } },
      part: 'wonDeal',
    },
  ],
  startHistory: ({ since }, TableName) =>
    guardedPut(
      TableName,
      { ...insightsKeys.historyStart(), ...stamp('HistoryStart'), since },
      { attribute: 'PK', expected: undefined },
    ).map((part) => ({ ...part, part: 'history' })),
  putSegment: ({ segment, expectedVersion }, TableName) =>
    guardedPut(
      TableName,
      { ...insightsKeys.segment(segment.id), ...allSegments(segment.id), ...stamp('Segment'), ...segment },
      expectedVersion === undefined
        ? { attribute: 'PK', expected: undefined }
        : versionGuard(expectedVersion),
    ),
  deleteSegment: ({ segmentId, expectedVersion }, TableName) => [
    versionedDelete(TableName, insightsKeys.segment(segmentId), expectedVersion),
  ],
  dropMembership: ({ contactId, segmentId }, TableName) => [
    { item: { Delete: { TableName, Key: insightsKeys.membership(contactId, segmentId) } } },
  ],
};

export function insightsReads(table: Table): InsightsReads {
  return {
    async getCounters(group, range) {
      const items = await table.all({
        partition: insightsKeys.counterPartition(group),
        ascending: true,
        ...(range ? { from: range.from, to: range.to } : {}),
      });
      // The shards of a bucket are adjacent (same prefix): added up into one counter per bucket.
      const byBucket = new Map<string, Record<string, number>>();
      for (const item of items) {
        const bucket = String(item.SK).replace(SHARD_SUFFIX, '');
        const values = byBucket.get(bucket) ?? {};
        for (const [name, value] of Object.entries(stripKeys(item)))
          if (typeof value === 'number') values[name] = (values[name] ?? 0) + value;
        byBucket.set(bucket, values);
      }
      return [...byBucket].map(([bucket, values]) => ({ bucket, values }));
    },
    async getSegment(id) {
      const item = await table.get(insightsKeys.segment(id));
      return item ? decodeSegment(item) : undefined;
    },
    listSegments: (options) => table.page({ index: 'GSI1', partition: 'SEGMENTS' }, options, decodeSegment),
    async listTrackedSegmentIds() {
      const items = await table.all({ index: 'GSI1', partition: TRACKED_SEGMENTS, ascending: true });
      return [...new Set(items.map((i) => String(i.GSI1SK).split('#')[0] ?? ''))].filter(Boolean);
    },
    async getSegmentMemberships(contactId) {
      const items = await table.all({ partition: contactPartition(contactId), prefix: MEMBERSHIP_PREFIX });
      return items.map((i) => String(i.segmentId));
    },
    async listSegmentMembers(segmentId, options) {
      const page = await table.query(
        { index: 'GSI1', partition: `${SEGMENT_MEMBERS}${segmentId}`, ascending: true },
        options,
      );
      return { ...page, items: page.items.map((i) => String(i.GSI1SK)) };
    },
    async findSegmentMembers(segmentId, contactIds) {
      const items = await table.batchGet(contactIds.map((id) => insightsKeys.membership(id, segmentId)));
      return new Set(items.map((i) => String(i.PK).slice(contactPartition('').length)));
    },
    async listSegmentWorkflowIds(segmentId) {
      const items = await table.all({ index: 'GSI1', partition: TRACKED_SEGMENTS, prefix: `${segmentId}#` });
      return items.map((i) => String(i.GSI1SK).slice(segmentId.length + 1));
    },
    async getDealAttribution(dealId) {
      const item = await table.get(insightsKeys.dealAttribution(dealId));
      return item ? decode(DealAttributionSchema, item) : undefined;
    },
    async getWonDeal(dealId) {
      const item = await table.get(insightsKeys.wonDeal(dealId));
      return item ? decode(WonDealSchema, item) : undefined;
    },
    listWonDeals: (options) =>
      table.page({ index: 'GSI1', partition: WON_DEALS }, options, (item) =>
        decode(DealAttributionSchema, item),
      ),
    async getHistoryStart() {
      const item = await table.get(insightsKeys.historyStart());
      return item ? decode(HistoryStartSchema, item).since : undefined;
    },
    async listCandidates(source, options) {
      const page = await table.query(candidateQuery(source), options);
      const items = page.items.map((item) => ({
        contactId: String(item.contactId ?? item.id),
        cursor: encodeCursor({
          PK: item.PK,
          SK: item.SK,
          GSI1PK: item.GSI1PK,
          GSI1SK: item.GSI1SK,
        }) as string,
      }));
      return { items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
    },
  };
}

export function insightsStore(table: Table): InsightsStore {
  const { getContacts, getContact } = contactsReads(table);
  const { getEngagements } = messagingReads(table);
  const { listPipelines, getPipeline } = salesReads(table);
  return storeOf<InsightsWrite>(insightsTranslators)(table, {
    ...insightsReads(table),
    getContacts,
    getContact,
    getEngagements,
    listPipelines,
    getPipeline,
  });
}
