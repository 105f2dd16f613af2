/** The Mailer port on SES v2: simple content with custom headers, a configuration set and tags. */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { RetryableError } from '#platform/errors.js';
import type { Mailer } from './mailer.js';

const RETRYABLE = new Set([
  'TooManyRequestsException',
  'LimitExceededException',
  'ThrottlingException',
  'InternalFailure',
  'ServiceUnavailable',
]);

export function sesMailer(config: { from: string; configurationSet: string }): Mailer {
  const client = new SESv2Client({});
  return {
    async send(email) {
      try {
        const out = await client.send(
          new SendEmailCommand({
            FromEmailAddress: config.from,
            Destination: { ToAddresses: [email.to] },
            ConfigurationSetName: config.configurationSet,
            EmailTags: Object.entries(email.tags).map(([Name, Value]) => ({ Name, Value })),
            Content: {
              Simple: {
                Subject: { Data: email.subject, Charset: 'UTF-8' },
                Body: {
                  Html: { Data: email.html, Charset: 'UTF-8' },
                  Text: { Data: email.text, Charset: 'UTF-8' },
                },
                Headers: Object.entries(email.headers).map(([Name, Value]) => ({ Name, Value })),
              },
            },
          }),
        );
        if (!out.MessageId) throw new RetryableError('SES returned no message id');
        return out.MessageId;
      } catch (err) {
        const e = err as Error & { $metadata?: { httpStatusCode?: number } };
        if (err instanceof RetryableError) throw err;
        if (RETRYABLE.has(e.name) || (e.$metadata?.httpStatusCode ?? 0) >= 500)
          throw new RetryableError(`${e.name}: ${e.message}`);
        throw err;
      }
    },
  };
}
