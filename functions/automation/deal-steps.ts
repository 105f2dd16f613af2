/**
 * A workflow's deal steps, through sales' own use cases (so DealCreated, DealStageChanged, the stage
 * history and the contact's timeline are exactly what a user's change gives):
 * - `createDeal` makes a deal in a pipeline's stage, linked to the enrolled contact. Its id is derived
 *   from the enrollment and the step, so a retried Task finds the deal it made instead of a second.
 * - `moveDeal` moves the contact's open deal of a pipeline (the newest, if several) to a stage. The
 *   deals looked at are the contact's (sales' index of them, kept from DealCreated) and those this
 *   enrollment's createDeal steps made (not yet indexed when made moments ago). None: skipped.
 */
import type { Contact } from '#contacts/model.js';
import { mergeContext, renderText, TemplateRenderError } from '#messaging/template-engine.js';
import { DomainError } from '#platform/errors.js';
import { derivedUlid } from '#platform/ids.js';
import { logger } from '#platform/logger.js';
import { CommitConflict } from '#platform/store.js';
import { currentStageName, type Deal, type Pipeline, stageKind } from '#sales/model.js';
import { createDeal, updateDeal } from '#sales/pipelines.js';
import { allSteps, type WorkflowDefinition } from './language.js';
import type { StepPorts } from './step-ports.js';
import type { AutomationDeps } from './store.js';

/** The currency of a deal whose step names none. */
export const DEFAULT_DEAL_CURRENCY = 'USD';
const ATTEMPTS = 5;

/** The deal a createDeal step of an enrollment makes: the same id on every retry. */
export const workflowDealId = (enrollmentId: string, stepId: string): string =>
  derivedUlid(enrollmentId, `${enrollmentId}/${stepId}/deal`);

export interface DealStepInput {
  enrollmentId: string;
  stepId: string;
  workflowId: string;
  version: number;
  pipelineId?: string | undefined;
  stage?: string | undefined;
  name?: string | undefined;
  amount?: number | undefined;
  currency?: string | undefined;
}

/** The deal's title: the step's name with its merge fields, else the contact's name (or email). */
export async function dealTitle(contact: Contact, name: string | undefined): Promise<string> {
  const own = [contact.firstName, contact.lastName].filter(Boolean).join(' ');
  const fallback = contact.company ?? (own || contact.email);
  if (!name) return fallback;
  try {
    const title = (await renderText(name, mergeContext(contact, { unsubscribeUrl: '' }))).trim();
    return title.slice(0, 200) || fallback;
  } catch (err) {
    if (!(err instanceof TemplateRenderError)) throw err;
    return name;
  }
}

export async function createDealStep(
  deps: AutomationDeps,
  input: DealStepInput,
  contact: Contact,
): Promise<{ outcome: string; dealId?: string }> {
  const id = workflowDealId(input.enrollmentId, input.stepId);
  if (await deps.store.getDeal(id)) return { outcome: 'created', dealId: id };
  const gone = await missingStage(deps, String(input.pipelineId), String(input.stage));
  if (gone) return { outcome: gone };
  try {
    await createDeal(
      { ...deps, ids: { next: () => id } },
      {
        title: await dealTitle(contact, input.name),
        amount: input.amount ?? 0,
        currency: input.currency ?? DEFAULT_DEAL_CURRENCY,
        pipelineId: String(input.pipelineId),
        stage: String(input.stage),
        contactId: contact.id,
        ...(contact.owner ? { owner: contact.owner } : {}),
      },
    );
  } catch (err) {
    // A retry racing the first attempt: the deal is there.
    if (!(err instanceof CommitConflict && (await deps.store.getDeal(id)))) throw err;
  }
  return { outcome: 'created', dealId: id };
}

export async function moveDealStep(
  deps: AutomationDeps,
  ports: Pick<StepPorts, 'contactDeals'>,
  input: DealStepInput,
  contact: Contact,
): Promise<{ outcome: string; dealId?: string }> {
  const pipelineId = String(input.pipelineId);
  const stage = String(input.stage);
  const pipeline = await deps.store.getPipeline(pipelineId);
  const gone = await missingStage(deps, pipelineId, stage, pipeline ?? null);
  if (gone || !pipeline) return { outcome: gone ?? 'skipped: the pipeline was deleted' };
  for (let attempt = 1; ; attempt++) {
    const deal = await openDeal();
    if (!deal) return { outcome: 'skipped: no open deal' };
    try {
      await updateDeal(deps, deal.id, { version: deal.version, stage });
      return { outcome: 'moved', dealId: deal.id };
    } catch (err) {
      // Someone changed the deal meanwhile: read it again.
      const stale = err instanceof DomainError && err.code === 'version_conflict';
      if (!stale || attempt >= ATTEMPTS) throw err;
      logger.info('moveDeal: the deal changed meanwhile, again', { dealId: deal.id });
    }
  }

  async function openDeal(): Promise<Deal | undefined> {
    const version = await deps.store.getWorkflowVersion(input.workflowId, input.version);
    const made = allSteps((version?.definition as WorkflowDefinition | undefined)?.steps ?? [])
      .filter(({ step }) => step.type === 'createDeal')
      .map(({ step }) => workflowDealId(input.enrollmentId, step.id));
    const [indexed, ...own] = await Promise.all([
      ports.contactDeals(contact.id),
      ...made.map((id) => deps.store.getDeal(id)),
    ]);
    const byId = new Map<string, Deal>();
    for (const d of [...indexed, ...own]) if (d) byId.set(d.id, d);
    // Open (its stage neither won nor lost), or in the target stage already (a retry of this move).
    const candidates = [...byId.values()]
      .filter((d) => d.pipelineId === pipelineId && d.contactId === contact.id)
      .filter((d) => {
        const name = currentStageName(pipeline, d.stage);
        const probability = pipeline?.stages.find((s) => s.name === name)?.probability ?? 0.5;
        return name === stage || stageKind(probability) === 'open';
      })
      .sort((a, b) => (a.id < b.id ? 1 : -1));
    return candidates[0];
  }
}

/** Why a step's pipeline or stage cannot be used (deleted or renamed since it was published), if so. */
async function missingStage(
  deps: AutomationDeps,
  pipelineId: string,
  stage: string,
  read?: Pipeline | null,
): Promise<string | undefined> {
  const pipeline = read === undefined ? await deps.store.getPipeline(pipelineId) : read;
  if (!pipeline) return 'skipped: the pipeline was deleted';
  if (!pipeline.stages.some((s) => s.name === stage)) return `skipped: the pipeline has no stage ${stage}`;
  return undefined;
}
