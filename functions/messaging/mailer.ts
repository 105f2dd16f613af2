/** The email provider, as sending needs it (SES v2 in the cloud and locally: messaging/ses-mailer.ts). */
export interface OutgoingEmail {
  to: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  tags: Record<string, string>;
}

export interface Mailer {
  /** Sends one email; returns the provider's message id. Throws RetryableError when throttled. */
  send(email: OutgoingEmail): Promise<string>;
}

/** The mailer, sending each email only when every one of `rates` allows one more (a shared quota). */
export function rateLimitedMailer(mailer: Mailer, ...rates: Array<{ acquire(): Promise<void> }>): Mailer {
  return {
    async send(email) {
      for (const rate of rates) await rate.acquire();
      return mailer.send(email);
    },
  };
}
