/**
 * Email in, locally: an SMTP server (the `smtp-server` package) standing for SES receiving. As the
 * receipt rule does, it takes mail for the support address only, stores the raw message in the files
 * bucket under `inbound/<messageId>` and invokes the inbound-email function asynchronously with the
 * same SES event (no verdicts: nothing is scanned locally). The sender is answered 250 only once the
 * message is stored and the invocation recorded, so a crash before that makes the sender retry, as
 * SMTP senders do on no answer or a 4xx.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** SES's limit for a received message, headers and attachments included. */
const MAX_MESSAGE_BYTES = 40 * 1024 * 1024;

export interface InboundSmtpOptions {
  host: string;
  /** 0: any free port. */
  port: number;
  supportAddress: string;
  /** Stores the raw message (the files bucket). */
  store(key: string, raw: Uint8Array): Promise<void>;
  /** Invokes the inbound-email function asynchronously (recorded before it resolves). */
  deliver(event: unknown): Promise<void>;
  log(line: string): void;
}

/** The event SES's receipt rule gives a Lambda action (the parts the function reads, and the common ones). */
function sesEvent(messageId: string, from: string, recipients: string[], at: Date) {
  return {
    Records: [
      {
        eventSource: 'aws:ses',
        eventVersion: '1.0',
        ses: {
          mail: {
            timestamp: at.toISOString(),
            source: from,
            messageId,
            destination: recipients,
            headersTruncated: false,
            headers: [],
            commonHeaders: { returnPath: from, from: [from], to: recipients },
          },
          receipt: {
            timestamp: at.toISOString(),
            processingTimeMillis: 0,
            recipients,
            action: { type: 'Lambda', invocationType: 'Event' },
          },
        },
      },
    ],
  };
}

export async function startInboundSmtp(
  options: InboundSmtpOptions,
): Promise<{ port: number; stop(): Promise<void> }> {
  const support = options.supportAddress.toLowerCase();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    size: MAX_MESSAGE_BYTES,
    banner: 'Tendril local inbound mail',
    logger: false,
    onRcptTo(address, _session, callback) {
      if (address.address.toLowerCase() !== support) {
        const err = new Error(`5.1.1 <${address.address}>: no such mailbox here (write to ${support})`);
        (err as Error & { responseCode: number }).responseCode = 550;
        return callback(err);
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          const err = new Error('5.3.4 message too big');
          (err as Error & { responseCode: number }).responseCode = 552;
          return callback(err);
        }
        const messageId = randomUUID().replace(/-/g, '');
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const recipients = session.envelope.rcptTo.map((r) => r.address);
        options
          .store(`inbound/${messageId}`, Buffer.concat(chunks))
          .then(() => options.deliver(sesEvent(messageId, from, recipients, new Date())))
          .then(
            () => callback(null, `2.0.0 queued as ${messageId}`),
            (err: unknown) => {
              options.log(`inbound mail not taken: ${String(err)}`);
              const temp = new Error('4.3.0 not taken now, try again later');
              (temp as Error & { responseCode: number }).responseCode = 451;
              callback(temp);
            },
          );
      });
    },
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port, options.host, () => done());
  });
  server.on('error', (err) => options.log(`smtp: ${String(err)}`));
  const port = (server.server.address() as AddressInfo).port;
  return { port, stop: () => new Promise<void>((done) => server.close(() => done())) };
}
