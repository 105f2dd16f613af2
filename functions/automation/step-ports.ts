/**
 * What the CRM steps (createDeal's siblings moveDeal, notifyOwner and webhook) reach beyond the
 * automation store: the contact's deals (sales' index of them), the users directory and the notices
 * of access, the workspace's webhook subscriptions and the POST to them, and the function's metrics.
 * The workflow-step Lambda loads them the first time a step needs them.
 */
import type { AccessDeps } from '#access/store.js';
import type { UserDirectory } from '#access/users.js';
import type { Deal } from '#sales/model.js';
import type { Webhook } from '#webhooks/model.js';
import type { WebhookPoster } from '#webhooks/store.js';

export interface StepPorts {
  /** moveDeal: the contact's deals, newest first (the index the companies consumer keeps). */
  contactDeals(contactId: string): Promise<Deal[]>;
  /** notifyOwner: who owns the contact, and each notice sent once. */
  users: UserDirectory;
  access: AccessDeps;
  /** webhook: a subscription with its signing secret, and the POST to its URL. */
  getWebhook(id: string): Promise<{ webhook: Webhook; secret: string } | undefined>;
  poster: WebhookPoster;
  /** Counts a metric of this invocation (`WebhookFailed`). */
  count(metric: string): void;
}

export type LoadPorts = () => Promise<StepPorts>;

/** The ports, or a clear error where a caller wired none (the steps that need none never ask). */
export function portsOf(ctx: { ports?: LoadPorts | undefined }): Promise<StepPorts> {
  if (!ctx.ports) throw new Error('this step needs the step ports (deals, users, webhooks): none are wired');
  return ctx.ports();
}
