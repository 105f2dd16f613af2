/**
 * The automation store: the automation context's reads and write translators composed with those of
 * the contexts its use cases read and write (contacts, messaging, sales; a form, segment, meeting
 * type or webhook a step names). A store that spans automation (bulk's) composes these with its own.
 */
import { appointmentsReads } from '#appointments/store-dynamo.js';
import { captureReads } from '#capture/store-dynamo.js';
import { contactsReads, contactsTranslators } from '#contacts/store-dynamo.js';
import { insightsReads } from '#insights/store-dynamo.js';
import { messagingReads, messagingTranslators } from '#messaging/store-dynamo.js';
import type { Table } from '#platform/dynamo/table.js';
import { storeOf } from '#platform/dynamo/unit-of-work.js';
import { salesReads, salesTranslators } from '#sales/store-dynamo.js';
import { webhooksReads } from '#webhooks/store-dynamo.js';
import type { AutomationStore, AutomationWrite } from './store.js';
import { automationReads, automationTranslators } from './store-dynamo.js';
import { waiterTranslators } from './store-dynamo-waiters.js';

export const automationStoreTranslators = {
  ...contactsTranslators,
  ...messagingTranslators,
  ...salesTranslators,
  ...automationTranslators,
  ...waiterTranslators,
};

export const automationStoreReads = (table: Table) => ({
  ...contactsReads(table),
  getForm: captureReads(table).getForm,
  getSegment: insightsReads(table).getSegment,
  getMeetingType: appointmentsReads(table).getMeetingType,
  getWebhook: webhooksReads(table).getWebhook,
  ...messagingReads(table),
  ...salesReads(table),
  ...automationReads(table),
});

export const automationStore = (table: Table): AutomationStore =>
  storeOf<AutomationWrite>(automationStoreTranslators)(table, automationStoreReads(table));
