import { createHash } from 'node:crypto';
/** Email on the single table: templates, sends and message references, engagement, follow-ups. */

import type { ContactsWrite } from '#contacts/store.js';
import { contactPartition, contactsReads, contactsTranslators } from '#contacts/store-dynamo.js';
import { decode, type Item, type Key, stamp, type Table } from '#platform/dynamo/table.js';
import { guardedPut, storeOf, type Translators } from '#platform/dynamo/unit-of-work.js';
import type { Emit } from '#platform/store.js';
import {
  CAMPAIGN_SLOT,
  type EmailSend,
  EmailSendSchema,
  type EmailSettings,
  EmailSettingsSchema,
  type EmailTemplate,
  type EngagementType,
  type FollowUp,
  FollowUpSchema,
  type SendCap,
  SendCapSchema,
  TemplateSchema,
} from './model.js';
import type { MessagingReads, MessagingStore, MessagingWrite } from './store.js';

/** The sort key prefix of a contact's send ledger. */
const SEND_PREFIX = 'SEND#';

export const messagingKeys = {
  template: (id: string): Key => ({ PK: `TEMPLATE#${id}`, SK: 'TEMPLATE' }),
  send: (contactId: string, enrollmentId: string, stepId: string): Key => ({
    PK: contactPartition(contactId),
    SK: `${SEND_PREFIX}${enrollmentId}#${stepId}`,
  }),
  message: (messageId: string): Key => ({ PK: `MESSAGE#${messageId}`, SK: 'MESSAGE' }),
  /** The contact's latest open or click (also listed on GSI1 by time, for engagement segments). */
  engagement: (contactId: string, type: EngagementType): Key => ({
    PK: contactPartition(contactId),
    SK: `ENGAGED#${type}`,
  }),
  /** The contact clicked this link of this campaign's email (counted once per contact and link). */
  linkClick: (contactId: string, campaignId: string, link: string): Key => ({
    PK: contactPartition(contactId),
    SK: `LINKCLICK#${campaignId}#${createHash('sha256').update(link).digest('base64url').slice(0, 22)}`,
  }),
  followUp: (id: string): Key => ({ PK: `FOLLOWUP#${id}`, SK: 'FOLLOWUP' }),
  settings: (): Key => ({ PK: 'SETTINGS#email', SK: 'SETTINGS' }),
  /** The contact's recent marketing sends (the frequency cap); erased with the contact's partition. */
  sendCap: (contactId: string): Key => ({ PK: contactPartition(contactId), SK: 'SENDCAP' }),
};

export const messagingIndexes = {
  allTemplates: (id: string) => ({ GSI1PK: 'TEMPLATES', GSI1SK: id }),
  followUpsOfContact: (contactId: string, sendAt: string, id: string) => ({
    GSI1PK: `FOLLOWUPS#${contactId}`,
    GSI1SK: `${sendAt}#${id}`,
  }),
  contactsEngaged: (type: EngagementType, at: string, contactId: string) => ({
    GSI1PK: `ENGAGED#${type}`,
    GSI1SK: `${at}#${contactId}`,
  }),
  /** GSI2: follow-ups being sent, by when they started, for the reconciler (few at any time). */
  followUpsSending: (updatedAt: string, id: string) => ({
    GSI2PK: 'FOLLOWUPS#SENDING',
    GSI2SK: `${updatedAt}#${id}`,
  }),
  partitions: {
    allTemplates: 'TEMPLATES',
    followUpsSending: 'FOLLOWUPS#SENDING',
    followUpsOfContact: (contactId: string) => `FOLLOWUPS#${contactId}`,
    contactsEngaged: (type: EngagementType) => `ENGAGED#${type}`,
  },
};

const decodeTemplate = (item: Item): EmailTemplate => decode(TemplateSchema, item);
const decodeSend = (item: Item): EmailSend => decode(EmailSendSchema, item);
const decodeFollowUp = (item: Item): FollowUp => decode(FollowUpSchema, item);
const decodeSettings = (item: Item): EmailSettings => decode(EmailSettingsSchema, item);
const decodeSendCap = (item: Item): SendCap => decode(SendCapSchema, item);

type OwnWrite = Exclude<MessagingWrite, ContactsWrite | Emit>;

export const messagingTranslators: Translators<OwnWrite> = {
  putTemplate: ({ template, expectedVersion }, TableName) =>
    guardedPut(
      TableName,
      {
        ...messagingKeys.template(template.id),
        ...messagingIndexes.allTemplates(template.id),
        ...stamp('EmailTemplate'),
        ...template,
      },
      { attribute: 'version', expected: expectedVersion },
    ),
  claimSend: ({ send, takeOver }, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: {
            ...messagingKeys.send(send.contactId, send.enrollmentId, send.stepId),
            ...stamp('EmailSend'),
            ...send,
          },
          ...(takeOver
            ? takeOver.claimedUntil === undefined
              ? {
                  ConditionExpression: '#status = :sending AND attribute_not_exists(#until)',
                  ExpressionAttributeNames: { '#status': 'status', '#until': 'claimedUntil' },
                  ExpressionAttributeValues: { ':sending': 'sending' },
                }
              : {
                  ConditionExpression: '#status = :sending AND #until = :until',
                  ExpressionAttributeNames: { '#status': 'status', '#until': 'claimedUntil' },
                  ExpressionAttributeValues: { ':sending': 'sending', ':until': takeOver.claimedUntil },
                }
            : { ConditionExpression: 'attribute_not_exists(PK)' }),
        },
      },
    },
  ],
  releaseSend: ({ send }, TableName) => [
    {
      item: {
        Delete: {
          TableName,
          Key: messagingKeys.send(send.contactId, send.enrollmentId, send.stepId),
          // Only one's own claim: after a takeover the slot belongs to the newer attempt.
          ConditionExpression: '#status = :sending AND #until = :until',
          ExpressionAttributeNames: { '#status': 'status', '#until': 'claimedUntil' },
          ExpressionAttributeValues: { ':sending': 'sending', ':until': send.claimedUntil ?? '' },
        },
      },
    },
  ],
  completeSend: ({ send: s }, TableName) => [
    {
      item: {
        Update: {
          TableName,
          Key: messagingKeys.send(s.contactId, s.enrollmentId, s.stepId),
          UpdateExpression: 'SET #status = :sent, #mid = :mid, #at = :at REMOVE #until',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeNames: {
            '#status': 'status',
            '#mid': 'messageId',
            '#at': 'sentAt',
            '#until': 'claimedUntil',
          },
          ExpressionAttributeValues: { ':sent': 'sent', ':mid': s.messageId, ':at': s.sentAt },
        },
      },
    },
    {
      item: {
        Put: {
          TableName,
          Item: {
            ...messagingKeys.message(s.messageId),
            ...stamp('MessageRef'),
            contactId: s.contactId,
            enrollmentId: s.enrollmentId,
            stepId: s.stepId,
            ...(s.workflowId ? { workflowId: s.workflowId } : {}),
            templateId: s.templateId,
          },
        },
      },
    },
  ],
  recordLinkClick: ({ contactId, campaignId, link, at }, TableName) =>
    guardedPut(
      TableName,
      { ...messagingKeys.linkClick(contactId, campaignId, link), ...stamp('LinkClick'), link, at },
      { attribute: 'PK', expected: undefined },
    ),
  recordEngagement: ({ send: s, type, at }, TableName) => {
    const attr = type === 'opened' ? 'openedAt' : 'clickedAt';
    return [
      {
        item: {
          Update: {
            TableName,
            Key: messagingKeys.send(s.contactId, s.enrollmentId, s.stepId),
            UpdateExpression: 'SET #attr = :at',
            ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(#attr)',
            ExpressionAttributeNames: { '#attr': attr },
            ExpressionAttributeValues: { ':at': at },
          },
        },
      },
      {
        item: {
          Put: {
            TableName,
            Item: {
              ...messagingKeys.engagement(s.contactId, type),
              ...messagingIndexes.contactsEngaged(type, at, s.contactId),
              ...stamp('Engagement'),
              contactId: s.contactId,
              at,
            },
          },
        },
        part: 'engagement',
      },
    ];
  },
  putFollowUp: ({ followUp: f, expectedStatus }, TableName) =>
    guardedPut(
      TableName,
      {
        ...messagingKeys.followUp(f.id),
        ...messagingIndexes.followUpsOfContact(f.contactId, f.sendAt, f.id),
        ...(f.status === 'sending' ? messagingIndexes.followUpsSending(f.updatedAt, f.id) : {}),
        ...stamp('FollowUp'),
        ...f,
      },
      { attribute: 'status', expected: expectedStatus },
    ),
  putEmailSettings: ({ settings, expectedUpdatedAt }, TableName) => {
    const Item = { ...messagingKeys.settings(), ...stamp('EmailSettings'), ...settings };
    return expectedUpdatedAt === undefined
      ? [{ item: { Put: { TableName, Item } } }]
      : guardedPut(TableName, Item, { attribute: 'updatedAt', expected: expectedUpdatedAt });
  },
  putSendCap: ({ cap }, TableName) =>
    guardedPut(
      TableName,
      { ...messagingKeys.sendCap(cap.contactId), ...stamp('SendCap'), ...cap },
      { attribute: 'version', expected: cap.version === 1 ? undefined : cap.version - 1 },
    ),
};

export function messagingReads(table: Table): MessagingReads {
  const getSend = async (contactId: string, enrollmentId: string, stepId: string) => {
    const item = await table.get(messagingKeys.send(contactId, enrollmentId, stepId));
    return item ? decodeSend(item) : undefined;
  };
  return {
    async getTemplate(id) {
      const item = await table.get(messagingKeys.template(id));
      return item ? decodeTemplate(item) : undefined;
    },
    listTemplates: (options) =>
      table.page(
        { index: 'GSI1', partition: messagingIndexes.partitions.allTemplates },
        options,
        decodeTemplate,
      ),
    getSend,
    async findSendByMessageId(messageId) {
      const ref = await table.get(messagingKeys.message(messageId));
      return ref ? getSend(String(ref.contactId), String(ref.enrollmentId), String(ref.stepId)) : undefined;
    },
    async listCampaignSends(contactId) {
      const items = await table.all({
        partition: contactPartition(contactId),
        prefix: messagingKeys.send(contactId, CAMPAIGN_SLOT, '').SK,
      });
      return items.map(decodeSend);
    },
    async listSends(contactId) {
      const items = await table.all({ partition: contactPartition(contactId), prefix: SEND_PREFIX });
      return items.map(decodeSend);
    },
    async getEngagements(ids, type) {
      const items = await table.batchGet([...new Set(ids)].map((id) => messagingKeys.engagement(id, type)));
      return new Map(items.map((i) => [String(i.contactId), String(i.at)]));
    },
    async getEmailSettings() {
      const item = await table.get(messagingKeys.settings());
      return item ? decodeSettings(item) : {};
    },
    async getSendCap(contactId) {
      const item = await table.get(messagingKeys.sendCap(contactId));
      return item ? decodeSendCap(item) : undefined;
    },
    async getFollowUp(id) {
      const item = await table.get(messagingKeys.followUp(id));
      return item ? decodeFollowUp(item) : undefined;
    },
    async listSendingFollowUps(before, limit) {
      const page = await table.query(
        {
          index: 'GSI2',
          partition: messagingIndexes.partitions.followUpsSending,
          before: before.toISOString(),
          ascending: true,
        },
        { limit },
      );
      return page.items.map(decodeFollowUp);
    },
    listFollowUps: (contactId, options) =>
      table.page(
        {
          index: 'GSI1',
          partition: messagingIndexes.partitions.followUpsOfContact(contactId),
          ascending: true,
        },
        options,
        decodeFollowUp,
      ),
  };
}

export const messagingStore = (table: Table): MessagingStore =>
  storeOf<MessagingWrite>({ ...contactsTranslators, ...messagingTranslators })(table, {
    ...contactsReads(table),
    ...messagingReads(table),
  });
