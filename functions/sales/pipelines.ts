/** Pipelines, deals and the board (deals by stage with totals and a probability-weighted forecast). */
import { systemActivity } from '#contacts/model.js';
import { invalid, invalidReference, notFound, staleVersion, validationError } from '#platform/errors.js';
import { CommitConflict, emit, type ListOptions, type Page } from '#platform/store.js';
import {
  type Board,
  currentStageName,
  type Deal,
  type DealContact,
  type MoneyTotal,
  type Pipeline,
  type PipelineStage,
  stageKind,
} from './model.js';
import { enteredHistory, moveHistory } from './stage-history.js';
import type { SalesDeps, SalesWrite } from './store.js';

export interface NewPipeline {
  name: string;
  stages: PipelineStage[];
}

export interface NewDeal {
  title: string;
  /** Only for a deal created in a lost stage. */
  lostReason?: string | undefined;
  /** Only for a deal created in a won stage. */
  wonReason?: string | undefined;
  amount: number;
  currency: string;
  pipelineId: string;
  stage: string;
  contactId?: string | undefined;
  contactEmail?: string | undefined;
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
  contactEmail?: string | undefined;
  closeDate?: string | null | undefined;
  owner?: string | null | undefined;
  /** Only for a deal that is (or is moved) in a lost stage; null clears it. */
  lostReason?: string | null | undefined;
  /** Only for a deal that is (or is moved) in a won stage; null clears it. */
  wonReason?: string | null | undefined;
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
  const pipeline: Pipeline = { id: deps.ids.next(), ...input, version: 1, createdAt: at, updatedAt: at };
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

/** A lost reason is only for a deal in a lost stage (probability 0), a won reason in a won one (1). */
function checkReason(
  pipeline: Pipeline,
  stage: string,
  kind: 'won' | 'lost',
  reason: string | null | undefined,
) {
  const probability = pipeline.stages.find((s) => s.name === stage)?.probability;
  if (reason && (probability === undefined || stageKind(probability) !== kind))
    throw invalid(
      `not_${kind}`,
      `a ${kind} reason is only for a deal in a ${kind} stage (probability ${kind === 'won' ? 1 : 0}); ${stage} is not`,
      [{ path: `${kind}Reason`, message: `the deal is not in a ${kind} stage`, code: `not_${kind}` }],
    );
}
const checkLostReason = (pipeline: Pipeline, stage: string, reason: string | null | undefined) =>
  checkReason(pipeline, stage, 'lost', reason);

export function checkStage(pipeline: Pipeline, stage: string) {
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

/** The contact given by email: its id (an unknown email is refused like an unknown id). */
async function contactByEmail(deps: SalesDeps, email: string | undefined): Promise<string | undefined> {
  if (email === undefined) return undefined;
  const id = await deps.store.findContactIdByEmail(email.trim().toLowerCase());
  if (!id)
    throw invalid('invalid_reference', `no contact has the email ${email}`, [
      { path: 'contactEmail', message: `no contact has the email ${email}`, code: 'invalid_reference' },
    ]);
  return id;
}

async function checkContact(deps: SalesDeps, contactId: string | null | undefined) {
  if (contactId && !(await deps.store.getContact(contactId)))
    throw invalidReference('contactId', 'contact', contactId);
}

export const position = (deal: Deal) => ({ stage: deal.stage, amount: deal.amount, currency: deal.currency });
export const dealRef = (deal: Deal) => ({
  dealId: deal.id,
  pipelineId: deal.pipelineId,
  ...(deal.contactId ? { contactId: deal.contactId } : {}),
});

export async function createDeal(deps: SalesDeps, given: NewDeal): Promise<Deal> {
  const { contactEmail, ...rest } = given;
  const input: NewDeal = {
    ...rest,
    ...(contactEmail ? { contactId: await contactByEmail(deps, contactEmail) } : {}),
  };
  const pipeline = await deps.store.getPipeline(input.pipelineId);
  if (!pipeline) throw invalidReference('pipelineId', 'pipeline', input.pipelineId);
  checkStage(pipeline, input.stage);
  checkLostReason(pipeline, input.stage, input.lostReason);
  checkReason(pipeline, input.stage, 'won', input.wonReason);
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
    ...(input.lostReason ? { lostReason: input.lostReason } : {}),
    ...(input.wonReason ? { wonReason: input.wonReason } : {}),
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
export async function updateDeal(deps: SalesDeps, id: string, given: DealPatch): Promise<Deal> {
  const { contactEmail, ...rest } = given;
  const patch: DealPatch = {
    ...rest,
    ...(contactEmail ? { contactId: await contactByEmail(deps, contactEmail) } : {}),
  };
  const current = await getDeal(deps, id);
  if (current.version !== patch.version) throw staleDeal(current);
  const next: Deal = { ...current };
  if (patch.title !== undefined) next.title = patch.title;
  if (patch.amount !== undefined) next.amount = patch.amount;
  if (patch.currency !== undefined) next.currency = patch.currency;
  for (const key of ['contactId', 'closeDate', 'owner', 'lostReason', 'wonReason'] as const) {
    const value = patch[key];
    if (value === null) delete next[key];
    else if (value !== undefined) next[key] = value;
  }
  const pipeline =
    (patch.stage !== undefined && patch.stage !== current.stage) || patch.lostReason || patch.wonReason
      ? await getPipeline(deps, current.pipelineId)
      : undefined;
  // A stage edit still under way: the deal is already in its stage's new name.
  const from = pipeline ? currentStageName(pipeline, current.stage) : current.stage;
  if (pipeline && patch.stage) {
    checkStage(pipeline, patch.stage);
    next.stage = patch.stage;
  }
  if (pipeline) {
    // Out of a lost stage (reopened, or won after all), the reason goes; so does a won reason out of a won one.
    const kind = stageKind(pipeline.stages.find((s) => s.name === next.stage)?.probability ?? 0.5);
    if (kind !== 'lost' && patch.lostReason === undefined) delete next.lostReason;
    if (kind !== 'won' && patch.wonReason === undefined) delete next.wonReason;
    checkLostReason(pipeline, next.stage, next.lostReason);
    checkReason(pipeline, next.stage, 'won', next.wonReason);
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
    const history = moveHistory(pipeline, { ...current, stage: from }, next.stage, now);
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

export const staleDeal = (current: Deal) => staleVersion('deal', current.id, current.version);

/** Sums per currency, rounded to cents (amounts are decimal money, the forecast weights them). */
function addTo(totals: Map<string, MoneyTotal>, currency: string, amount: number, probability: number) {
  const t = totals.get(currency) ?? { currency, amount: 0, weighted: 0 };
  t.amount = Math.round((t.amount + amount) * 100) / 100;
  t.weighted = Math.round((t.weighted + amount * probability) * 100) / 100;
  totals.set(currency, t);
}

const sortedTotals = (m: Map<string, MoneyTotal>) =>
  [...m.values()].sort((a, b) => a.currency.localeCompare(b.currency));

/** The contacts of these deals, as the board and the list show them (one batch read). */
export async function dealContacts(deps: SalesDeps, deals: Deal[]): Promise<DealContact[]> {
  const ids = [...new Set(deals.flatMap((d) => (d.contactId ? [d.contactId] : [])))];
  if (ids.length === 0) return [];
  const found = await deps.store.getContacts(ids);
  return [...found.values()].map((c) => {
    const name = [c.firstName, c.lastName].filter(Boolean).join(' ');
    return { id: c.id, email: c.email, ...(name ? { name } : {}) };
  });
}

/** Deals as they stand once a stage edit under way is done (each in its stage's new name). */
export const withCurrentStages = (pipeline: Pipeline, deals: Deal[]): Deal[] =>
  pipeline.migrating?.length
    ? deals.map((d) => ({ ...d, stage: currentStageName(pipeline, d.stage) }))
    : deals;

/** The board: one Query on the pipeline's board partition, grouped by stage in pipeline order. */
export async function pipelineBoard(deps: SalesDeps, pipelineId: string): Promise<Board> {
  const pipeline = await getPipeline(deps, pipelineId);
  const deals = withCurrentStages(pipeline, await deps.store.listDealsOnBoard(pipelineId));
  const overall = new Map<string, MoneyTotal>();
  const contacts = await dealContacts(deps, deals);
  const stages = pipeline.stages.map((stage) => {
    const inStage = deals.filter((d) => d.stage === stage.name);
    const totals = new Map<string, MoneyTotal>();
    for (const d of inStage) {
      addTo(totals, d.currency, d.amount, stage.probability);
      addTo(overall, d.currency, d.amount, stage.probability);
    }
    return { ...stage, count: inStage.length, totals: sortedTotals(totals), deals: inStage };
  });
  return { pipeline, contacts, stages, totals: sortedTotals(overall) };
}
