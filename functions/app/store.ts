/**
 * The composition root of storage: every context's reads and write translators over one table, and
 * one unit of work that commits any mix of their writes in one transaction.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AccessReads, AccessWrite } from '#access/store.js';
import { accessReads, accessTranslators } from '#access/store-dynamo.js';
import type { AppointmentsReads, AppointmentsWrite } from '#appointments/store.js';
import { appointmentsReads, appointmentTranslators } from '#appointments/store-dynamo.js';
import type { AutomationReads, AutomationWrite } from '#automation/store.js';
import { automationReads, automationTranslators } from '#automation/store-dynamo.js';
import { waiterTranslators } from '#automation/store-dynamo-waiters.js';
import type { BulkReads, BulkWrite } from '#bulk/store.js';
import { bulkReads, bulkTranslators } from '#bulk/store-dynamo.js';
import type { CampaignsReads, CampaignsWrite } from '#campaigns/store.js';
import { campaignsReads, campaignTranslators } from '#campaigns/store-dynamo.js';
import type { CaptureReads, CaptureWrite } from '#capture/store.js';
import { captureReads, captureTranslators } from '#capture/store-dynamo.js';
import type { CommerceReads, CommerceWrite } from '#commerce/store.js';
import { commerceReads, commerceTranslators } from '#commerce/store-dynamo.js';
import type { CompaniesReads, CompaniesWrite } from '#companies/store.js';
import { companiesReads, companiesTranslators } from '#companies/store-dynamo.js';
import type { ContactsReads } from '#contacts/store.js';
import { contactsReads, contactsTranslators } from '#contacts/store-dynamo.js';
import type { ImportsReads, ImportsWrite } from '#imports/store.js';
import { importsReads, importTranslators } from '#imports/store-dynamo.js';
import type { InsightsReads, InsightsWrite } from '#insights/store.js';
import { insightsReads, insightsTranslators } from '#insights/store-dynamo.js';
import type { KnowledgeReads, KnowledgeWrite } from '#knowledge/store.js';
import { knowledgeReads, knowledgeTranslators } from '#knowledge/store-dynamo.js';
import type { MessagingReads } from '#messaging/store.js';
import { messagingReads, messagingTranslators } from '#messaging/store-dynamo.js';
import { Table, type TransactItem } from '#platform/dynamo/table.js';
import { emitTranslator, unitOfWork } from '#platform/dynamo/unit-of-work.js';
import type { Commit, Deps } from '#platform/store.js';
import type { PredictionsReads, PredictionsWrite } from '#predictions/store.js';
import { predictionsReads, predictionsTranslators } from '#predictions/store-dynamo.js';
import { type ContactDealReads, contactDealReads } from '#sales/contact-deals.js';
import type { SalesReads } from '#sales/store.js';
import { salesReads, salesTranslators } from '#sales/store-dynamo.js';
import type { ScoringReads, ScoringWrite } from '#scoring/store.js';
import { scoringReads, scoringTranslators } from '#scoring/store-dynamo.js';
import type { ServiceReads, ServiceWrite } from '#service/store.js';
import { serviceReads, serviceTranslators } from '#service/store-dynamo.js';
import type { TrackingReads, TrackingWrite } from '#tracking/store.js';
import { trackingReads, trackingTranslators } from '#tracking/store-dynamo.js';
import type { WebhooksReads, WebhooksWrite } from '#webhooks/store.js';
import { webhooksReads, webhooksTranslators } from '#webhooks/store-dynamo.js';

/** Every write kind of every context (automation's union already holds messaging, sales and contacts). */
export type AppWrite =
  | AutomationWrite
  | CaptureWrite
  | InsightsWrite
  | ImportsWrite
  | BulkWrite
  | CampaignsWrite
  | CommerceWrite
  | AccessWrite
  | WebhooksWrite
  | AppointmentsWrite
  | ScoringWrite
  | TrackingWrite
  | PredictionsWrite
  | ServiceWrite
  | KnowledgeWrite
  | CompaniesWrite;

export type AppStore = ContactsReads &
  CaptureReads &
  MessagingReads &
  AutomationReads &
  SalesReads &
  InsightsReads &
  ImportsReads &
  BulkReads &
  CampaignsReads &
  CommerceReads &
  AccessReads &
  WebhooksReads &
  AppointmentsReads &
  ScoringReads &
  TrackingReads &
  PredictionsReads &
  ServiceReads &
  KnowledgeReads &
  CompaniesReads &
  ContactDealReads &
  Commit<AppWrite> & {
    /** The transaction items `commit` would send (bulk loaders and benchmarks). */
    transactItems(writes: AppWrite[]): TransactItem[];
    itemCount(writes: AppWrite[]): number;
  };

export type AppDeps = Deps<AppStore>;

export function dynamoStore(db: DynamoDBDocumentClient, tableName: string): AppStore {
  const table = new Table(db, tableName);
  const unit = unitOfWork<AppWrite>(table, {
    ...emitTranslator,
    ...contactsTranslators,
    ...captureTranslators,
    ...messagingTranslators,
    ...salesTranslators,
    ...automationTranslators,
    ...waiterTranslators,
    ...insightsTranslators,
    ...importTranslators,
    ...bulkTranslators,
    ...campaignTranslators,
    ...commerceTranslators,
    ...accessTranslators,
    ...webhooksTranslators,
    ...appointmentTranslators,
    ...scoringTranslators,
    ...trackingTranslators,
    ...predictionsTranslators,
    ...serviceTranslators,
    ...knowledgeTranslators,
    ...companiesTranslators,
  });
  return {
    ...contactsReads(table),
    ...captureReads(table),
    ...messagingReads(table),
    ...salesReads(table),
    ...automationReads(table),
    ...insightsReads(table),
    ...importsReads(table),
    ...bulkReads(table),
    ...campaignsReads(table),
    ...commerceReads(table),
    ...accessReads(table),
    ...webhooksReads(table),
    ...appointmentsReads(table),
    ...scoringReads(table),
    ...trackingReads(table),
    ...predictionsReads(table),
    ...serviceReads(table),
    ...knowledgeReads(table),
    ...companiesReads(table),
    ...contactDealReads(table),
    commit: unit.commit,
    transactItems: unit.transactItems,
    itemCount: (writes) => unit.transactItems(writes).length,
  };
}

/** Every context's store on the runtime's table (functions that span contexts: the job workers). */
export const appStore = (table: Table): AppStore => dynamoStore(table.db, table.name);
