/**
 * Serves the built admin UI (web/dist) and its `/config.json` beside the API, as CloudFront does in
 * the cloud: text files (HTML, scripts, styles, JSON, SVG) go out brotli- or gzip-compressed as the
 * browser's Accept-Encoding prefers, with `Vary: Accept-Encoding`. Each file is compressed once (the
 * build's files at startup, in the background) and kept in memory until it changes on disk (a rebuild).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
  '.ico': 'image/x-icon',
};
/** What compresses well (images other than SVG are compressed already). */
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.svg', '.map']);
/** Below this, compression saves nothing worth the work (CloudFront's own floor is 1,000 bytes). */
const MIN_SIZE = 1000;

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

export type Encoding = 'br' | 'gzip' | 'identity';

/**
 * The encoding to answer with: the accepted one (q > 0) of brotli and gzip with the highest q,
 * brotli on a tie (smaller); `*` stands for any not named; identity when neither is accepted.
 */
export function chooseEncoding(acceptEncoding: string | undefined): Encoding {
  const q = new Map<string, number>();
  for (const part of (acceptEncoding ?? '').split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    if (!name) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const value = qParam ? Number(qParam.slice(2)) : 1;
    q.set(name, Number.isFinite(value) ? value : 0);
  }
  const of = (name: string) => q.get(name) ?? q.get('*') ?? 0;
  const br = of('br');
  const gz = of('gzip');
  if (br > 0 && br >= gz) return 'br';
  if (gz > 0) return 'gzip';
  return 'identity';
}

interface Variants {
  mtimeMs: number;
  size: number;
  identity: Buffer;
  br?: Buffer;
  gzip?: Buffer;
}

/** A file's bytes and, for text over MIN_SIZE, its brotli and gzip forms: made once per version of the file. */
function fileCache() {
  const cache = new Map<string, Promise<Variants | undefined>>();
  const load = async (file: string, mtimeMs: number, size: number): Promise<Variants | undefined> => {
    const identity = await readFile(file).catch(() => undefined);
    if (!identity) return undefined;
    if (!COMPRESSIBLE.has(extname(file)) || identity.length < MIN_SIZE) return { mtimeMs, size, identity };
    const [br, gz] = await Promise.all([
      brotli(identity, {
        params: {
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: identity.length,
        },
      }),
      gzipped(identity, { level: constants.Z_BEST_COMPRESSION }),
    ]);
    return { mtimeMs, size, identity, br, gzip: gz };
  };
  return async (file: string): Promise<Variants | undefined> => {
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    const cached = await cache.get(file);
    if (cached && cached.mtimeMs === info.mtimeMs && cached.size === info.size) return cached;
    const next = load(file, info.mtimeMs, info.size);
    cache.set(file, next);
    return next;
  };
}

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
  const files = fileCache();
  // Compressed ahead of the first request for them (a failure here is met again, and said, then).
  void readdir(base, { recursive: true })
    .then((names) => Promise.all(names.map((name) => files(join(base, name)))))
    .catch(() => {});
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
    const found = await files(file);
    if (!found) return false;
    const compressible = found.br !== undefined;
    const encoding = compressible ? chooseEncoding(req.headers['accept-encoding']) : 'identity';
    const body = (encoding !== 'identity' ? found[encoding] : undefined) ?? found.identity;
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': body.length,
      'cache-control': path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      // Caches keep one answer per encoding asked for.
      ...(compressible ? { vary: 'Accept-Encoding' } : {}),
      ...(encoding !== 'identity' ? { 'content-encoding': encoding } : {}),
      ...HEADERS,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}
