/** TransactWriteItems for tasks, pipelines, deals, follow-ups, segments and dashboard counters. */
import type { Write } from '../core/ports.js';
import type { TransactItem } from './dynamo-store.js';
import { ENTITY, gsi1, gsi2, keys, TABLE_KEYS } from './keys.js';

const PROCESSED_TTL_SECONDS = 14 * 24 * 3600;
type Out = Array<{ item: TransactItem; part?: string }>;

/** Create (`attribute_not_exists`) or replace only the expected value of one attribute. */
function guard(attribute: string, expected: string | number | undefined) {
  if (expected === undefined) return { ConditionExpression: 'attribute_not_exists(PK)' };
  return {
    ConditionExpression: '#guard = :guard',
    ExpressionAttributeNames: { '#guard': attribute },
    ExpressionAttributeValues: { ':guard': expected },
  };
}

/** One conditional Put of a whole item. */
const put = (TableName: string, Item: Record<string, unknown>, condition: ReturnType<typeof guard>): Out => [
  { item: { Put: { TableName, Item, ...condition } } },
];

export function translateSalesWrite(TableName: string, write: Write): Out | undefined {
  switch (write.kind) {
    case 'putTask': {
      const { task } = write;
      return put(
        TableName,
        {
          ...keys.task(task.id),
          ...gsi1.tasksByDue(task.status, task.dueAt, task.id),
          ...(task.owner ? gsi2.tasksOfOwner(task.owner, task.status, task.dueAt, task.id) : {}),
          _type: ENTITY.task,
          ...task,
        },
        guard('version', write.expectedVersion),
      );
    }
    case 'putPipeline':
      return put(
        TableName,
        {
          ...keys.pipeline(write.pipeline.id),
          ...gsi1.allPipelines(write.pipeline.id),
          _type: ENTITY.pipeline,
          ...write.pipeline,
        },
        guard('PK', undefined),
      );
    case 'putDeal': {
      const { deal } = write;
      return put(
        TableName,
        {
          ...keys.deal(deal.id),
          ...gsi1.dealsOnBoard(deal.pipelineId, deal.stage, deal.id),
          _type: ENTITY.deal,
          ...deal,
        },
        guard('version', write.expectedVersion),
      );
    }
    case 'putFollowUp': {
      const f = write.followUp;
      return put(
        TableName,
        {
          ...keys.followUp(f.id),
          ...gsi1.followUpsOfContact(f.contactId, f.sendAt, f.id),
          _type: ENTITY.followUp,
          ...f,
        },
        guard('status', write.expectedStatus),
      );
    }
    case 'putSegment':
      return put(
        TableName,
        {
          ...keys.segment(write.segment.id),
          ...gsi1.allSegments(write.segment.id),
          _type: ENTITY.segment,
          ...write.segment,
        },
        guard('PK', undefined),
      );
    case 'bumpCounters': {
      const expires = Math.floor(Date.now() / 1000) + PROCESSED_TTL_SECONDS;
      const marker: Out[number] = {
        item: {
          Put: {
            TableName,
            Item: {
              ...keys.processed(write.consumer, write.eventId),
              _type: ENTITY.processed,
              [TABLE_KEYS.ttlAttribute]: expires,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        part: 'processed',
      };
      return [
        marker,
        ...write.counters.map((c) => {
          const names: Record<string, string> = { '#type': '_type' };
          const values: Record<string, unknown> = { ':type': ENTITY.counter };
          const adds = Object.entries(c.deltas).map(([name, delta], i) => {
            names[`#c${i}`] = name;
            values[`:c${i}`] = delta;
            return `#c${i} :c${i}`;
          });
          return {
            item: {
              Update: {
                TableName,
                Key: keys.counter(c.group, c.bucket),
                UpdateExpression: `SET #type = :type ADD ${adds.join(', ')}`,
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: values,
              },
            },
          };
        }),
      ];
    }
    default:
      return undefined;
  }
}
