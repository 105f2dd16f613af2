import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Table } from '#platform/dynamo/table.js';

const JSON_TYPE = { 'content-type': 'application/x-amz-json-1.0' };
const LOCK_TIMEOUT = JSON.stringify({
  __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
  message:
    'This action timed out because it too long waiting for a lock. This request will succeed in actual DynamoDB API',
});

/** A client whose endpoint answers each request with the next of `answers`, and counts them. */
function clientAnswering(answers: Array<[number, string]>) {
  const seen: string[] = [];
  const client = new DynamoDBClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'a', secretAccessKey: 's' },
    maxAttempts: 1,
    requestHandler: {
      async handle(request: { body?: unknown }) {
        seen.push(String(request.body));
        const [status, body] = answers[Math.min(seen.length - 1, answers.length - 1)] ?? [200, '{}'];
        return {
          response: { statusCode: status, headers: JSON_TYPE, body: Readable.from([Buffer.from(body)]) },
        };
      },
    },
  });
  return { db: DynamoDBDocumentClient.from(client), seen };
}

describe("DynamoDB Local's lock timeouts", () => {
  it('are sent again, with the same request, until DynamoDB Local takes them', async () => {
    const { db, seen } = clientAnswering([
      [500, LOCK_TIMEOUT],
      [500, LOCK_TIMEOUT],
      [200, '{"Attributes":{"count":{"N":"3"}}}'],
    ]);
    new Table(db, 't');
    const out = await db.send(
      new UpdateCommand({
        TableName: 't',
        Key: { PK: 'a', SK: 'b' },
        UpdateExpression: 'ADD #c :one',
        ExpressionAttributeNames: { '#c': 'count' },
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'ALL_NEW',
      }),
    );
    assert.deepEqual(out.Attributes, { count: 3 });
    assert.equal(seen.length, 3);
    assert.equal(new Set(seen).size, 1, 'each attempt sends the same marshalled request');
    assert.match(String(seen[0]), /"PK":\{"S":"a"\}/);
  });

  it('give up after ten attempts, and other errors are not retried here', async () => {
    const locked = clientAnswering([[500, LOCK_TIMEOUT]]);
    new Table(locked.db, 't');
    new Table(locked.db, 'u'); // a second table on the same client adds no second retry
    await assert.rejects(locked.db.send(new GetCommand({ TableName: 't', Key: { PK: 'a', SK: 'b' } })), {
      name: 'InternalServerError',
    });
    assert.equal(locked.seen.length, 10);

    const other = clientAnswering([
      [400, '{"__type":"com.amazonaws.dynamodb.v20120810#ValidationException","message":"bad key"}'],
    ]);
    new Table(other.db, 't');
    await assert.rejects(other.db.send(new GetCommand({ TableName: 't', Key: { PK: 'a', SK: 'b' } })), {
      name: 'ValidationException',
    });
    assert.equal(other.seen.length, 1);
  });
});
