/**
 * A dry run's words for the CRM steps (nothing is created, moved, emailed or POSTed): the deal a
 * createDeal step would make (its title rendered for the contact), the move a moveDeal step would
 * make (of the deal an earlier step of the run would make, else of the contact's open deal, if any),
 * the email to the contact's owner, the POST to the webhook.
 */
import type { Contact } from '#contacts/model.js';
import { mergeContext, renderText } from '#messaging/template-engine.js';
import { DEFAULT_DEAL_CURRENCY, dealTitle } from './deal-steps.js';
import type { Step } from './language.js';
import type { AutomationDeps } from './store.js';

type CrmStep = Extract<Step, { type: 'createDeal' | 'moveDeal' | 'notifyOwner' | 'webhook' }>;

export async function crmStepOutcome(
  deps: AutomationDeps,
  step: CrmStep,
  contact: Contact,
  dealsMade: Map<string, string>,
): Promise<string> {
  switch (step.type) {
    case 'createDeal':
    case 'moveDeal': {
      const pipeline = await deps.store.getPipeline(step.pipelineId);
      if (!pipeline) return 'would skip: the pipeline was deleted';
      if (!pipeline.stages.some((s) => s.name === step.stage))
        return `would skip: ${pipeline.name} has no stage ${step.stage}`;
      if (step.type === 'createDeal') {
        const amount = `${step.amount ?? 0} ${step.currency ?? DEFAULT_DEAL_CURRENCY}`;
        return `would create the deal “${await dealTitle(contact, step.name)}” (${amount}) in ${pipeline.name} at ${step.stage}`;
      }
      const made = dealsMade.get(step.pipelineId);
      return made
        ? `would move the deal step ${made} made to ${step.stage} (${pipeline.name})`
        : `would move the contact’s open deal in ${pipeline.name} to ${step.stage} (none: skipped)`;
    }
    case 'notifyOwner': {
      if (!contact.owner) return 'would skip: no owner';
      const subject = await renderText(step.subject, mergeContext(contact, { unsubscribeUrl: '' })).catch(
        () => step.subject,
      );
      return `would email the contact’s owner (${contact.owner}) “${subject.trim()}”`;
    }
    case 'webhook':
      return `would POST the contact and the enrollment, signed, to webhook ${step.webhookId}`;
  }
}
