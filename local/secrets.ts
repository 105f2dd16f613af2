/** Local mode's secrets (kept in the data folder, readable by its user only) and a listen helper. */
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export interface LocalSecrets {
  adminToken: string;
  signingSecret: string;
}

export async function loadSecrets(dataDir: string): Promise<LocalSecrets> {
  const file = join(dataDir, 'local-secrets.json');
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing) return JSON.parse(existing) as LocalSecrets;
  const secrets = {
    adminToken: process.env.TENDRIL_ADMIN_TOKEN ?? `tdl_${randomBytes(24).toString('base64url')}`,
    signingSecret: randomBytes(32).toString('base64url'),
  };
  await writeFile(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}

export const listen = (server: Server, port: number, host: string) =>
  new Promise<number>((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => done((server.address() as AddressInfo).port));
  });
