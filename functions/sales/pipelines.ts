/** Pipelines, deals and the board (deals by stage with totals and a probability-weighted forecast). */
import { systemActivity } from '#contacts/model.js';
import { invalid, invalidReference, notFound, staleVersion, validationError } from '#platform/errors.js';
import { CommitConflict, emit, type ListOptions, type Page } from '#platform/store.js';
import type { Board, Deal, MoneyTotal, Pipeline, PipelineStage } from './model.js';
import { enteredHistory, moveHistory } from './stage-history.js';
import type { SalesDeps, SalesWrite } from './store.js';

export interface NewPipeline {
  name: string;
  stages: PipelineStage[];
}

export interface NewDeal {
  title: string;
  amount: number;
  currency: string;
  pipelineId: string;
  stage: string;
  contactId?: string | undefined;
  closeDate?: string | undefined;
  owner?: string | undefined;
}

export interface DealPatch {
  version: number;
  title?: string | undefined;
  amount?: number | undefined;
  currency?: string | undefined;
  stage?: string | undefined;
  contactId?: string | null | undefined;
  closeDate?: string | null | undefined;
  owner?: string | null | undefined;
}

export async function createPipeline(deps: SalesDeps, input: NewPipeline): Promise<Pipeline> {
  const seen = new Set<string>();
  input.stages.forEach((stage, i) => {
    const key = stage.name.toLowerCase();
    if (seen.has(key)) {
      throw validationError('stage names must be unique', [
        { path: `stages.${i}.name`, message: `${stage.name} is declared twice` },
      ]);
    }
    seen.add(key);
  });
  const now = deps.clock.now();
  const at = now.toISOString();
  const pipeline: Pipeline = { id: deps.ids.next(), ...input, createdAt: at, updatedAt: at };
  await deps.store.commit([
    { kind: 'putPipeline', pipeline },
    emit(deps, now, 'PipelineCreated', { pipelineId: pipeline.id, name: pipeline.name }),
  ]);
  return pipeline;
}

export async function getPipeline(deps: SalesDeps, id: string): Promise<Pipeline> {
  const pipeline = await deps.store.getPipeline(id);
  if (!pipeline) throw notFound('pipeline', id);
  return pipeline;
}

export const listPipelines = (deps: SalesDeps, options: ListOptions): Promise<Page<Pipeline>> =>
  deps.store.listPipelines(options);

function checkStage(pipeline: Pipeline, stage: string) {
  if (!pipeline.stages.some((s) => s.name === stage)) {
    throw invalid('invalid_stage', `pipeline ${pipeline.id} has no stage ${stage}`, [
      {
        path: 'stage',
        message: `must be one of: ${pipeline.stages.map((s) => s.name).join(', ')}`,
        code: 'invalid_stage',
      },
    ]);
  }
}

async function checkContact(deps: SalesDeps, contactId: string | null | undefined) {
  if (contactId && !(await deps.store.getContact(contactId)))
    throw invalidReference('contactId', 'contact', contactId);
}

const position = (deal: Deal) => ({ stage: deal.stage, amount: deal.amount, currency: deal.currency });
const dealRef = (deal: Deal) => ({
  dealId: deal.id,
  pipelineId: deal.pipelineId,
  ...(deal.contactId ? { contactId: deal.contactId } : {}),
});

export async function createDeal(deps: SalesDeps, input: NewDeal): Promise<Deal> {
  const pipeline = await deps.store.getPipeline(input.pipelineId);
  if (!pipeline) throw invalidReference('pipelineId', 'pipeline', input.pipelineId);
  checkStage(pipeline, input.stage);
  await checkContact(deps, input.contactId);
  const now = deps.clock.now();
  const at = now.toISOString();
  const deal: Deal = {
    id: deps.ids.next(),
    title: input.title,
    amount: input.amount,
    currency: input.currency,
    pipelineId: input.pipelineId,
    stage: input.stage,
    ...(input.contactId ? { contactId: input.contactId } : {}),
    ...(input.closeDate ? { closeDate: input.closeDate } : {}),
    ...(input.owner ? { owner: input.owner } : {}),
    ...enteredHistory(pipeline, input.stage, at),
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  await deps.store.commit([
    { kind: 'putDeal', deal },
    emit(deps, now, 'DealCreated', { ...dealRef(deal), current: position(deal) }),
  ]);
  return deal;
}

export async function getDeal(deps: SalesDeps, id: string): Promise<Deal> {
  const deal = await deps.store.getDeal(id);
  if (!deal) throw notFound('deal', id);
  return deal;
}

/**
 * Updates a deal (optimistic concurrency on `version`). A stage move is recorded on the contact's
 * timeline and announced as DealStageChanged; an amount change without a move as DealUpdated.
 */
export async function updateDeal(deps: SalesDeps, id: string, patch: DealPatch): Promise<Deal> {
  const current = await getDeal(deps, id);
  if (current.version !== patch.version) throw staleDeal(current);
  const next: Deal = { ...current };
  if (patch.title !== undefined) next.title = patch.title;
  if (patch.amount !== undefined) next.amount = patch.amount;
  if (patch.currency !== undefined) next.currency = patch.currency;
  for (const key of ['contactId', 'closeDate', 'owner'] as const) {
    const value = patch[key];
    if (value === null) delete next[key];
    else if (value !== undefined) next[key] = value;
  }
  const pipeline =
    patch.stage !== undefined && patch.stage !== current.stage
      ? await getPipeline(deps, current.pipelineId)
      : undefined;
  if (pipeline && patch.stage) {
    checkStage(pipeline, patch.stage);
    next.stage = patch.stage;
  }
  if (patch.contactId !== current.contactId) await checkContact(deps, patch.contactId);
  if (JSON.stringify(next) === JSON.stringify(current)) return current;
  const now = deps.clock.now();
  const at = now.toISOString();
  next.version = current.version + 1;
  next.updatedAt = at;

  const writes: SalesWrite[] = [{ kind: 'putDeal', deal: next, expectedVersion: current.version }];
  if (pipeline && next.stage !== current.stage) {
    // The stage history moves with the deal, in its transaction: the version guard counts a move once.
    const history = moveHistory(pipeline, current, next.stage, now);
    delete next.outcome;
    Object.assign(next, history.deal);
    for (const [stage, deltas] of history.deltas)
      writes.push({ kind: 'addStageStats', pipelineId: next.pipelineId, stage, dealId: id, deltas });
    writes.push(
      emit(deps, now, 'DealStageChanged', {
        ...dealRef(next),
        fromStage: current.stage,
        toStage: next.stage,
        previous: position(current),
        current: position(next),
      }),
    );
    if (next.contactId && (await deps.store.getContact(next.contactId))) {
      const activity = systemActivity(
        deps,
        next.contactId,
        'deal_stage_changed',
        `Deal "${next.title}" moved from ${current.stage} to ${next.stage}`,
        at,
        { dealId: id, pipelineId: next.pipelineId, fromStage: current.stage, toStage: next.stage },
      );
      writes.push({ kind: 'putActivity', activity, checkContact: true });
    }
  } else if (
    next.amount !== current.amount ||
    next.currency !== current.currency ||
    // A contact linked to a won deal: its revenue can be credited to the campaigns that reached them.
    next.contactId !== current.contactId
  ) {
    writes.push(
      emit(deps, now, 'DealUpdated', {
        ...dealRef(next),
        previous: position(current),
        current: position(next),
      }),
    );
  }
  try {
    await deps.store.commit(writes);
  } catch (err) {
    if (err instanceof CommitConflict && err.write.kind === 'putDeal')
      throw staleDeal(await getDeal(deps, id));
    throw err;
  }
  return next;
}

const staleDeal = (current: Deal) => staleVersion('deal', current.id, current.version);

/** Sums per currency, rounded to cents (amounts are decimal money, the forecast weights them). */
function addTo(totals: Map<string, MoneyTotal>, currency: string, amount: number, probability: number) {
  const t = totals.get(currency) ?? { currency, amount: 0, weighted: 0 };
  t.amount = Math.round((t.amount + amount) * 100) / 100;
  t.weighted = Math.round((t.weighted + amount * probability) * 100) / 100;
  totals.set(currency, t);
}

const sortedTotals = (m: Map<string, MoneyTotal>) =>
  [...m.values()].sort((a, b) => a.currency.localeCompare(b.currency));

/** The board: one Query on the pipeline's board partition, grouped by stage in pipeline order. */
export async function pipelineBoard(deps: SalesDeps, pipelineId: string): Promise<Board> {
  const pipeline = await getPipeline(deps, pipelineId);
  const deals = await deps.store.listDealsOnBoard(pipelineId);
  const overall = new Map<string, MoneyTotal>();
  const stages = pipeline.stages.map((stage) => {
    const inStage = deals.filter((d) => d.stage === stage.name);
    const totals = new Map<string, MoneyTotal>();
    for (const d of inStage) {
      addTo(totals, d.currency, d.amount, stage.probability);
      addTo(overall, d.currency, d.amount, stage.probability);
    }
    return { ...stage, count: inStage.length, totals: sortedTotals(totals), deals: inStage };
  });
  return { pipeline, stages, totals: sortedTotals(overall) };
}
