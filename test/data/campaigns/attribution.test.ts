/**
 * Revenue attributed to campaigns on DynamoDB Local: a deal won by a contact who was sent campaigns in
 * the 30 days before is credited to the first of them and to the last, in its currency; a campaign
 * older than 30 days, a deal that is not won, a deal without a contact count nothing; a deal is
 * credited once however often its events arrive. The campaign's report and the dashboard show it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attributeDeal } from '#campaigns/attribution.js';
import { createCampaign, getCampaign, sendCampaign } from '#campaigns/campaigns.js';
import { projectEvent } from '#insights/counters.js';
import { dashboard } from '#insights/dashboard.js';
import { parseEvent } from '#platform/events.js';
import * as sales from '#sales/pipelines.js';
import { runCampaignJob, setUpOn } from '#test/support/campaigns.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';
import { RecordingScheduler } from '#test/support/fakes.js';
import { runImport } from '#test/support/imports.js';

const DAY = 86_400_000;

/** The dashboard projector's work on the deal events so far (each event delivered twice). */
async function projectDeals(t: TestTable) {
  const outcomes: string[] = [];
  for (const e of await outboxEvents(t)) {
    const event = parseEvent(e.detailType, e.detail);
    if (
      event.detailType !== 'DealCreated' &&
      event.detailType !== 'DealStageChanged' &&
      event.detailType !== 'DealUpdated'
    )
      continue;
    for (let i = 0; i < 2; i++) {
      await projectEvent(t.deps, event);
      outcomes.push(await attributeDeal(t.deps, event));
    }
  }
  return outcomes;
}

describe('revenue attributed to campaigns', () => {
  it('credits a won deal to the first and the last campaign that reached its contact within 30 days, once', async () => {
    const start = Date.parse('2026-10-01T09:00:00.000Z');
    let now = new Date(start);
    const t = await createTestTable(() => now);
    const { ctx, template } = await setUpOn(t);
    await runImport(t.deps, 'email\nada@example.com\nbob@example.com\ncy@example.com\n', { tags: ['rev'] });
    const id = async (email: string) => String(await t.deps.store.findContactIdByEmail(email));
    const [ada, bob, cy] = [
      await id('ada@example.com'),
      await id('bob@example.com'),
      await id('cy@example.com'),
    ];
    const send = async (name: string) => {
      const c = await createCampaign(t.deps, {
        name,
        audience: { kind: 'tag', tag: 'rev' },
        templateId: template.id,
      });
      const started = await sendCampaign(t.deps, new RecordingScheduler(), c.id);
      await runCampaignJob(t, ctx, started.campaign.jobId as string);
      return c.id;
    };
    const october = await send('October'); // day 0
    now = new Date(start + 10 * DAY);
    const november = await send('November'); // day 10

    const pipeline = await sales.createPipeline(t.deps, {
      name: 'New business',
      stages: [
        { name: 'Open', probability: 0.3 },
        { name: 'Won', probability: 1 },
        { name: 'Lost', probability: 0 },
      ],
    });
    const deal = (contactId: string | undefined, amount: number, currency: string, stage = 'Open') =>
      sales.createDeal(t.deps, {
        title: `${amount} ${currency}`,
        amount,
        currency,
        pipelineId: pipeline.id,
        stage,
        ...(contactId ? { contactId } : {}),
      });
    const win = async (d: { id: string; version: number }, stage = 'Won') =>
      sales.updateDeal(t.deps, d.id, { stage, version: d.version });

    // Day 20: Ada wins 1000 EUR (October first, November last); Cy's deal is lost; a deal without a
    // contact is won, then linked to Cy: credited then (October first, November last).
    now = new Date(start + 20 * DAY);
    await win(await deal(ada, 1000, 'EUR'));
    await win(await deal(cy, 300, 'EUR'), 'Lost');
    const unlinked = await deal(undefined, 50, 'EUR', 'Won');
    await sales.updateDeal(t.deps, unlinked.id, { contactId: cy, version: unlinked.version });
    // Day 35: Bob wins 500 USD, created won (October is 35 days back: only November counts).
    now = new Date(start + 35 * DAY);
    const bobs = await deal(bob, 500, 'USD', 'Won');
    // Day 60: Bob's deal is reopened and won again: credited once. Nothing reached Ada in 30 days.
    now = new Date(start + 60 * DAY);
    const reopened = await win(bobs, 'Open');
    await win(reopened);
    await win(await deal(ada, 70, 'EUR'));

    const outcomes = await projectDeals(t);
    assert.equal(outcomes.filter((o) => o === 'attributed').length, 3, String(outcomes));
    for (const o of ['duplicate', 'not_won', 'no_contact', 'no_campaign'])
      assert.ok(outcomes.includes(o), `${o} in ${outcomes}`);

    const report = async (campaignId: string) => (await getCampaign(t.deps, campaignId)).report?.revenue;
    assert.deepEqual(await report(october), {
      dealsWon: { firstTouch: 2, lastTouch: 0 },
      byCurrency: [{ currency: 'EUR', firstTouch: 1050, lastTouch: 0 }],
    });
    assert.deepEqual(await report(november), {
      dealsWon: { firstTouch: 1, lastTouch: 3 },
      byCurrency: [
        { currency: 'EUR', firstTouch: 0, lastTouch: 1050 },
        { currency: 'USD', firstTouch: 500, lastTouch: 500 },
      ],
    });

    // The dashboard counts the deals won in its range: Bob's (day 35) only, from day 30.
    const range = (from: number, to: number) => ({
      from: new Date(start + from * DAY).toISOString().slice(0, 10),
      to: new Date(start + to * DAY).toISOString().slice(0, 10),
    });
    const late = await dashboard(t.deps, range(30, 60));
    assert.deepEqual(late.campaigns, [
      {
        campaignId: november,
        revenue: {
          dealsWon: { firstTouch: 1, lastTouch: 1 },
          byCurrency: [{ currency: 'USD', firstTouch: 500, lastTouch: 500 }],
        },
      },
    ]);
    const all = await dashboard(t.deps, range(0, 60));
    assert.deepEqual(
      all.campaigns.map((c) => c.campaignId),
      [november, october],
    );
  });
});
