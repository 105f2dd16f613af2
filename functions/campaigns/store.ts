/** The campaigns context's storage port: campaigns, and what sending one reads and writes. */
import type { BulkStore, BulkWrite } from '#bulk/store.js';
import type { Commit, Deps, ListOptions, Page } from '#platform/store.js';
import type { Campaign, CampaignStatus, CampaignWave } from './model.js';

export type CampaignsWrite =
  | BulkWrite
  /** `expectedUpdatedAt`: replace only if unchanged since read (in one of `from`); absent: create. */
  | {
      kind: 'putCampaign';
      campaign: Campaign;
      expected?: { updatedAt: string; from: readonly CampaignStatus[] };
    }
  /** Records a local-time campaign's wave at `at` (listed as due on GSI2); nothing once it has started. */
  | { kind: 'addCampaignWave'; campaignId: string; at: string }
  /** A wave's job starts: recorded once (a conflict when it has one already). */
  | { kind: 'startCampaignWave'; campaignId: string; at: string; jobId: string };

export interface CampaignsReads {
  getCampaign(id: string): Promise<Campaign | undefined>;
  /** Newest first. */
  listCampaigns(options: ListOptions): Promise<Page<Campaign>>;
  /** A/B tests still waiting for a winner due before `before` (oldest first): the reconciler's. */
  listOverdueAbTests(before: Date, limit: number): Promise<Campaign[]>;
  /** A local-time campaign's waves, in time order. */
  listCampaignWaves(campaignId: string): Promise<CampaignWave[]>;
  /** Waves not started whose time was before `before` (oldest first): the reconciler's. */
  listOverdueWaves(before: Date, limit: number): Promise<Array<CampaignWave & { campaignId: string }>>;
}

export type CampaignsStore = CampaignsReads & BulkStore & Commit<CampaignsWrite>;
export type CampaignsDeps = Deps<CampaignsStore>;
