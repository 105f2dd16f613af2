/**
 * Saved views on the single table (docs/contact-lists.md):
 *
 * | item | PK | SK |
 * |---|---|---|
 * | a view | `CONTACTVIEWS` | `VIEW#<id>` |
 * | its name's guard (one view per name, in any case) | `CONTACTVIEWS` | `NAME#<name in lower case>` |
 * | how many views exist (at most MAX_CONTACT_VIEWS) | `CONTACTVIEWS` | `COUNT` |
 */
import { decode, type Item, stamp, type Table } from '#platform/dynamo/table.js';
import { type Part, type Translators, versionedDelete } from '#platform/dynamo/unit-of-work.js';
import { contactKeys, ENTITY } from './keys.js';
import { type ContactView, ContactViewSchema, MAX_CONTACT_VIEWS } from './views-model.js';
import type { ContactViewsReads, ContactViewsWrite } from './views-store.js';

const viewItem = (view: ContactView): Item => ({
  ...contactKeys.view(view.id),
  ...stamp(ENTITY.view),
  ...view,
});

const nameGuard = (TableName: string, name: string, viewId: string): Part => ({
  item: {
    Put: {
      TableName,
      Item: { ...contactKeys.viewName(name), ...stamp(ENTITY.viewName), viewId },
      ConditionExpression: 'attribute_not_exists(PK)',
    },
  },
  part: 'name',
});

const countBy = (TableName: string, delta: 1 | -1): Part => ({
  item: {
    Update: {
      TableName,
      Key: contactKeys.viewCount(),
      UpdateExpression: 'SET #type = :type ADD #count :delta',
      ...(delta > 0 ? { ConditionExpression: 'attribute_not_exists(#count) OR #count < :max' } : {}),
      ExpressionAttributeNames: { '#count': 'count', '#type': '_type' },
      ExpressionAttributeValues: {
        ':delta': delta,
        ':type': ENTITY.viewCount,
        ...(delta > 0 ? { ':max': MAX_CONTACT_VIEWS } : {}),
      },
    },
  },
  part: 'limit',
});

const sameName = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export const contactViewTranslators: Translators<ContactViewsWrite> = {
  createContactView: ({ view }, TableName) => [
    {
      item: { Put: { TableName, Item: viewItem(view), ConditionExpression: 'attribute_not_exists(PK)' } },
      part: 'version',
    },
    nameGuard(TableName, view.name, view.id),
    countBy(TableName, 1),
  ],
  replaceContactView: ({ view, expectedVersion, previousName }, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: viewItem(view),
          ConditionExpression: '#version = :expected',
          ExpressionAttributeNames: { '#version': 'version' },
          ExpressionAttributeValues: { ':expected': expectedVersion },
        },
      },
      part: 'version',
    },
    ...(sameName(view.name, previousName)
      ? []
      : [
          {
            item: { Delete: { TableName, Key: contactKeys.viewName(previousName) } },
            part: 'name',
          },
          nameGuard(TableName, view.name, view.id),
        ]),
  ],
  deleteContactView: ({ id, name, expectedVersion }, TableName) => [
    versionedDelete(TableName, contactKeys.view(id), expectedVersion, 'version'),
    { item: { Delete: { TableName, Key: contactKeys.viewName(name) } }, part: 'name' },
    countBy(TableName, -1),
  ],
};

const decodeView = (item: Item): ContactView => decode(ContactViewSchema, item);

export function contactViewReads(table: Table): ContactViewsReads {
  return {
    async getContactView(id) {
      const item = await table.get(contactKeys.view(id));
      return item ? decodeView(item) : undefined;
    },
    async listContactViews() {
      const items = await table.all(
        { partition: contactKeys.views, prefix: contactKeys.viewPrefix, ascending: true },
        MAX_CONTACT_VIEWS + 1,
      );
      return items.map(decodeView);
    },
  };
}
