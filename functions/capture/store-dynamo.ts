/** Lead capture on the single table: forms and idempotency claims. */

import { contactsReads, contactsTranslators } from '#contacts/store-dynamo.js';
import {
  decode,
  epochSeconds,
  type Item,
  type Key,
  stamp,
  TABLE_KEYS,
  type Table,
} from '#platform/dynamo/table.js';
import { storeOf, type Translators } from '#platform/dynamo/unit-of-work.js';
import { type Form, FormSchema, IdempotencyRecordSchema } from './model.js';
import type { CaptureReads, CaptureStore, CaptureWrite } from './store.js';

export const captureKeys = {
  form: (id: string): Key => ({ PK: `FORM#${id}`, SK: 'FORM' }),
  idempotency: (key: string): Key => ({ PK: `IDEMPOTENCY#${key}`, SK: 'IDEMPOTENCY' }),
};
const allForms = (formId: string) => ({ GSI1PK: 'FORMS', GSI1SK: formId });

const decodeForm = (item: Item): Form => decode(FormSchema, item);

export const captureTranslators: Translators<
  Extract<CaptureWrite, { kind: 'putForm' | 'claimIdempotency' }>
> = {
  putForm: ({ form }, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: { ...captureKeys.form(form.id), ...allForms(form.id), ...stamp('Form'), ...form },
        },
      },
    },
  ],
  claimIdempotency: (write, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: {
            ...captureKeys.idempotency(write.key),
            ...stamp('Idempotency'),
            record: write.record,
            expiresAt: epochSeconds(write.expiresAt),
            [TABLE_KEYS.ttlAttribute]: epochSeconds(write.expiresAt),
          },
          ConditionExpression: 'attribute_not_exists(PK) OR #expiresAt <= :now',
          ExpressionAttributeNames: { '#expiresAt': 'expiresAt' },
          ExpressionAttributeValues: { ':now': epochSeconds(write.now) },
        },
      },
    },
  ],
};

export function captureReads(table: Table): CaptureReads {
  return {
    async getForm(id) {
      const item = await table.get(captureKeys.form(id));
      return item ? decodeForm(item) : undefined;
    },
    listForms: (options) => table.page({ index: 'GSI1', partition: 'FORMS' }, options, decodeForm),
    async getIdempotency(key, now) {
      const item = await table.get(captureKeys.idempotency(key));
      if (!item || Number(item.expiresAt) <= epochSeconds(now)) return undefined;
      return IdempotencyRecordSchema.parse(item.record);
    },
  };
}

export const captureStore = (table: Table): CaptureStore =>
  storeOf<CaptureWrite>({ ...contactsTranslators, ...captureTranslators })(table, {
    ...contactsReads(table),
    ...captureReads(table),
  });
