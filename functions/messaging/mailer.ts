/** The email provider, as sending needs it (SES v2 in the cloud and locally: messaging/ses-mailer.ts). */
export interface OutgoingEmail {
  to: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  tags: Record<string, string>;
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
   * Waits until the shared rate allows one more email, so that a send claimed after it needs no
   * long lease; `send(email, { ready: true })` then sends without waiting again. Absent: no rate.
   */
  whenReady?(): Promise<void>;
}

/** The mailer, sending each email only when every one of `rates` allows one more (a shared quota). */
export function rateLimitedMailer(mailer: Mailer, ...rates: Array<{ acquire(): Promise<void> }>): Mailer {
  const whenReady = async () => {
    for (const rate of rates) await rate.acquire();
    await mailer.whenReady?.();
  };
  return {
    whenReady,
    async send(email, options = {}) {
      if (!options.ready) await whenReady();
      return mailer.send(email, { ...options, ready: true });
    },
  };
}
