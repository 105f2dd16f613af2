/** Lead capture on the single table: forms, idempotency and form-token claims, dropped submissions, rate windows. */

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
import {
  type DroppedSubmission,
  DroppedSubmissionSchema,
  type Form,
  FormSchema,
  IdempotencyRecordSchema,
} from './model.js';
import type { CaptureReads, CaptureStore, CaptureWrite } from './store.js';

export const captureKeys = {
  form: (id: string): Key => ({ PK: `FORM#${id}`, SK: 'FORM' }),
  idempotency: (key: string): Key => ({ PK: `IDEMPOTENCY#${key}`, SK: 'IDEMPOTENCY' }),
  formToken: (formId: string, nonce: string): Key => ({
    PK: `FORMTOKEN#${formId}#${nonce}`,
    SK: 'FORMTOKEN',
  }),
  /** A form's dropped submissions: one partition per form, newest last by sort key. */
  droppedSubmissions: (formId: string) => `FORMDROPS#${formId}`,
  droppedSubmission: (d: Pick<DroppedSubmission, 'formId' | 'droppedAt' | 'id'>): Key => ({
    PK: captureKeys.droppedSubmissions(d.formId),
    SK: `${d.droppedAt}#${d.id}`,
  }),
  rateWindow: (key: string): Key => ({ PK: `RATE#${key}`, SK: 'RATE' }),
};
/** Dropped submissions are kept this long (what a marketer needs to notice a problem and act). */
const DROPPED_RETENTION_SECONDS = 30 * 24 * 3600;
const allForms = (formId: string) => ({ GSI1PK: 'FORMS', GSI1SK: formId });

const decodeForm = (item: Item): Form => decode(FormSchema, item);
const decodeDropped = (item: Item): DroppedSubmission => decode(DroppedSubmissionSchema, item);

export const captureTranslators: Translators<
  Extract<CaptureWrite, { kind: 'putForm' | 'claimIdempotency' | 'claimFormToken' | 'putDroppedSubmission' }>
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
  claimFormToken: ({ formId, nonce, expiresAt }, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: {
            ...captureKeys.formToken(formId, nonce),
            ...stamp('FormTokenClaim'),
            [TABLE_KEYS.ttlAttribute]: epochSeconds(expiresAt),
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    },
  ],
  putDroppedSubmission: ({ dropped }, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: {
            ...captureKeys.droppedSubmission(dropped),
            ...stamp('DroppedSubmission'),
            ...dropped,
            [TABLE_KEYS.ttlAttribute]: epochSeconds(new Date(dropped.droppedAt)) + DROPPED_RETENTION_SECONDS,
          },
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
    listDroppedSubmissions: (formId, options) =>
      table.page({ partition: captureKeys.droppedSubmissions(formId) }, options, decodeDropped),
    takeRateSlot: (key, limit, windowEnd) => table.takeSlot(captureKeys.rateWindow(key), limit, windowEnd),
  };
}

export const captureStore = (table: Table): CaptureStore =>
  storeOf<CaptureWrite>({ ...contactsTranslators, ...captureTranslators })(table, {
    ...contactsReads(table),
    ...captureReads(table),
  });
