/** Configuration read from the environment once, at module scope, failing fast when something is missing. */
export function requireEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value.trim() === '') {
    throw new Error(`missing required environment variable ${name}`);
  }
  return value;
}
