/**
 * Composition root shared by the functions: real adapters behind the domain ports.
 * Endpoints come from the SDK's own configuration (AWS_ENDPOINT_URL_*), which is how local mode
 * points the very same code at DynamoDB Local.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ulidFactory } from '../core/ids.js';
import type { Deps } from '../core/ports.js';
import { DynamoStore } from '../store/dynamo-store.js';
import { requireEnv } from './config.js';

const tableName = requireEnv('TABLE_NAME');

export const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
});

export const deps: Deps = {
  store: new DynamoStore(documentClient, tableName),
  clock: { now: () => new Date() },
  ids: { next: ulidFactory() },
};
