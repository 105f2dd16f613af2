/**
 * The workflow-step Lambda's ports for its deal, notice and webhook steps: sales' index of a
 * contact's deals, the users directory (the user pool; local mode's user list) with access's
 * notices, the webhook subscriptions with the guarded POST of webhook deliveries, and the
 * invocation's metrics.
 */

import { accessStore } from '#access/store-dynamo.js';
import { userDirectory } from '#access/user-directory.js';
import type { StepPorts } from '#automation/step-ports.js';
import type { MetricsBuffer } from '#platform/logger.js';
import { contactDealReads } from '#sales/contact-deals.js';
import { webhooksReads } from '#webhooks/store-dynamo.js';
import { depsOf, table } from './runtime.js';
import { webhookPoster } from './webhook-ports.js';

/** A contact's deals read: at most this many, newest first. */
const CONTACT_DEALS = 50;

export function stepPorts(metrics: MetricsBuffer): StepPorts {
  const deals = contactDealReads(table);
  const webhooks = webhooksReads(table);
  return {
    contactDeals: (contactId) => deals.listDealsOfContacts([contactId], CONTACT_DEALS),
    users: userDirectory(),
    access: depsOf(accessStore),
    getWebhook: (id) => webhooks.getWebhook(id),
    poster: webhookPoster,
    count: (metric) => metrics.count(metric, 1),
  };
}
