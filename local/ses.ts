/** aws-ses-v2-local, the local mail outbox (a CommonJS module whose default export ESM sees nested). */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

type Start = (config: { host: string; port: number }) => Promise<Server>;

export async function startSesLocal(host: string): Promise<{ url: string; server: Server }> {
  const mod = (await import('aws-ses-v2-local')) as unknown as { default: Start | { default: Start } };
  const start = typeof mod.default === 'function' ? mod.default : mod.default.default;
  const server = await start({ host, port: 0 });
  return { url: `http://${host}:${(server.address() as AddressInfo).port}`, server };
}
