/** What sending a tracked email needs in a Lambda: the SES mailer, the signing key, the public URL. */
import type { Mailer } from '#messaging/mailer.js';
import type { EmailContext } from '#messaging/sender.js';
import { sesMailer } from '#messaging/ses-mailer.js';
import { signingSecret } from '#platform/aws/signing-secret.js';
import { requireEnv } from '#platform/config.js';
import { RetryableError } from '#platform/errors.js';
import type { MetricsBuffer } from '#platform/logger.js';

export const emailContext: EmailContext = {
  mailer: sesMailer({
    from: requireEnv('SENDER_EMAIL'),
    configurationSet: requireEnv('SES_CONFIGURATION_SET'),
  }),
  signingSecret,
  publicUrl: requireEnv('PUBLIC_API_URL').replace(/\/$/, ''),
};

/**
 * The mailer, counting into this invocation's metrics each email the provider accepted
 * (`EmailSent`), throttled (`EmailThrottled`, retried) or rejected for good (`EmailRejected`, alarmed).
 */
export function countedMailer(metrics: MetricsBuffer, via: string): Mailer {
  return {
    async send(email) {
      try {
        const messageId = await emailContext.mailer.send(email);
        metrics.count('EmailSent', 1, { via });
        return messageId;
      } catch (err) {
        metrics.count(err instanceof RetryableError ? 'EmailThrottled' : 'EmailRejected', 1, { via });
        throw err;
      }
    },
  };
}
