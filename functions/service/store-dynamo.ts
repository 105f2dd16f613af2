/**
 * Customer service's keys and its store on the single table:
 *
 * | item | PK | SK |
 * |---|---|---|
 * | a case | `CASE#<id>` | `CASE` |
 * | a message on it | `CASE#<id>` | `MSG#<at>#<messageId>` |
 * | its reference (`[#K7Q2M9XA]` in subjects) | `CASEREF#<ref>` | `REF` |
 * | an email id sent or received on it (threading) | `MAILID#<emailId>` | `MAILID` |
 * | an inbound email taken in (expires) | `INBOUND#<id>` | `INBOUND` |
 * | the case's copy on its contact (erased with it) | `CONTACT#<contactId>` | `CASE#<createdAt>#<id>` |
 * | the SLA settings (business hours, policies, escalation) | `SERVICE` | `SETTINGS` |
 * | a canned response | `CANNED` | `<id>` |
 * | the notification of a missed SLA target (claimed, then sent) | `CASE#<id>` | `SLANOTICE#<target>#<dueAt>` |
 *
 * A case is on GSI1 under `CASES#<status>` and on GSI2 under `AGENT#<assignee>` (`unassigned`: nobody),
 * whose sort key starts with `active#` or `done#`; both sorted by its latest activity.
 */
import { contactPartition, contactsReads, contactsTranslators } from '#contacts/store-dynamo.js';
import { messagingReads, messagingTranslators } from '#messaging/store-dynamo.js';
import { decode, type Key, stamp, TABLE_KEYS, type Table } from '#platform/dynamo/table.js';
import { guardedPut, storeOf, type Translators, versionGuard } from '#platform/dynamo/unit-of-work.js';
import { DUPLICATE_GUARD_SECONDS } from '#platform/events.js';
import { CannedResponseSchema } from './canned.js';
import { ACTIVE_STATUSES, type Case, CaseMessageSchema, CaseSchema } from './model.js';
import { ServiceSettingsSchema } from './sla-model.js';
import type { ServiceReads, ServiceStore, ServiceWrite } from './store.js';

const casePartition = (id: string) => `CASE#${id}`;
const MESSAGE_PREFIX = 'MSG#';

export const serviceKeys = {
  case: (id: string): Key => ({ PK: casePartition(id), SK: 'CASE' }),
  message: (caseId: string, at: string, id: string): Key => ({
    PK: casePartition(caseId),
    SK: `${MESSAGE_PREFIX}${at}#${id}`,
  }),
  ref: (ref: string): Key => ({ PK: `CASEREF#${ref}`, SK: 'REF' }),
  emailId: (emailId: string): Key => ({ PK: `MAILID#${emailId.toLowerCase()}`, SK: 'MAILID' }),
  inbound: (id: string): Key => ({ PK: `INBOUND#${id}`, SK: 'INBOUND' }),
  settings: (): Key => ({ PK: 'SERVICE', SK: 'SETTINGS' }),
  canned: (id: string): Key => ({ PK: 'CANNED', SK: id }),
  slaNotice: (caseId: string, target: string, dueAt: string): Key => ({
    PK: casePartition(caseId),
    SK: `SLANOTICE#${target}#${dueAt}`,
  }),
  onContact: (c: Pick<Case, 'contactId' | 'createdAt' | 'id'>): Key => ({
    PK: contactPartition(c.contactId),
    SK: `CASE#${c.createdAt}#${c.id}`,
  }),
};

const agentOf = (assignee: string | undefined) => assignee?.toLowerCase() ?? 'unassigned';
const activity = (c: Case) => `${c.lastMessageAt}#${c.id}`;
const caseIndexes = (c: Case) => ({
  GSI1PK: `CASES#${c.status}`,
  GSI1SK: activity(c),
  GSI2PK: `AGENT#${agentOf(c.assignee)}`,
  GSI2SK: `${ACTIVE_STATUSES.includes(c.status) ? 'active' : 'done'}#${activity(c)}`,
});

const caseItem = (c: Case) => ({ ...serviceKeys.case(c.id), ...stamp('Case'), ...c, ...caseIndexes(c) });
const contactCopy = (c: Case, TableName: string) => ({
  item: { Put: { TableName, Item: { ...serviceKeys.onContact(c), ...stamp('ContactCase'), ...c } } },
});

export const serviceTranslators: Translators<
  Extract<
    ServiceWrite,
    {
      kind:
        | 'openCase'
        | 'putCase'
        | 'addCaseMessage'
        | 'claimInbound'
        | 'putServiceSettings'
        | 'putCannedResponse'
        | 'deleteCannedResponse'
        | 'claimSlaNotice'
        | 'completeSlaNotice';
    }
  >
> = {
  claimSlaNotice: ({ caseId, target, dueAt, until, at }, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: {
            ...serviceKeys.slaNotice(caseId, target, dueAt),
            ...stamp('SlaNotice'),
            sent: false,
            until,
          },
          // Free, or claimed by an attempt whose lease ended without sending (it died).
          ConditionExpression: 'attribute_not_exists(PK) OR (#sent = :no AND #until < :now)',
          ExpressionAttributeNames: { '#sent': 'sent', '#until': 'until' },
          ExpressionAttributeValues: { ':no': false, ':now': at },
        },
      },
      part: 'notice',
    },
  ],
  completeSlaNotice: ({ caseId, target, dueAt, at }, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: {
            ...serviceKeys.slaNotice(caseId, target, dueAt),
            ...stamp('SlaNotice'),
            sent: true,
            sentAt: at,
          },
        },
      },
    },
  ],
  putCannedResponse: ({ response, expectedVersion }, TableName) =>
    guardedPut(
      TableName,
      { ...serviceKeys.canned(response.id), ...stamp('CannedResponse'), ...response },
      versionGuard(expectedVersion),
    ).map((p) => ({ ...p, part: 'version' })),
  deleteCannedResponse: ({ id }, TableName) => [
    { item: { Delete: { TableName, Key: serviceKeys.canned(id) } } },
  ],
  putServiceSettings: ({ settings, expectedVersion }, TableName) =>
    guardedPut(
      TableName,
      { ...serviceKeys.settings(), ...stamp('ServiceSettings'), ...settings },
      versionGuard(expectedVersion),
    ).map((p) => ({ ...p, part: 'version' })),
  openCase: ({ case: c }, TableName) => [
    ...guardedPut(TableName, caseItem(c), { attribute: 'version', expected: undefined }),
    {
      item: {
        Put: {
          TableName,
          Item: { ...serviceKeys.ref(c.ref), ...stamp('CaseRef'), caseId: c.id },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      part: 'ref',
    },
    contactCopy(c, TableName),
  ],
  putCase: ({ case: c, expectedVersion }, TableName) => [
    ...guardedPut(TableName, caseItem(c), { attribute: 'version', expected: expectedVersion }).map((p) => ({
      ...p,
      part: 'version',
    })),
    contactCopy(c, TableName),
  ],
  addCaseMessage: ({ message, emailIds }, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: {
            ...serviceKeys.message(message.caseId, message.at, message.id),
            ...stamp('CaseMessage'),
            ...message,
          },
        },
      },
    },
    ...emailIds.map((emailId) => ({
      item: {
        Put: {
          TableName,
          Item: { ...serviceKeys.emailId(emailId), ...stamp('CaseMailId'), caseId: message.caseId },
        },
      },
    })),
  ],
  claimInbound: ({ inboundId, caseId, acknowledge, at }, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: {
            ...serviceKeys.inbound(inboundId),
            ...stamp('InboundEmail'),
            caseId,
            acknowledge,
            at,
            [TABLE_KEYS.ttlAttribute]: Math.floor(Date.parse(at) / 1000) + DUPLICATE_GUARD_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      part: 'duplicate',
    },
  ],
};

const caseIdOf = (item: Record<string, unknown> | undefined) =>
  typeof item?.caseId === 'string' ? item.caseId : undefined;

export function serviceReads(table: Table): ServiceReads {
  const getCase = async (id: string) => {
    const item = await table.get(serviceKeys.case(id));
    return item ? decode(CaseSchema, item) : undefined;
  };
  return {
    async getServiceSettings() {
      const item = await table.get(serviceKeys.settings());
      return item ? decode(ServiceSettingsSchema, item) : undefined;
    },
    getCase,
    async listCannedResponses() {
      const items = await table.all({ partition: 'CANNED', ascending: true }, 200);
      return items
        .map((item) => decode(CannedResponseSchema, item))
        .sort((a, b) => a.name.localeCompare(b.name));
    },
    async getCannedResponse(id) {
      const item = await table.get(serviceKeys.canned(id));
      return item ? decode(CannedResponseSchema, item) : undefined;
    },
    async getCaseByRef(ref) {
      const id = caseIdOf(await table.get(serviceKeys.ref(ref.toUpperCase())));
      return id ? getCase(id) : undefined;
    },
    async findCaseByEmailId(emailId) {
      return caseIdOf(await table.get(serviceKeys.emailId(emailId)));
    },
    async getInbound(inboundId) {
      const item = await table.get(serviceKeys.inbound(inboundId));
      const id = caseIdOf(item);
      return id ? { caseId: id, acknowledge: item?.acknowledge === true } : undefined;
    },
    async listCaseMessages(caseId, limit) {
      const page = await table.page(
        { partition: casePartition(caseId), prefix: MESSAGE_PREFIX, ascending: true },
        { limit },
        (item) => decode(CaseMessageSchema, item),
      );
      return page.items;
    },
    listCases: ({ status, assignee, ...options }) =>
      assignee !== undefined
        ? table.page(
            {
              index: 'GSI2',
              partition: `AGENT#${agentOf(assignee === 'unassigned' ? undefined : assignee)}`,
              prefix: 'active#',
            },
            options,
            (item) => decode(CaseSchema, item),
          )
        : table.page({ index: 'GSI1', partition: `CASES#${status ?? 'new'}` }, options, (item) =>
            decode(CaseSchema, item),
          ),
    listContactCases: (contactId, options) =>
      table.page({ partition: contactPartition(contactId), prefix: 'CASE#' }, options, (item) =>
        decode(CaseSchema, item),
      ),
  };
}

export const serviceStore = (table: Table): ServiceStore =>
  storeOf<ServiceWrite>({ ...contactsTranslators, ...messagingTranslators, ...serviceTranslators })(table, {
    ...contactsReads(table),
    ...messagingReads(table),
    ...serviceReads(table),
  });
