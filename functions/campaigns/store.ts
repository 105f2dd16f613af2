/** The campaigns context's storage port: campaigns, and what sending one reads and writes. */
import type { BulkStore, BulkWrite } from '#bulk/store.js';
import type { Commit, Deps, ListOptions, Page } from '#platform/store.js';
import type { Campaign, CampaignStatus } from './model.js';

export type CampaignsWrite =
  | BulkWrite
  /** `expectedUpdatedAt`: replace only if unchanged since read (in one of `from`); absent: create. */
  | {
      kind: 'putCampaign';
      campaign: Campaign;
      expected?: { updatedAt: string; from: readonly CampaignStatus[] };
    };

export interface CampaignsReads {
  getCampaign(id: string): Promise<Campaign | undefined>;
  /** Newest first. */
  listCampaigns(options: ListOptions): Promise<Page<Campaign>>;
  /** A/B tests still waiting for a winner due before `before` (oldest first): the reconciler's. */
  listOverdueAbTests(before: Date, limit: number): Promise<Campaign[]>;
}

export type CampaignsStore = CampaignsReads & BulkStore & Commit<CampaignsWrite>;
export type CampaignsDeps = Deps<CampaignsStore>;
