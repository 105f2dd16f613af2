/**
 * The HMAC key for form fill-time tokens (and, later, unsubscribe links). In the cloud it lives in
 * Secrets Manager (SIGNING_SECRET_ARN) and is fetched once per cold start; local mode passes it
 * directly (SIGNING_SECRET). One of the two must be set.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

async function load(): Promise<string> {
  const direct = process.env.SIGNING_SECRET;
  if (direct) return direct;
  const arn = process.env.SIGNING_SECRET_ARN;
  if (!arn)
    throw new Error('missing required environment variable SIGNING_SECRET_ARN (or SIGNING_SECRET locally)');
  const out = await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: arn }));
  if (!out.SecretString || out.SecretString.length < 32)
    throw new Error('signing secret is empty or too short');
  return out.SecretString;
}

export const signingSecret: string = await load();
