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
