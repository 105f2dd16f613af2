/**
 * The contacts context on the single table: its keys (docs/data-model.md), how its writes become
 * transaction items, and its reads, each decoded through the record's schema.
 */
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { decode, type Item, stamp, stripKeys, type Table } from '#platform/dynamo/table.js';
import { guardedPut, outboxItem, storeOf, type Translators } from '#platform/dynamo/unit-of-work.js';
import type { Emit } from '#platform/store.js';
import { contactIndexes, contactKeys, contactNameIndex, contactPartition, ENTITY } from './keys.js';
import {
  type Activity,
  ActivitySchema,
  type Contact,
  ContactSchema,
  FieldDefinitionSchema,
  SuppressionSchema,
} from './model.js';
import type { ContactsReads, ContactsStore, ContactsWrite } from './store.js';
import { isLifted, standingTranslators } from './store-dynamo-standing.js';
import { contactViewReads, contactViewTranslators } from './views-store-dynamo.js';

export { contactIndexes, contactKeys, contactPartition, ENTITY } from './keys.js';
export { isLifted } from './store-dynamo-standing.js';

export function decodeContact(item: Item): Contact {
  return decode(ContactSchema, item, (rest) => ({
    ...rest,
    fields: rest.fields ?? {},
    tags: [...((rest.tags as Set<string> | undefined) ?? [])].sort(),
  }));
}

const decodeActivity = (item: Item): Activity => decode(ActivitySchema, item);
/** The sort key of scoring's standing item in the contact's partition (its score and lifecycle stage). */
const STANDING_SK = 'STANDING';

function contactItem(contact: Contact): Item {
  const { tags, ...rest } = contact;
  return {
    ...contactKeys.contact(contact.id),
    ...contactIndexes.allContacts(contact.id),
    ...stamp(ENTITY.contact),
    ...rest,
    ...(tags.length > 0 ? { tags: new Set(tags) } : {}),
  };
}

const emailGuard = (TableName: string, email: string, contactId: string) => ({
  Put: {
    TableName,
    Item: { ...contactKeys.email(email), ...stamp(ENTITY.email), contactId },
    ConditionExpression: 'attribute_not_exists(PK)',
  },
});

export const contactsTranslators: Translators<Exclude<ContactsWrite, Emit>> = {
  createContact: ({ contact }, TableName) => [
    {
      item: {
        Put: { TableName, Item: contactItem(contact), ConditionExpression: 'attribute_not_exists(PK)' },
      },
    },
    { item: emailGuard(TableName, contact.email, contact.id), part: 'email' },
  ],
  replaceContact: ({ contact, expectedVersion, previousEmail }, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: contactItem(contact),
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        },
      },
      part: 'version',
    },
    ...(contact.email === previousEmail
      ? []
      : [
          { item: { Delete: { TableName, Key: contactKeys.email(previousEmail) } }, part: 'email' },
          { item: emailGuard(TableName, contact.email, contact.id), part: 'email' },
        ]),
  ],
  mergeContact: (write, TableName) => [
    { item: { Update: { TableName, Key: contactKeys.contact(write.contactId), ...mergeExpression(write) } } },
  ],
  addTag: (write, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: {
            ...contactKeys.contactTag(write.contactId, write.tag),
            ...contactIndexes.contactsWithTag(write.tag, write.contactId),
            ...stamp(ENTITY.contactTag),
            contactId: write.contactId,
            tag: write.tag,
            taggedAt: write.taggedAt,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    },
  ],
  removeTag: (write, TableName) => [
    {
      item: {
        Delete: {
          TableName,
          Key: contactKeys.contactTag(write.contactId, write.tag),
          ConditionExpression: 'attribute_exists(PK)',
        },
      },
    },
    {
      item: {
        Update: {
          TableName,
          Key: contactKeys.contact(write.contactId),
          UpdateExpression: 'DELETE #tags :tags SET #version = #version + :one, #updatedAt = :now',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeNames: { '#tags': 'tags', '#version': 'version', '#updatedAt': 'updatedAt' },
          ExpressionAttributeValues: { ':tags': new Set([write.tag]), ':one': 1, ':now': write.updatedAt },
        },
      },
    },
  ],
  putActivity: ({ activity, checkContact }, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: {
            ...contactKeys.activity(activity.contactId, activity.occurredAt, activity.id),
            ...stamp(ENTITY.activity),
            ...activity,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    },
    ...(checkContact
      ? [
          {
            item: {
              ConditionCheck: {
                TableName,
                Key: contactKeys.contact(activity.contactId),
                ConditionExpression: 'attribute_exists(PK)',
              },
            },
          },
        ]
      : []),
  ],
  putFieldDefinition: ({ definition, expectedUpdatedAt }, TableName) =>
    guardedPut(
      TableName,
      { ...contactKeys.fieldDefinition(definition.name), ...stamp('FieldDefinition'), ...definition },
      { attribute: 'updatedAt', expected: expectedUpdatedAt },
    ),
  markReplied: ({ contactId, at }, TableName) => [
    { item: { Put: { TableName, Item: { ...contactKeys.replied(contactId), ...stamp('Replied'), at } } } },
  ],
  ...standingTranslators,
  ...contactViewTranslators,
};

function mergeExpression(write: Extract<ContactsWrite, { kind: 'mergeContact' }>) {
  const names: Record<string, string> = { '#version': 'version', '#updatedAt': 'updatedAt' };
  const values: Record<string, unknown> = { ':one': 1, ':now': write.updatedAt };
  const sets = ['#version = #version + :one', '#updatedAt = :now'];
  const { fields, ...properties } = write.fillBlanks;
  Object.entries(properties).forEach(([name, value], i) => {
    names[`#p${i}`] = name;
    values[`:p${i}`] = value;
    sets.push(`#p${i} = if_not_exists(#p${i}, :p${i})`);
  });
  if (fields && Object.keys(fields).length > 0) {
    names['#fields'] = 'fields';
    Object.entries(fields).forEach(([name, value], i) => {
      names[`#f${i}`] = name;
      values[`:f${i}`] = value;
      sets.push(`#fields.#f${i} = if_not_exists(#fields.#f${i}, :f${i})`);
    });
  }
  const { fields: overwriteFields, ...overwrite } = write.overwrite ?? {};
  Object.entries(overwrite).forEach(([name, value], i) => {
    names[`#o${i}`] = name;
    values[`:o${i}`] = value;
    sets.push(`#o${i} = :o${i}`);
  });
  Object.entries(overwriteFields ?? {}).forEach(([name, value], i) => {
    names['#fields'] = 'fields';
    names[`#g${i}`] = name;
    values[`:g${i}`] = value;
    sets.push(`#fields.#g${i} = :g${i}`);
  });
  if (write.lastImport) {
    names['#lastImport'] = 'lastImport';
    values[':lastImport'] = write.lastImport;
    sets.push('#lastImport = :lastImport');
  }
  if (write.consent) {
    names['#consent'] = 'consent';
    values[':consent'] = write.consent;
    sets.push('#consent = :consent');
  }
  let expression = `SET ${sets.join(', ')}`;
  if (write.addTags.length > 0) {
    names['#tags'] = 'tags';
    values[':tags'] = new Set(write.addTags);
    expression += ' ADD #tags :tags';
  }
  if (write.resubscribe) {
    names['#unsub'] = 'unsubscribedAt';
    names['#supp'] = 'emailSuppression';
    expression += ' REMOVE #unsub, #supp';
  }
  return {
    UpdateExpression: expression,
    ConditionExpression: 'attribute_exists(PK)',
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
}

export function contactsReads(table: Table): ContactsReads {
  const getContacts = async (ids: string[]) => {
    const items = await table.batchGet([...new Set(ids)].map(contactKeys.contact));
    return new Map(items.map((item) => [String(item.id), decodeContact(item)]));
  };
  return {
    ...contactViewReads(table),
    async listFieldDefinitions() {
      const items = await table.all({ partition: contactKeys.fieldDefinitions, ascending: true }, 200);
      return items.map((item) => decode(FieldDefinitionSchema, item));
    },
    async getRepliedAt(contactId) {
      const at = (await table.get(contactKeys.replied(contactId)))?.at;
      return typeof at === 'string' ? at : undefined;
    },
    async getSuppression(email) {
      const item = await table.get(contactKeys.suppression(email));
      return item && !isLifted(item) ? decode(SuppressionSchema, item) : undefined;
    },
    async getContact(id) {
      const item = await table.get(contactKeys.contact(id));
      return item ? decodeContact(item) : undefined;
    },
    getContacts,
    async findContactIdByEmail(email) {
      const item = await table.get(contactKeys.email(email));
      return typeof item?.contactId === 'string' ? item.contactId : undefined;
    },
    async listContacts({ sort, ...options }) {
      if (sort === 'name' || sort === '-name') {
        // The name index (kept by the search consumer): one Query in key order, one BatchGetItem.
        const page = await table.query(
          { index: 'GSI2', partition: contactNameIndex.partition, ascending: sort === 'name' },
          options,
        );
        const ids = page.items.map((i) => String(i.contactId));
        const contacts = ids.length > 0 ? await getContacts(ids) : new Map<string, Contact>();
        // An entry of a contact being erased may outlive its profile for a moment: skip it.
        return { ...page, items: ids.flatMap((id) => contacts.get(id) ?? []) };
      }
      return table.page(
        { index: 'GSI1', partition: contactIndexes.partitions.allContacts, ascending: sort === 'created' },
        options,
        decodeContact,
      );
    },
    async listContactsByTag(tag, { sort, ...options }) {
      const page = await table.query(
        {
          index: 'GSI1',
          partition: contactIndexes.partitions.contactsWithTag(tag),
          ascending: sort === 'created',
        },
        options,
      );
      const ids = page.items.map((i) => String(i.contactId));
      const contacts = await getContacts(ids);
      // Tag items of a contact being erased may outlive its profile for a moment: skip those.
      return { ...page, items: ids.flatMap((id) => contacts.get(id) ?? []) };
    },
    async getActivity(contactId, occurredAt, id) {
      const item = await table.get(contactKeys.activity(contactId, occurredAt, id));
      return item ? decodeActivity(item) : undefined;
    },
    listActivities: (contactId, options) =>
      table.page(
        { partition: contactPartition(contactId), prefix: contactKeys.activityPrefix },
        options,
        decodeActivity,
      ),
    async contactRecords(contactId) {
      const items = await table.all({ partition: contactPartition(contactId), ascending: true }, 500);
      return items.map((item) => ({
        type: item._type,
        ...Object.fromEntries(
          Object.entries(stripKeys(item)).map(([k, v]) => [k, v instanceof Set ? [...v].sort() : v]),
        ),
      }));
    },
    async getLifecycleStage(contactId) {
      // Scoring's standing item (scoring/store-dynamo.ts): only its `stage` is read, as text.
      const item = await table.get({ PK: contactPartition(contactId), SK: STANDING_SK });
      return typeof item?.stage === 'string' ? item.stage : undefined;
    },
    async deleteContact(contact, events) {
      await table.db.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: table.name,
                Key: contactKeys.contact(contact.id),
                ConditionExpression: 'attribute_exists(PK)',
              },
            },
            { Delete: { TableName: table.name, Key: contactKeys.email(contact.email) } },
            ...events.map((e) => ({ Put: { TableName: table.name, Item: outboxItem(e) } })),
          ],
        }),
      );
      // Erase the rest of the contact's partition (tags, activities, enrollments, sends).
      await table.erasePartition(contactPartition(contact.id));
    },
  };
}

export const contactsStore = (table: Table): ContactsStore =>
  storeOf<ContactsWrite>(contactsTranslators)(table, contactsReads(table));
