/** The campaigns context on the single table: its keys (docs/data-model.md), write translator and reads. */
import { bulkStoreReads, bulkStoreTranslators } from '#bulk/store-dynamo.js';
import type { InsightsWrite } from '#insights/store.js';
import { decode, type Item, type Key, stamp, type Table } from '#platform/dynamo/table.js';
import { setExpression, storeOf, type Translators } from '#platform/dynamo/unit-of-work.js';
import { type Campaign, CampaignSchema, CampaignWaveSchema } from './model.js';
import type { CampaignsReads, CampaignsStore, CampaignsWrite } from './store.js';

export const campaignKeys = {
  campaign: (id: string): Key => ({ PK: `CAMPAIGN#${id}`, SK: 'CAMPAIGN' }),
  /** A local-time campaign's wave, in the campaign's partition (its contacts are a bulk list). */
  wave: (id: string, at: string): Key => ({ PK: `CAMPAIGN#${id}`, SK: `WAVE#${at}` }),
};
/** GSI1: every campaign, newest first (ids are ULIDs). */
export const campaignIndexes = {
  all: (id: string) => ({ GSI1PK: 'CAMPAIGNS', GSI1SK: id }),
  /** GSI2: A/B tests waiting for their winner, by when it is due (the reconciler's safety net; few). */
  awaitingWinner: (decideAt: string, id: string) => ({
    GSI2PK: 'CAMPAIGNS#TESTING',
    GSI2SK: `${decideAt}#${id}`,
  }),
  /** GSI2: waves not started yet, by their time (the reconciler's safety net). */
  waveDue: (at: string, id: string) => ({ GSI2PK: 'CAMPAIGNS#WAVES', GSI2SK: `${at}#${id}` }),
  partitions: { all: 'CAMPAIGNS', awaitingWinner: 'CAMPAIGNS#TESTING', wavesDue: 'CAMPAIGNS#WAVES' },
};

/** A campaign sending an A/B test whose winner is not chosen yet is listed by when it is due. */
const awaiting = (c: Campaign) =>
  c.abTest?.decideAt && !c.abTest.winner && (c.status === 'sending' || c.status === 'paused')
    ? campaignIndexes.awaitingWinner(c.abTest.decideAt, c.id)
    : {};

const decodeCampaign = (item: Item): Campaign => decode(CampaignSchema, item);

export const campaignTranslators: Translators<
  Extract<CampaignsWrite, { kind: 'putCampaign' | 'addCampaignWave' | 'startCampaignWave' }>
> = {
  putCampaign: ({ campaign, expected }, TableName) => {
    const statuses = Object.fromEntries((expected?.from ?? []).map((s, i) => [`:from${i}`, s]));
    return [
      {
        item: {
          Put: {
            TableName,
            Item: {
              ...campaignKeys.campaign(campaign.id),
              ...campaignIndexes.all(campaign.id),
              ...awaiting(campaign),
              ...stamp('Campaign'),
              ...campaign,
            },
            ...(expected
              ? {
                  ConditionExpression: `updatedAt = :expected AND #status IN (${Object.keys(statuses).join(', ')})`,
                  ExpressionAttributeNames: { '#status': 'status' },
                  ExpressionAttributeValues: { ':expected': expected.updatedAt, ...statuses },
                }
              : { ConditionExpression: 'attribute_not_exists(PK)' }),
          },
        },
      },
    ];
  },
  addCampaignWave: ({ campaignId, at }, TableName) => {
    const set = setExpression({
      ...stamp('CampaignWave'),
      campaignId,
      at,
      ...campaignIndexes.waveDue(at, campaignId),
    });
    return [
      {
        item: {
          Update: {
            TableName,
            Key: campaignKeys.wave(campaignId, at),
            UpdateExpression: set.expression,
            ConditionExpression: 'attribute_not_exists(jobId)',
            ExpressionAttributeNames: set.names,
            ExpressionAttributeValues: set.values,
          },
        },
      },
    ];
  },
  startCampaignWave: ({ campaignId, at, jobId }, TableName) => [
    {
      item: {
        Update: {
          TableName,
          Key: campaignKeys.wave(campaignId, at),
          UpdateExpression: 'SET jobId = :job REMOVE GSI2PK, GSI2SK',
          ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(jobId)',
          ExpressionAttributeValues: { ':job': jobId },
        },
      },
    },
  ],
};

const decodeWave = (item: Item) => decode(CampaignWaveSchema, item);

export function campaignsReads(table: Table): CampaignsReads {
  return {
    async getCampaign(id) {
      const item = await table.get(campaignKeys.campaign(id));
      return item ? decodeCampaign(item) : undefined;
    },
    listCampaigns: (options) =>
      table.page({ index: 'GSI1', partition: campaignIndexes.partitions.all }, options, decodeCampaign),
    async listOverdueAbTests(before, limit) {
      const page = await table.query(
        {
          index: 'GSI2',
          partition: campaignIndexes.partitions.awaitingWinner,
          before: before.toISOString(),
          ascending: true,
        },
        { limit },
      );
      return page.items.map(decodeCampaign);
    },
    async listCampaignWaves(campaignId) {
      const items = await table.all({
        partition: `CAMPAIGN#${campaignId}`,
        prefix: 'WAVE#',
        ascending: true,
      });
      return items.map(decodeWave);
    },
    async listOverdueWaves(before, limit) {
      const page = await table.query(
        {
          index: 'GSI2',
          partition: campaignIndexes.partitions.wavesDue,
          before: before.toISOString(),
          ascending: true,
        },
        { limit },
      );
      return page.items.map((item) => ({ ...decodeWave(item), campaignId: String(item.campaignId) }));
    },
  };
}

/** The campaigns store: campaigns over the bulk store (a campaign is sent as a bulk job). */
export const campaignsStore = (table: Table): CampaignsStore =>
  storeOf<CampaignsWrite | InsightsWrite>({ ...bulkStoreTranslators, ...campaignTranslators })(table, {
    ...bulkStoreReads(table),
    ...campaignsReads(table),
  });
