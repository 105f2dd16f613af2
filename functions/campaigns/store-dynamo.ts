/** The campaigns context on the single table: its keys (docs/data-model.md), write translator and reads. */
import { decode, type Item, type Key, stamp, type Table } from '#platform/dynamo/table.js';
import type { Translators } from '#platform/dynamo/unit-of-work.js';
import { type Campaign, CampaignSchema } from './model.js';
import type { CampaignsReads, CampaignsWrite } from './store.js';

export const campaignKeys = {
  campaign: (id: string): Key => ({ PK: `CAMPAIGN#${id}`, SK: 'CAMPAIGN' }),
};
/** GSI1: every campaign, newest first (ids are ULIDs). */
export const campaignIndexes = {
  all: (id: string) => ({ GSI1PK: 'CAMPAIGNS', GSI1SK: id }),
  /** GSI2: A/B tests waiting for their winner, by when it is due (the reconciler's safety net; few). */
  awaitingWinner: (decideAt: string, id: string) => ({
    GSI2PK: 'CAMPAIGNS#TESTING',
    GSI2SK: `${decideAt}#${id}`,
  }),
  partitions: { all: 'CAMPAIGNS', awaitingWinner: 'CAMPAIGNS#TESTING' },
};

/** A campaign sending an A/B test whose winner is not chosen yet is listed by when it is due. */
const awaiting = (c: Campaign) =>
  c.abTest?.decideAt && !c.abTest.winner && (c.status === 'sending' || c.status === 'paused')
    ? campaignIndexes.awaitingWinner(c.abTest.decideAt, c.id)
    : {};

const decodeCampaign = (item: Item): Campaign => decode(CampaignSchema, item);

export const campaignTranslators: Translators<Extract<CampaignsWrite, { kind: 'putCampaign' }>> = {
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
};

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
  };
}
