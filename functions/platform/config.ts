/** Configuration read from the environment once, at module scope, failing fast when something is missing. */
import type { EnvName } from './manifest.js';

export function requireEnv(name: EnvName): string {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') {
    throw new Error(`missing required environment variable ${name}`);
  }
  return value;
}
