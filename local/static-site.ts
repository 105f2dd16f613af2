/** Serves the built admin UI (web/dist) and its `/config.json` beside the API, as CloudFront does in the cloud. */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
  '.ico': 'image/x-icon',
};

/**
 * The admin UI's security headers: same-origin scripts only, no framing; the browser may connect to
 * the API (same origin) and to `connectTo` (the local S3 uploads go to, on its own port).
 */
const headers = (connectTo: string[]) => ({
  'content-security-policy': `default-src 'self'; connect-src 'self' ${connectTo.join(' ')}; style-src 'self' 'unsafe-inline'; img-src 'self' data: https:; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
});

export function staticSite(root: string, connectTo: string[] = []) {
  const base = resolve(root);
  const HEADERS = headers(connectTo);
  /** Answers GET requests for the UI; returns false when the request is not one. */
  return async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path === '/config.json') {
      res.writeHead(200, { 'content-type': TYPES['.json'], 'cache-control': 'no-store', ...HEADERS });
      res.end(JSON.stringify({ auth: 'token' }));
      return true;
    }
    if (path !== '/' && path !== '/index.html' && !path.startsWith('/assets/')) return false;
    const file = normalize(join(base, path === '/' ? 'index.html' : path));
    if (!file.startsWith(base)) return false;
    const body = await readFile(file).catch(() => undefined);
    if (!body) return false;
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...HEADERS,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}
