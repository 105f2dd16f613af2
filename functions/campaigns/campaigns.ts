/**
 * Campaigns as a marketer drives them: a draft (name, audience, exclusions, template), edited until
 * it is sent; sending starts its bulk job in the same transaction as the status change; cancel stops
 * the job (contacts not reached get nothing). The view takes status and progress from the job.
 */
import { bulkJobWrites, cancelBulkAction, newBulkJob } from '#bulk/actions.js';
import { getSegment } from '#insights/segments.js';
import { getTemplate } from '#messaging/templates.js';
import { conflict, notFound } from '#platform/errors.js';
import { CommitConflict, type ListOptions, type Page } from '#platform/store.js';
import type { Campaign, CampaignAudience, CampaignStatus, CampaignView } from './model.js';
import type { CampaignsDeps } from './store.js';

export interface CampaignInput {
  name: string;
  audience: CampaignAudience;
  excludeSegmentIds?: string[];
  templateId: string;
}

/** The template and segments must exist (a 400 naming the field, not a failed send later). */
async function checkReferences(deps: CampaignsDeps, input: CampaignInput) {
  await getTemplate(deps, input.templateId);
  const segments = [
    ...(input.audience.kind === 'segment' ? [input.audience.segmentId] : []),
    ...(input.excludeSegmentIds ?? []),
  ];
  for (const id of segments) await getSegment(deps, id);
}

export async function createCampaign(deps: CampaignsDeps, input: CampaignInput): Promise<Campaign> {
  await checkReferences(deps, input);
  const at = deps.clock.now().toISOString();
  const campaign: Campaign = {
    id: deps.ids.next(),
    name: input.name,
    status: 'draft',
    audience: input.audience,
    excludeSegmentIds: [...new Set(input.excludeSegmentIds ?? [])],
    templateId: input.templateId,
    createdAt: at,
    updatedAt: at,
  };
  await deps.store.commit([{ kind: 'putCampaign', campaign }]);
  return campaign;
}

async function load(deps: CampaignsDeps, id: string): Promise<Campaign> {
  const campaign = await deps.store.getCampaign(id);
  if (!campaign) throw notFound('campaign', id);
  return campaign;
}

/** Replaces `current` with `next` if nobody changed it since it was read (a 409 otherwise). */
async function save(
  deps: CampaignsDeps,
  current: Campaign,
  next: Campaign,
  from: readonly CampaignStatus[],
  extra: Parameters<CampaignsDeps['store']['commit']>[0] = [],
) {
  try {
    await deps.store.commit([
      { kind: 'putCampaign', campaign: next, expected: { updatedAt: current.updatedAt, from } },
      ...extra,
    ]);
  } catch (err) {
    if (err instanceof CommitConflict && err.write.kind === 'putCampaign')
      throw conflict('campaign_changed', `campaign ${current.id} was changed meanwhile; reload and retry`);
    throw err;
  }
  return next;
}

export async function updateCampaign(
  deps: CampaignsDeps,
  id: string,
  input: CampaignInput,
): Promise<Campaign> {
  const current = await load(deps, id);
  if (current.status !== 'draft')
    throw conflict('not_draft', `campaign ${id} is ${current.status}; only a draft can be edited`);
  await checkReferences(deps, input);
  const next: Campaign = {
    ...current,
    name: input.name,
    audience: input.audience,
    excludeSegmentIds: [...new Set(input.excludeSegmentIds ?? [])],
    templateId: input.templateId,
    updatedAt: deps.clock.now().toISOString(),
  };
  return save(deps, current, next, ['draft']);
}

/** Sends a draft now: its status and its bulk job (with BulkActionStarted) in one transaction. */
export async function sendCampaign(deps: CampaignsDeps, id: string): Promise<CampaignView> {
  const current = await load(deps, id);
  if (current.status !== 'draft')
    throw conflict('not_draft', `campaign ${id} is ${current.status}; it can be sent once`);
  await checkReferences(deps, current);
  const now = deps.clock.now();
  const job = newBulkJob(
    deps,
    { action: { kind: 'sendCampaign', campaignId: id }, audience: current.audience },
    now,
  );
  const next: Campaign = {
    ...current,
    status: 'sending',
    jobId: job.id,
    startedAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  await save(deps, current, next, ['draft'], bulkJobWrites(deps, job, now));
  return { campaign: next, progress: { counts: job.counts } };
}

/** Stops a campaign being sent: contacts not reached yet get nothing. */
export async function cancelCampaign(deps: CampaignsDeps, id: string): Promise<CampaignView> {
  const current = await load(deps, id);
  if (current.status === 'draft' || current.status === 'sending') {
    if (current.jobId) {
      const job = await deps.store.getBulkJob(current.jobId);
      if (job?.status === 'completed') throw conflict('sent', `campaign ${id} is sent already`);
      if (job && job.status !== 'cancelled') await cancelBulkAction(deps, current.jobId);
    }
    const next: Campaign = { ...current, status: 'cancelled', updatedAt: deps.clock.now().toISOString() };
    await save(deps, current, next, [current.status]);
    return viewOf(deps, next);
  }
  throw conflict('finished', `campaign ${id} is ${current.status}`);
}

async function viewOf(deps: CampaignsDeps, campaign: Campaign): Promise<CampaignView> {
  if (!campaign.jobId) return { campaign };
  const job = await deps.store.getBulkJob(campaign.jobId);
  if (!job) return { campaign };
  const status: CampaignStatus =
    campaign.status === 'sending' && job.status === 'completed'
      ? 'sent'
      : campaign.status === 'sending' && job.status === 'cancelled'
        ? 'cancelled'
        : campaign.status;
  return {
    campaign: { ...campaign, status },
    progress: {
      counts: job.counts,
      ...(job.total !== undefined ? { total: job.total } : {}),
      ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
    },
  };
}

export const getCampaign = async (deps: CampaignsDeps, id: string) => viewOf(deps, await load(deps, id));

export async function listCampaigns(deps: CampaignsDeps, options: ListOptions): Promise<Page<CampaignView>> {
  const page = await deps.store.listCampaigns(options);
  return { ...page, items: await Promise.all(page.items.map((c) => viewOf(deps, c))) };
}
