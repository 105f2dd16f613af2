/**
 * The imports context on the single table: its keys (docs/data-model.md), how its writes become
 * transaction items, and its reads, each decoded through the record's schema.
 */
import { SuppressionSchema } from '#contacts/model.js';
import { contactKeys, contactsReads, contactsTranslators, isLifted } from '#contacts/store-dynamo.js';
import { decode, type Item, type Key, stamp, type Table } from '#platform/dynamo/table.js';
import { setExpression, storeOf, type Translators } from '#platform/dynamo/unit-of-work.js';
import type { Emit } from '#platform/store.js';
import { type Import, ImportSchema, type RowError, RowErrorSchema } from './model.js';
import type { ImportsReads, ImportsStore, ImportsWrite } from './store.js';

const ENTITY = { import: 'Import', chunk: 'ImportChunk', rowError: 'ImportRowError' } as const;

const partition = (id: string) => `IMPORT#${id}`;
const pad = (n: number) => String(n).padStart(10, '0');

export const importKeys = {
  import: (id: string): Key => ({ PK: partition(id), SK: 'IMPORT' }),
  chunk: (id: string, chunk: number): Key => ({ PK: partition(id), SK: `CHUNK#${pad(chunk)}` }),
  rowError: (id: string, line: number): Key => ({ PK: partition(id), SK: `ERR#${pad(line)}` }),
  rowErrorPrefix: 'ERR#',
  chunkPrefix: 'CHUNK#',
};

/** GSI1: every import, newest first (ids are ULIDs). */
export const importIndexes = {
  all: (id: string) => ({ GSI1PK: 'IMPORTS', GSI1SK: id }),
  partitions: { all: 'IMPORTS' },
};

const decodeImport = (item: Item): Import => decode(ImportSchema, item);

export type OwnWrite = Exclude<ImportsWrite, Emit | { kind: keyof typeof contactsTranslators }>;

export const importTranslators: Translators<OwnWrite> = {
  createImport: ({ record }, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: {
            ...importKeys.import(record.id),
            ...importIndexes.all(record.id),
            ...stamp(ENTITY.import),
            ...record,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    },
  ],
  updateImport: ({ id, from, set }, TableName) => {
    const { expression, names, values } = setExpression(set);
    const statuses = Object.fromEntries(from.map((s, i) => [`:from${i}`, s]));
    return [
      {
        item: {
          Update: {
            TableName,
            Key: importKeys.import(id),
            UpdateExpression: expression,
            ConditionExpression: `#status IN (${Object.keys(statuses).join(', ')})`,
            ExpressionAttributeNames: { ...names, '#status': 'status' },
            ExpressionAttributeValues: { ...values, ...statuses },
          },
        },
      },
    ];
  },
  countChunk: ({ importId, chunk, counts, tagsAdded, at }, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: { ...importKeys.chunk(importId, chunk), ...stamp(ENTITY.chunk), counts, tagsAdded, at },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    },
    {
      item: {
        Update: {
          TableName,
          Key: importKeys.import(importId),
          UpdateExpression:
            'SET #updatedAt = :at ADD #c.#processed :processed, #c.#created :created, #c.#updated :updated, #c.#unchanged :unchanged, #c.#failed :failed, #chunksDone :one',
          ExpressionAttributeNames: {
            '#updatedAt': 'updatedAt',
            '#c': 'counts',
            '#processed': 'processed',
            '#created': 'created',
            '#updated': 'updated',
            '#unchanged': 'unchanged',
            '#failed': 'failed',
            '#chunksDone': 'chunksDone',
          },
          ExpressionAttributeValues: {
            ':at': at,
            ':processed': counts.processed,
            ':created': counts.created,
            ':updated': counts.updated,
            ':unchanged': counts.unchanged,
            ':failed': counts.failed,
            ':one': 1,
          },
          ConditionExpression: 'attribute_exists(PK)',
        },
      },
      part: 'import',
    },
  ],
  finishImport: ({ id, chunksTotal, at }, TableName) => [
    {
      item: {
        Update: {
          TableName,
          Key: importKeys.import(id),
          UpdateExpression: 'SET #status = :completed, #finishedAt = :at, #updatedAt = :at',
          ConditionExpression: '#status = :processing AND #chunksTotal = :total AND #chunksDone = :total',
          ExpressionAttributeNames: {
            '#status': 'status',
            '#finishedAt': 'finishedAt',
            '#updatedAt': 'updatedAt',
            '#chunksTotal': 'chunksTotal',
            '#chunksDone': 'chunksDone',
          },
          ExpressionAttributeValues: {
            ':completed': 'completed',
            ':processing': 'processing',
            ':total': chunksTotal,
            ':at': at,
          },
        },
      },
    },
  ],
};

export function importsReads(table: Table): ImportsReads {
  const contacts = contactsReads(table);
  return {
    ...contacts,
    async getImport(id) {
      const item = await table.get(importKeys.import(id));
      return item ? decodeImport(item) : undefined;
    },
    listImports: (options) =>
      table.page({ index: 'GSI1', partition: importIndexes.partitions.all }, options, decodeImport),
    async chunkCounted(importId, chunk) {
      return (await table.get(importKeys.chunk(importId, chunk))) !== undefined;
    },
    async importTagsAdded(importId) {
      const sums: Record<string, number> = {};
      for (const item of await table.all(
        { partition: partition(importId), prefix: importKeys.chunkPrefix },
        1000,
      )) {
        for (const [tag, n] of Object.entries((item.tagsAdded as Record<string, number> | undefined) ?? {}))
          sums[tag] = (sums[tag] ?? 0) + n;
      }
      return sums;
    },
    async findContactIdsByEmail(emails) {
      const items = await table.batchGet([...new Set(emails)].map(contactKeys.email));
      return new Map(items.map((item) => [String(item.PK).slice('EMAIL#'.length), String(item.contactId)]));
    },
    async getSuppressions(emails) {
      const items = await table.batchGet([...new Set(emails)].map(contactKeys.suppression));
      return new Map(
        items
          .filter((item) => !isLifted(item))
          .map((item) => [String(item.PK).slice('SUPPRESSION#'.length), decode(SuppressionSchema, item)]),
      );
    },
    putRowErrors(importId, errors) {
      // One item per line: reasons of the same line (should a parser report it twice) are joined.
      const byLine = new Map<number, RowError>();
      for (const e of errors) {
        const prior = byLine.get(e.line);
        byLine.set(e.line, prior ? { ...prior, reasons: [...prior.reasons, ...e.reasons] } : e);
      }
      return table.batchPut(
        [...byLine.values()].map((e) => ({
          ...importKeys.rowError(importId, e.line),
          ...stamp(ENTITY.rowError),
          ...e,
        })),
      );
    },
    listRowErrors: (importId, options) =>
      table.page(
        { partition: partition(importId), prefix: importKeys.rowErrorPrefix, ascending: true },
        options,
        (item): RowError => decode(RowErrorSchema, item),
      ),
  };
}

export function importsStore(table: Table): ImportsStore {
  const store = storeOf<ImportsWrite>({ ...contactsTranslators, ...importTranslators } as Translators<
    Exclude<ImportsWrite, Emit>
  >)(table, importsReads(table));
  return { ...store, itemCount: (writes) => store.transactItems(writes).length };
}
