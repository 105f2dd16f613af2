/**
 * The HMAC key for form fill-time tokens and unsubscribe links. In the cloud it lives in Secrets
 * Manager (SIGNING_SECRET_ARN) and is fetched once, on the first request that needs it; local mode
 * passes it directly (SIGNING_SECRET). One of the two must be set: checked at import.
 */
const direct = process.env.SIGNING_SECRET;
const arn = process.env.SIGNING_SECRET_ARN;
if (!direct && !arn)
  throw new Error('missing required environment variable SIGNING_SECRET_ARN (or SIGNING_SECRET locally)');

let secret: Promise<string> | undefined;

async function fetchSecret(secretId: string): Promise<string> {
  const { GetSecretValueCommand, SecretsManagerClient } = await import('./sdk-secrets.js');
  const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: secretId }));
  if (!out.SecretString || out.SecretString.length < 32)
    throw new Error('signing secret is empty or too short');
  return out.SecretString;
}

/** The key (fetched once per cold start; a failed fetch is tried again on the next call). */
export function signingSecret(): Promise<string> {
  if (direct) return Promise.resolve(direct);
  secret ??= fetchSecret(arn as string).catch((err) => {
    secret = undefined;
    throw err;
  });
  return secret;
}
