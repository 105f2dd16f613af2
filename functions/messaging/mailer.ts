/** The email provider, as sending needs it (SES v2 in the cloud and locally: messaging/ses-mailer.ts). */
export interface OutgoingEmail {
  to: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  tags: Record<string, string>;
  /** Files sent with it (a calendar invite). */
  attachments?: EmailAttachment[];
}

export interface EmailAttachment {
  filename: string;
  /** The MIME type, with parameters (`text/calendar; method=REQUEST`). */
  contentType: string;
  content: string;
}

export interface SendOptions {
  /** The rate was waited for already (`whenReady`): send at once. */
  ready?: boolean;
  /** Give up (RetryableError: the outcome is unknown) if the provider has not answered by then. */
  deadline?: Date;
}

export interface Mailer {
  /** Sends one email; returns the provider's message id. Throws RetryableError when throttled. */
  send(email: OutgoingEmail, options?: SendOptions): Promise<string>;
  /**
   * Takes the email's slot of the shared rate: resolves shortly before the slot's time (so the send
   * can be claimed, with a short lease, in between) with that time; the caller sends at it with
   * `send(email, { ready: true })`, which does not wait again. Absent: no rate.
   */
  whenReady?(): Promise<number | undefined>;
}

/** How long before its slot a send is let go: time to claim it, so that the provider is called on time. */
export const SLOT_LEAD_MS = 1_000;

/** Waits until `at` (ms since the epoch), if it is ahead. */
export async function waitUntil(at: number | undefined): Promise<void> {
  const delay = (at ?? 0) - Date.now();
  if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
}

/** The mailer, sending each email only when every one of `rates` allows one more (a shared quota). */
export function rateLimitedMailer(
  mailer: Mailer,
  ...rates: Array<{ acquire(leadMs?: number): Promise<number> }>
): Mailer {
  // An outer layer (a share of the quota) waits for its slots; the innermost (the provider's quota)
  // lets the send go its lead early and names the slot it is to be sent at: SES sees only those
  // slots' spacing, whoever holds them.
  const whenReady = async (): Promise<number | undefined> => {
    if (mailer.whenReady) {
      for (const rate of rates) await rate.acquire();
      return mailer.whenReady();
    }
    let at = 0;
    for (const rate of rates) at = Math.max(at, await rate.acquire(SLOT_LEAD_MS));
    return at;
  };
  return {
    whenReady,
    async send(email, options = {}) {
      if (!options.ready) await waitUntil(await whenReady());
      return mailer.send(email, { ...options, ready: true });
    },
  };
}
