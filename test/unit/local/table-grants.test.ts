import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { FUNCTION_NAMES, tableActionsOf } from '#platform/manifest.js';
import { actionsOf, asFunction, enforceTableGrants } from '../../../local/table-grants.js';

/** A document client whose endpoint answers every request with `{}`, counting them. */
function client() {
  let sent = 0;
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 's' },
      requestHandler: {
        async handle() {
          sent++;
          const headers = { 'content-type': 'application/x-amz-json-1.0' };
          return { response: { statusCode: 200, headers, body: Readable.from([Buffer.from('{}')]) } };
        },
      },
    }),
  );
  enforceTableGrants(db);
  return { db, sent: () => sent };
}

const removeTag = new TransactWriteCommand({
  TransactItems: [
    {
      Update: {
        TableName: 't',
        Key: { PK: 'C#1', SK: 'C' },
        UpdateExpression: 'SET v = :v',
        ExpressionAttributeValues: { ':v': 2 },
      },
    },
    { Delete: { TableName: 't', Key: { PK: 'C#1', SK: 'TAG#vip' } } },
  ],
});

describe('table grants in local mode', () => {
  it('names the IAM actions of a command, a transaction by its parts', () => {
    assert.deepEqual(actionsOf('QueryCommand', {}), ['dynamodb:Query']);
    assert.deepEqual(
      actionsOf('TransactWriteItemsCommand', {
        TransactItems: [{ Put: {} }, { ConditionCheck: {} }, { Put: {} }],
      }),
      ['dynamodb:PutItem', 'dynamodb:ConditionCheckItem'],
    );
    assert.deepEqual(actionsOf('TransactGetItemsCommand', {}), ['dynamodb:GetItem']);
  });

  it('refuses, as IAM would, an action the calling function is not granted, and sends nothing', async () => {
    const { db, sent } = client();
    assert.ok(!tableActionsOf('form-submit').includes('dynamodb:DeleteItem'));
    const submit = asFunction('form-submit', () => db.send(removeTag));
    await assert.rejects(submit(), (err: Error) => {
      assert.equal(err.name, 'AccessDeniedException');
      assert.match(err.message, /form-submit .*dynamodb:DeleteItem/);
      return true;
    });
    assert.equal(sent(), 0);
  });

  it('lets through what the function is granted, and calls made outside any function', async () => {
    const { db, sent } = client();
    await asFunction('contacts-api', () => db.send(removeTag))();
    await asFunction('reports-api', () =>
      db.send(
        new QueryCommand({
          TableName: 't',
          KeyConditionExpression: 'PK = :p',
          ExpressionAttributeValues: { ':p': 'x' },
        }),
      ),
    )();
    await db.send(removeTag);
    assert.equal(sent(), 3);
  });

  it('grants no function Scan, and the public functions neither deletes nor batch writes', () => {
    for (const name of FUNCTION_NAMES) assert.ok(!tableActionsOf(name).includes('dynamodb:Scan'), name);
    for (const name of ['form-submit', 'unsubscribe'] as const)
      assert.deepEqual(
        tableActionsOf(name).filter((a) => /Delete|BatchWrite/.test(a)),
        [],
        name,
      );
  });
});
