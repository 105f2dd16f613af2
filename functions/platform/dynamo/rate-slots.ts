/** The send-rate record on the single table: `RATE#<bucket>` / `RATE`, its next free slot and a version. */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RateSlots } from '../send-rate.js';
import { CommitConflict } from '../store.js';
import type { Table } from './table.js';

export const rateKey = (bucket: string) => ({ PK: `RATE#${bucket}`, SK: 'RATE' });

export function dynamoRateSlots(table: Table): RateSlots {
  return {
    async next(bucket) {
      const item = await table.get(rateKey(bucket));
      return item ? { at: Number(item.nextAt), version: Number(item.version) } : { at: 0 };
    },
    async advance(bucket, at, version) {
      try {
        await table.db.send(
          new UpdateCommand({
            TableName: table.name,
            Key: rateKey(bucket),
            UpdateExpression: 'SET nextAt = :at, version = :next, #type = :type',
            ConditionExpression: version === undefined ? 'attribute_not_exists(PK)' : 'version = :version',
            ExpressionAttributeNames: { '#type': '_type' },
            ExpressionAttributeValues: {
              ':at': at,
              ':next': (version ?? 0) + 1,
              ':type': 'SendRate',
              ...(version === undefined ? {} : { ':version': version }),
            },
          }),
        );
      } catch (err) {
        if (err instanceof ConditionalCheckFailedException) throw new CommitConflict({ kind: 'advanceRate' });
        throw err;
      }
    },
  };
}
