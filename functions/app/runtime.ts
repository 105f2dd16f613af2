/**
 * What every handler is wired with in a Lambda (and in local mode, which imports the same handlers):
 * the table, the time and ids, and a deps object per context store. Endpoints come from the SDK's
 * own configuration (AWS_ENDPOINT_URL_*), which is how local mode points the same code at emulators.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { requireEnv } from '#platform/config.js';
import { Table } from '#platform/dynamo/table.js';
import { ulidFactory } from '#platform/ids.js';
import type { Clock, Deps, Ids } from '#platform/store.js';

export const documentClient = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
  marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
});

export const table = new Table(documentClient, requireEnv('TABLE_NAME'));

const clock: Clock = { now: () => new Date() };
const ids: Ids = { next: ulidFactory() };

/** Deps for a context's use cases, given that context's store on the table. */
export const depsOf = <S>(store: (table: Table) => S): Deps<S> => ({ store: store(table), clock, ids });
