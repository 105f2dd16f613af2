/**
 * Conversion predictions (issue #18): how good is the trained model? On **synthetic** contacts whose
 * labels are drawn from a planted logistic model over the product's own features
 * (test/support/predictions.ts), the trained model's AUC on the held-out fifth is set against the
 * planted model's AUC on the very same held-out contacts — the best any model of these features can
 * do, since the labels are random draws from it. Then the trainer itself (`trainModel`, the daily
 * function's code) over such contacts stored in DynamoDB Local: contacts read per second, and what
 * that makes of the 50,000-contact cap against the function's 15 minutes.
 */
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type AppStore, type AppWrite, dynamoStore } from '#app/store.js';
import type { EmailSend } from '#messaging/model.js';
import { messagingKeys } from '#messaging/store-dynamo.js';
import { ulidFactory } from '#platform/ids.js';
import { auc, isHoldout } from '#predictions/logistic.js';
import { train } from '#predictions/rules.js';
import { MAX_CONTACTS_PER_RUN, trainModel } from '#predictions/training.js';
import { trackingKeys } from '#tracking/store-dynamo.js';
import { ensureTable, localClient, startDynamoLocal } from '../local/dynamodb.js';
import { SYNTHETIC_CONTEXT, SYNTHETIC_NOW, syntheticExamples } from '../test/support/predictions.js';

const DAY_MS = 86_400_000;
const f3 = (n: number) => n.toFixed(3);

/** Items of `examples` as the product stores them: contact, standing, site summary, send ledger, won deals. */
function storedItems(
  store: AppStore,
  examples: ReturnType<typeof syntheticExamples>,
): Record<string, unknown>[] {
  const created = new Date(SYNTHETIC_NOW.getTime() - 200 * DAY_MS).toISOString();
  const pipeline = {
    id: 'PIPELINE00000000000000000A',
    name: 'Sales',
    stages: [
      { name: 'Proposal', probability: 0.5 },
      { name: 'Won', probability: 1 },
    ],
    createdAt: created,
    updatedAt: created,
  };
  const writes: AppWrite[] = [{ kind: 'putPipeline', pipeline }];
  const raw: Record<string, unknown>[] = [];
  for (const [i, e] of examples.entries()) {
    const s = e.signals;
    writes.push({
      kind: 'createContact',
      contact: {
        id: e.id,
        email: `c${i}@predictions.example`,
        ...(s.source ? { source: s.source } : {}),
        tags: Array.from({ length: s.tags }, (_, t) => `tag-${t}`),
        version: 1,
        createdAt: created,
        updatedAt: created,
      } as never,
    });
    if (s.standing) writes.push({ kind: 'putStanding', standing: s.standing, expectedVersion: 0 });
    if (e.label === 1)
      writes.push({
        kind: 'putDeal',
        deal: {
          id: `DEAL${e.id.slice(4)}`,
          title: `Deal ${i}`,
          amount: 1000,
          currency: 'EUR',
          pipelineId: pipeline.id,
          stage: 'Won',
          contactId: e.id,
          version: 1,
          createdAt: created,
          updatedAt: created,
        },
      });
    if (s.web) raw.push({ ...trackingKeys.summary(e.id), _type: 'WebSummary', _v: 1, ...s.web });
    // Opens, the latest at the last engagement; the first `clicks` of them clicked too.
    const last = s.email.lastEngagedAt ? Date.parse(s.email.lastEngagedAt) : 0;
    for (let n = 0; n < s.email.opens; n++) {
      const at = new Date(last - n * DAY_MS).toISOString();
      const send: EmailSend = {
        enrollmentId: 'campaign',
        stepId: `CAMPAIGN${n}`,
        contactId: e.id,
        templateId: 'T',
        status: 'sent',
        sentAt: at,
        openedAt: at,
        ...(n < s.email.clicks ? { clickedAt: at } : {}),
      };
      raw.push({
        ...messagingKeys.send(e.id, send.enrollmentId, send.stepId),
        _type: 'EmailSend',
        _v: 1,
        ...send,
      });
    }
  }
  const items = store
    .transactItems(writes)
    .flatMap((t) => (t.Put ? [t.Put.Item as Record<string, unknown>] : []));
  return [...items, ...raw];
}

async function trainerOverDynamo(contacts: number): Promise<string[]> {
  const dynamo = await startDynamoLocal();
  try {
    const client = localClient(dynamo.endpoint);
    const doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    const tableName = `bench-predictions-${Date.now()}`;
    await ensureTable(client, tableName);
    const store = dynamoStore(doc, tableName);
    const examples = syntheticExamples(contacts, 2027);
    const items = storedItems(store, examples);
    const { Table } = await import('#platform/dynamo/table.js');
    const table = new Table(doc, tableName);
    for (let i = 0; i < items.length; i += 2500) await table.batchPut(items.slice(i, i + 2500));
    const deps = { store, clock: { now: () => SYNTHETIC_NOW }, ids: { next: ulidFactory() } };
    const t0 = performance.now();
    const run = await trainModel(deps);
    const seconds = (performance.now() - t0) / 1000;
    const model = await store.getPredictionModel();
    const held = examples.filter((e) => isHoldout(e.id));
    const planted = auc(
      held.map((e) => e.planted),
      held.map((e) => e.label),
    ) as number;
    const perSecond = run.contactsRead / seconds;
    return [
      `| contacts stored (${items.length.toLocaleString('en')} items) | ${contacts.toLocaleString('en')} |`,
      `| run | ${run.outcome}, ${run.labeled.toLocaleString('en')} labeled, ${run.positives.toLocaleString('en')} converted |`,
      `| held-out AUC, trained / planted | ${model ? f3(model.auc) : '—'} / ${f3(planted)} |`,
      `| likelihoods stored (every contact read, in batch writes) | ${(run.scored ?? 0).toLocaleString('en')} |`,
      `| time to read, train, score and store | ${seconds.toFixed(1)} s (${Math.round(perSecond).toLocaleString('en')} contacts/s) |`,
      `| the 50,000 cap at that rate | ${(MAX_CONTACTS_PER_RUN / perSecond / 60).toFixed(1)} min of the function's 15 |`,
    ];
  } finally {
    await dynamo.stop();
  }
}

export async function predictionsBench(sizes: number[], stored: number): Promise<string> {
  const rows: string[] = [];
  for (const n of sizes) {
    const examples = syntheticExamples(n, 42);
    const t0 = performance.now();
    const result = train(examples, SYNTHETIC_CONTEXT);
    const ms = performance.now() - t0;
    const held = examples.filter((e) => isHoldout(e.id));
    const planted = auc(
      held.map((e) => e.planted),
      held.map((e) => e.label),
    ) as number;
    if (result.outcome !== 'trained') throw new Error(`not trained: ${result.message}`);
    const m = result.model;
    rows.push(
      `| ${n.toLocaleString('en')} | ${m.trainingSize.toLocaleString('en')} / ${m.holdoutSize.toLocaleString('en')} | ${(m.positives + m.holdoutPositives).toLocaleString('en')} | ${f3(m.auc)} | ${f3(planted)} | ${f3(m.auc / planted)} | ${m.iterations} | ${Math.round(ms)} ms |`,
    );
    console.error(`predictions: ${n} contacts, AUC ${f3(m.auc)} against planted ${f3(planted)}`);
  }
  const dynamoRows = stored > 0 ? await trainerOverDynamo(stored) : [];
  return `## Conversion predictions: trained against planted AUC

**Synthetic data.** Contacts are generated (seeded) with the signals the product reads — lead score
and stage, page views and product events, email opens and clicks, last activity, tags, source — and
each is labeled converted by a draw from a planted logistic model over the product's own features.
The trained model (Newton's method with L2, \`functions/predictions/logistic.ts\`, on the 80% not held
out by id hash) is scored by AUC on the held-out 20%; the planted model's AUC on the same held-out
contacts is the ceiling (the labels are random draws from it). A ratio near 1 means training finds
what there is to find.

| contacts | trained / held out | converted | held-out AUC, trained | planted | ratio | Newton iterations | fit time |
|---|---|---|---|---|---|---|---|
${rows.join('\n')}
${
  dynamoRows.length
    ? `
The daily trainer (\`trainModel\`) over synthetic contacts stored in DynamoDB Local (a JVM on this
machine, slower than DynamoDB: the rate is a floor), reading each contact's standing and site
summary in batches and its send ledger by query:

| trainer over DynamoDB Local | |
|---|---|
${dynamoRows.join('\n')}
`
    : ''
}`;
}
