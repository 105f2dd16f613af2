/** What sending a tracked email needs in a Lambda: the SES mailer, the signing key, the public URL. */
import type { EmailContext } from '../core/email-sender.js';
import { requireEnv } from './config.js';
import { sesMailer } from './ses-mailer.js';
import { signingSecret } from './signing-secret.js';

export const emailContext: EmailContext = {
  mailer: sesMailer({
    from: requireEnv('SENDER_EMAIL'),
    configurationSet: requireEnv('SES_CONFIGURATION_SET'),
  }),
  signingSecret,
  publicUrl: requireEnv('PUBLIC_API_URL').replace(/\/$/, ''),
};
