/** Configuration read from the environment once, at module scope, failing fast when something is missing. */
import type { EnvName } from './manifest.js';

export function requireEnv(name: EnvName): string {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') {
    throw new Error(`missing required environment variable ${name}`);
  }
  return value;
}

/** Tuning read from the environment when set (local mode sets them; the cloud uses the defaults). */
export type OptionalEnvName =
  /** Emails per second for all email (default in the cloud: SES's MaxSendRate). */
  | 'EMAIL_MAX_SEND_RATE'
  /** Emails per second for campaigns (default: 80% of the maximum, leaving the rest to workflows). */
  | 'CAMPAIGN_SEND_RATE';

export function optionalNumberEnv(name: OptionalEnvName): number | undefined {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/** Switches read from the environment (local mode sets them; absent in the cloud). */
export type OptionalFlagName =
  /** Webhooks may target http URLs and private addresses (local receivers on 127.0.0.1). */
  'WEBHOOKS_ALLOW_PRIVATE_TARGETS';

export const optionalFlagEnv = (name: OptionalFlagName): boolean => process.env[name] === 'true';
