/**
 * Campaigns on DynamoDB Local, as the data tests drive them: a table with a template, and a campaign's
 * bulk job run to its end the way SQS delivers its chunks (three workers; a chunk that throws comes
 * back after the visibility timeout; optionally one chunk delivered twice).
 */
import { planBulk, processBulkChunk } from '#bulk/engine.js';
import type { BulkChunkMessage } from '#bulk/model.js';
import { campaignApplier } from '#campaigns/send.js';
import type { EmailContext } from '#messaging/sender.js';
import { createTemplate } from '#messaging/templates.js';
import type { Scheduler } from '#platform/scheduler.js';
import { createTestTable, type TestTable } from './dynamo.js';
import { RecordingMailer } from './fakes.js';
import { memoryFiles } from './imports.js';

export function chunkQueue() {
  const messages: BulkChunkMessage[] = [];
  return { messages, send: async (batch: BulkChunkMessage[]) => void messages.push(...batch) };
}

export async function setUp() {
  return setUpOn(await createTestTable());
}

export async function setUpOn(t: TestTable) {
  const mailer = new RecordingMailer();
  const ctx: EmailContext = {
    mailer,
    signingSecret: async () => 'test-signing-secret-test-signing-secret',
    publicUrl: 'https://crm.example.com',
  };
  const template = await createTemplate(t.deps, {
    name: 'Spring sale',
    subject: 'Spring sale, {{ contact.firstName | default: "friend" }}',
    html: '<p>Hi <a href="https://shop.example.com/sale?ref=mail">Shop</a></p><a href="{{ unsubscribeUrl }}">Unsubscribe</a>',
  });
  return { t, mailer, ctx, template };
}

export async function runCampaignJob(
  t: TestTable,
  ctx: EmailContext,
  jobId: string,
  twice = false,
  /** Makes a local-time campaign's wave schedules. */
  scheduler?: Scheduler,
) {
  const q = chunkQueue();
  await planBulk(t.deps, q, memoryFiles(), jobId);
  if (twice) q.messages.push(...q.messages.slice(0, 1));
  const appliers = {
    sendCampaign: campaignApplier(t.deps, ctx, {
      sleep: async () => {},
      ...(scheduler ? { scheduler } : {}),
    }),
  };
  // As SQS does: a chunk that throws (another delivery of it holds a send's claim) comes back later.
  const receives = new Map<BulkChunkMessage, number>();
  await Promise.all(
    Array.from({ length: 3 }, async () => {
      for (let m = q.messages.shift(); m; m = q.messages.shift()) {
        try {
          await processBulkChunk(t.deps, appliers, m);
        } catch (err) {
          const n = (receives.get(m) ?? 0) + 1;
          if (n >= 5) throw err;
          receives.set(m, n);
          await new Promise((r) => setTimeout(r, 300)); // the visibility timeout
          q.messages.push(m);
        }
      }
    }),
  );
}
