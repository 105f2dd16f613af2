/**
 * aws-ses-v2-local, the local mail outbox (a CommonJS module whose default export ESM sees nested),
 * and the times (ms) at which it accepted each SendEmail — what SES's rate quota counts — kept for
 * /_local/ses-sends (its own store has whole seconds).
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

type Start = (config: { host: string; port: number }) => Promise<Server>;

/** The acceptance times kept (the latest). */
const KEEP = 100_000;

export async function startSesLocal(
  host: string,
): Promise<{ url: string; server: Server; accepted: () => readonly number[] }> {
  const mod = (await import('aws-ses-v2-local')) as unknown as { default: Start | { default: Start } };
  const start = typeof mod.default === 'function' ? mod.default : mod.default.default;
  const server = await start({ host, port: 0 });
  const accepted: number[] = [];
  server.prependListener('request', (req, res) => {
    if (req.method !== 'POST' || !req.url?.startsWith('/v2/email/outbound-emails')) return;
    const at = Date.now();
    res.on('finish', () => {
      if (res.statusCode !== 200) return;
      accepted.push(at);
      if (accepted.length > KEEP) accepted.splice(0, accepted.length - KEEP);
    });
  });
  return {
    url: `http://${host}:${(server.address() as AddressInfo).port}`,
    server,
    accepted: () => accepted,
  };
}
