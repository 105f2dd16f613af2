/**
 * An email to the support address: SES's receipt rule stores the raw message in the files bucket
 * (`inbound/<messageId>`) and then invokes this function asynchronously (locally the SMTP server
 * does the same). The message is read, its attachments kept, and it opens a case or joins the one
 * it answers; a new case from a person is acknowledged. Failures are retried by Lambda, then land on
 * the on-failure queue (alarmed); dropped messages (loops, viruses) are counted.
 */
import type { SESEvent } from 'aws-lambda';
import { depsOf, table } from '#app/runtime.js';
import { scheduler } from '#app/scheduler.js';
import { s3Files } from '#platform/aws/files.js';
import { requireEnv } from '#platform/config.js';
import { lambdaHandler } from '#platform/lambda.js';
import { receiveEmail } from '#service/inbound.js';
import { parseInbound } from '#service/mime.js';
import { serviceStore } from '#service/store-dynamo.js';

const deps = depsOf(serviceStore);
const files = s3Files(requireEnv('FILES_BUCKET'));
/** Where the receipt rule's S3 action stores raw messages (infra/constructs/inbound-email.ts). */
const INBOUND_PREFIX = 'inbound/';
/** Where attachments are kept with their case (no expiry, unlike raw messages). */
const ATTACHMENTS_PREFIX = 'case-files/';

async function readAll(stream: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export const handler = lambdaHandler('inbound-email', async (event: SESEvent, context) => {
  const outcomes: string[] = [];
  for (const record of event.Records) {
    const { mail, receipt } = record.ses;
    const raw = await readAll(await files.stream(`${INBOUND_PREFIX}${mail.messageId}`));
    const parsed = await parseInbound(
      raw,
      mail.messageId,
      {
        spam: receipt?.spamVerdict?.status,
        virus: receipt?.virusVerdict?.status,
        spf: receipt?.spfVerdict?.status,
        dkim: receipt?.dkimVerdict?.status,
        dmarc: receipt?.dmarcVerdict?.status,
      },
      (key, bytes, contentType) => files.put(key, bytes, contentType),
      ATTACHMENTS_PREFIX,
    );
    // A null envelope sender (MAIL FROM:<>) is a bounce or another report: never answered (RFC 3834).
    if (!mail.source || mail.source === '<>') parsed.automatic = true;
    const support = requireEnv('SUPPORT_EMAIL');
    const result = await receiveEmail(
      deps,
      { ownAddresses: [support, requireEnv('SENDER_EMAIL')], scheduler },
      parsed,
    );
    context.metrics.count('InboundEmail', 1, { outcome: result.outcome });
    if (result.outcome === 'loop' || result.outcome === 'virus' || result.outcome === 'no_sender')
      context.metrics.count('InboundDropped');
    const refused = parsed.attachments.filter((a) => a.refused).length;
    if (refused) context.metrics.count('AttachmentsRefused', refused);
    if ('acknowledge' in result && result.acknowledge) {
      const [{ acknowledgeCase }, { countedMailer, emailContext }, { suggestArticles }, { knowledgeReads }] =
        await Promise.all([
          import('#service/replies.js'),
          import('#app/email-context.js'),
          import('#knowledge/suggest.js'),
          import('#knowledge/store-dynamo.js'),
        ]);
      const mailer = countedMailer(context.metrics, 'inbound-email');
      // Up to three published articles that may already answer it (the knowledge base's index).
      const knowledge = { store: knowledgeReads(table), publicUrl: emailContext.publicUrl };
      await acknowledgeCase(
        deps,
        { ...emailContext, mailer, supportAddress: support },
        result.caseId,
        (text) => suggestArticles(knowledge, text, 3),
      );
    }
    outcomes.push(`${result.outcome}${'caseId' in result ? ` ${result.caseId}` : ''}`);
  }
  return { outcomes };
});
