/**
 * Tracking's keys and its store on the single table:
 *
 * | item | PK | SK |
 * |---|---|---|
 * | a visitor's anonymous hit (expires) | `VISITOR#<visitorId>` | `HIT#<at>#<id>` |
 * | the contact a visitor was identified as | `VISITOR#<visitorId>` | `PROFILE` |
 * | a contact's page view or event (expires) | `CONTACT#<contactId>` | `VISIT#<at>#<id>` |
 * | what stays of them: counts, first and last seen | `CONTACT#<contactId>` | `WEB` |
 *
 * Raw hits expire after RAW_RETENTION_DAYS; the summary and the scores they gave stay.
 */
import { contactKeys, contactPartition, contactsReads, contactsTranslators } from '#contacts/store-dynamo.js';
import { decode, type Item, type Key, stamp, TABLE_KEYS, type Table } from '#platform/dynamo/table.js';
import { storeOf, type Translators } from '#platform/dynamo/unit-of-work.js';
import type { Emit } from '#platform/store.js';
import { RAW_RETENTION_DAYS, type Visit, VisitSchema, WebSummarySchema } from './model.js';
import type { TrackingReads, TrackingStore, TrackingWrite } from './store.js';

/** How long a visitor's identification is kept after it was made. */
const PROFILE_RETENTION_DAYS = 400;

const visitorPartition = (visitorId: string) => `VISITOR#${visitorId}`;
export const trackingKeys = {
  hit: (visitorId: string, v: Pick<Visit, 'at' | 'id'>): Key => ({
    PK: visitorPartition(visitorId),
    SK: `HIT#${v.at}#${v.id}`,
  }),
  profile: (visitorId: string): Key => ({ PK: visitorPartition(visitorId), SK: 'PROFILE' }),
  visit: (contactId: string, v: Pick<Visit, 'at' | 'id'>): Key => ({
    PK: contactPartition(contactId),
    SK: `VISIT#${v.at}#${v.id}`,
  }),
  summary: (contactId: string): Key => ({ PK: contactPartition(contactId), SK: 'WEB' }),
};

const expiresAt = (at: string, days: number) => Math.floor(Date.parse(at) / 1000) + days * 86_400;

export const trackingTranslators: Translators<
  Extract<
    TrackingWrite,
    { kind: 'recordAnonymousHit' | 'recordVisits' | 'identifyVisitor' | 'requireContact' }
  >
> = {
  recordAnonymousHit: ({ visitorId, visit }, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: {
            ...trackingKeys.hit(visitorId, visit),
            ...stamp('Hit'),
            ...visit,
            [TABLE_KEYS.ttlAttribute]: expiresAt(visit.at, RAW_RETENTION_DAYS),
          },
        },
      },
    },
  ],
  recordVisits: ({ contactId, visits }, TableName) => {
    const pages = visits.filter((v) => v.type === 'page').length;
    const ats = visits.map((v) => v.at).sort();
    return [
      ...visits.map((visit) => ({
        item: {
          Put: {
            TableName,
            Item: {
              ...trackingKeys.visit(contactId, visit),
              ...stamp('Visit'),
              ...visit,
              [TABLE_KEYS.ttlAttribute]: expiresAt(visit.at, RAW_RETENTION_DAYS),
            },
          },
        },
      })),
      {
        item: {
          Update: {
            TableName,
            Key: trackingKeys.summary(contactId),
            UpdateExpression:
              'SET #type = :type, #firstSeenAt = if_not_exists(#firstSeenAt, :first), #lastSeenAt = :last ADD #pageViews :pages, #events :events',
            ExpressionAttributeNames: {
              '#type': '_type',
              '#firstSeenAt': 'firstSeenAt',
              '#lastSeenAt': 'lastSeenAt',
              '#pageViews': 'pageViews',
              '#events': 'events',
            },
            ExpressionAttributeValues: {
              ':type': 'WebSummary',
              ':first': ats[0],
              ':last': ats[ats.length - 1],
              ':pages': pages,
              ':events': visits.length - pages,
            },
          },
        },
      },
    ];
  },
  identifyVisitor: ({ visitorId, contactId, at }, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: {
            ...trackingKeys.profile(visitorId),
            ...stamp('VisitorProfile'),
            visitorId,
            contactId,
            identifiedAt: at,
            [TABLE_KEYS.ttlAttribute]: expiresAt(at, PROFILE_RETENTION_DAYS),
          },
          ConditionExpression: 'attribute_not_exists(PK) OR contactId <> :contactId',
          ExpressionAttributeValues: { ':contactId': contactId },
        },
      },
      part: 'identified',
    },
  ],
  requireContact: ({ contactId }, TableName) => [
    {
      item: {
        ConditionCheck: {
          TableName,
          Key: contactKeys.contact(contactId),
          ConditionExpression: 'attribute_exists(PK)',
        },
      },
      part: 'contact',
    },
  ],
};

/** A summary as stored: a count never added to (only page views, or only events, so far) is 0. */
const decodeSummary = (item: Item) => decode(WebSummarySchema, { pageViews: 0, events: 0, ...item });

export function trackingReads(table: Table): TrackingReads {
  return {
    async getVisitorContact(visitorId) {
      const item = await table.get(trackingKeys.profile(visitorId));
      return typeof item?.contactId === 'string' ? item.contactId : undefined;
    },
    async listAnonymousHits(visitorId, limit) {
      const page = await table.query({ partition: visitorPartition(visitorId), prefix: 'HIT#' }, { limit });
      return page.items.map((item) => decode(VisitSchema, item));
    },
    async getWebSummary(contactId) {
      const item = await table.get(trackingKeys.summary(contactId));
      return item ? decodeSummary(item) : undefined;
    },
    async getWebSummaries(contactIds) {
      const items = await table.batchGet([...new Set(contactIds)].map((id) => trackingKeys.summary(id)));
      // The summary item carries no contact id: its partition names the contact.
      return new Map(
        items.map((item) => [String(item.PK).slice(contactPartition('').length), decodeSummary(item)]),
      );
    },
    listVisits: (contactId, options) =>
      table.page({ partition: contactPartition(contactId), prefix: 'VISIT#' }, options, (item) =>
        decode(VisitSchema, item),
      ),
  };
}

export const trackingStore = (table: Table): TrackingStore =>
  storeOf<TrackingWrite>({ ...contactsTranslators, ...trackingTranslators } as Translators<
    Exclude<TrackingWrite, Emit>
  >)(table, { ...contactsReads(table), ...trackingReads(table) });
