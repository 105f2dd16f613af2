/** What sending a tracked email needs in a Lambda: the SES mailer (held at the shared send rate), the signing key, the public URL. */
import { type Mailer, rateLimitedMailer } from '#messaging/mailer.js';
import type { EmailContext } from '#messaging/sender.js';
import { sesMailer, sesMaxSendRate } from '#messaging/ses-mailer.js';
import { signingSecret } from '#platform/aws/signing-secret.js';
import { optionalNumberEnv, requireEnv } from '#platform/config.js';
import { dynamoRateSlots } from '#platform/dynamo/rate-slots.js';
import { RetryableError } from '#platform/errors.js';
import type { MetricsBuffer } from '#platform/logger.js';
import { sendRate } from '#platform/send-rate.js';
import { table } from './runtime.js';

/** Emails per second for all of Tendril's email: set, or SES's quota (read once per process). */
let maxRate: Promise<number> | undefined;
export const maxSendRate = () =>
  (maxRate ??= Promise.resolve(optionalNumberEnv('EMAIL_MAX_SEND_RATE') ?? sesMaxSendRate()).catch((err) => {
    maxRate = undefined; // read again on the next send
    throw err;
  }));

/** One rate for every email any function sends (workflows, follow-ups, campaigns): never past the quota. */
export const allEmail = sendRate(dynamoRateSlots(table), { bucket: 'email', perSecond: maxSendRate });

/** Campaigns' share of it (the rest stays free for workflows and follow-ups). */
export const campaignEmail = sendRate(dynamoRateSlots(table), {
  bucket: 'campaigns',
  perSecond: async () => optionalNumberEnv('CAMPAIGN_SEND_RATE') ?? 0.8 * (await maxSendRate()),
});

export const emailContext: EmailContext = {
  mailer: rateLimitedMailer(
    sesMailer({
      from: requireEnv('SENDER_EMAIL'),
      configurationSet: requireEnv('SES_CONFIGURATION_SET'),
    }),
    allEmail,
  ),
  signingSecret,
  publicUrl: requireEnv('PUBLIC_API_URL').replace(/\/$/, ''),
};

/**
 * The mailer, counting into this invocation's metrics each email the provider accepted
 * (`EmailSent`), throttled (`EmailThrottled`, retried) or rejected for good (`EmailRejected`, alarmed).
 */
export function countedMailer(metrics: MetricsBuffer, via: string): Required<Mailer> {
  return {
    whenReady: () => emailContext.mailer.whenReady?.() ?? Promise.resolve(undefined),
    async send(email, options) {
      try {
        const messageId = await emailContext.mailer.send(email, options);
        metrics.count('EmailSent', 1, { via });
        return messageId;
      } catch (err) {
        metrics.count(err instanceof RetryableError ? 'EmailThrottled' : 'EmailRejected', 1, { via });
        throw err;
      }
    },
  };
}
