/**
 * The Mailer port on SES v2: simple content with custom headers, a configuration set and tags. The
 * SES client is loaded on the first send, so a cold start that sends nothing does not pay for it.
 */
import type { SESv2Client, SendEmailCommandOutput } from '@aws-sdk/client-sesv2';
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
  let client:
    | Promise<{
        client: SESv2Client;
        send: (
          email: Parameters<Mailer['send']>[0],
          abortSignal?: AbortSignal,
        ) => Promise<SendEmailCommandOutput>;
      }>
    | undefined;
  const load = () =>
    (client ??= import('#platform/aws/sdk-ses.js').then(({ SESv2Client, SendEmailCommand }) => {
      const ses = new SESv2Client({});
      return {
        client: ses,
        send: (email, abortSignal) =>
          ses.send(
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
                  ...(email.attachments?.length
                    ? {
                        Attachments: email.attachments.map((a) => ({
                          FileName: a.filename,
                          ContentType: a.contentType,
                          ContentDisposition: 'ATTACHMENT' as const,
                          ContentTransferEncoding: 'BASE64' as const,
                          RawContent: new TextEncoder().encode(a.content),
                        })),
                      }
                    : {}),
                },
              },
            }),
            abortSignal ? { abortSignal } : {},
          ),
      };
    }));
  return {
    async send(email, options = {}) {
      const ses = await load();
      const signal = options.deadline
        ? AbortSignal.timeout(Math.max(1, options.deadline.getTime() - Date.now()))
        : undefined;
      try {
        const out = await ses.send(email, signal);
        if (!out.MessageId) throw new RetryableError('SES returned no message id');
        return out.MessageId;
      } catch (err) {
        const e = err as Error & { $metadata?: { httpStatusCode?: number } };
        if (err instanceof RetryableError) throw err;
        // No answer before the send's lease ends: it may have gone out (the send id tells), retried.
        if (signal?.aborted)
          throw new RetryableError(`SES did not answer before the send's lease ended: ${e.message}`);
        if (RETRYABLE.has(e.name) || (e.$metadata?.httpStatusCode ?? 0) >= 500)
          throw new RetryableError(`${e.name}: ${e.message}`);
        throw err;
      }
    },
  };
}

/** The account's SES send quota: emails per second (`GetAccount` → `SendQuota.MaxSendRate`). */
export async function sesMaxSendRate(): Promise<number> {
  const { SESv2Client, GetAccountCommand } = await import('#platform/aws/sdk-ses.js');
  const out = await new SESv2Client({}).send(new GetAccountCommand({}));
  const rate = out.SendQuota?.MaxSendRate;
  if (!rate || rate <= 0) throw new Error('SES GetAccount returned no MaxSendRate');
  return rate;
}
