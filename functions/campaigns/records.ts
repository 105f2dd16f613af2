/** Reading a campaign, and replacing it only if nobody changed it since (optimistic, by `updatedAt`). */
import { conflict, notFound } from '#platform/errors.js';
import { CommitConflict } from '#platform/store.js';
import type { Campaign, CampaignStatus } from './model.js';
import type { CampaignsDeps } from './store.js';

export async function load(deps: CampaignsDeps, id: string): Promise<Campaign> {
  const campaign = await deps.store.getCampaign(id);
  if (!campaign) throw notFound('campaign', id);
  return campaign;
}

/** Replaces `current` with `next` if nobody changed it since it was read (a 409 otherwise). */
export async function save(
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
