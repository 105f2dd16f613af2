/**
 * The local static site (web/dist beside the API): text files compressed with brotli or gzip as the
 * request's Accept-Encoding says (q-values, `*`, refusals), `Vary: Accept-Encoding`, small files and
 * images as they are, HEAD without a body, and a file changed on disk (a rebuild) served anew.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, get, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { chooseEncoding, staticSite } from '#local/static-site.js';

const root = mkdtempSync(join(tmpdir(), 'tendril-static-'));
const script = `export const rows = [${Array.from({ length: 400 }, (_, i) => `{ id: ${i}, name: "row ${i}" }`).join(', ')}];\n`;
const page = `<!doctype html><html><head><title>Tendril</title></head><body>${'<p>Tendril</p>'.repeat(200)}</body></html>`;
const png = Buffer.alloc(4000, 7);
let server: Server;
let base: string;

before(async () => {
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), page);
  writeFileSync(join(root, 'assets', 'app.js'), script);
  writeFileSync(join(root, 'assets', 'tiny.css'), 'body{margin:0}');
  writeFileSync(join(root, 'assets', 'logo.png'), png);
  const site = staticSite(root);
  server = createServer((req, res) => {
    void site(req, res).then((served) => {
      if (!served) res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The raw answer (node:http leaves the body as sent, unlike fetch). */
function fetchRaw(path: string, acceptEncoding?: string, method = 'GET') {
  return new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      { method, headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
        );
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('the local static site', () => {
  it('sends brotli when accepted, gzip when only it is, the bytes as they are otherwise', async () => {
    const br = await fetchRaw('/assets/app.js', 'gzip, deflate, br');
    assert.equal(br.status, 200);
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(br.headers.vary, 'Accept-Encoding');
    assert.equal(Number(br.headers['content-length']), br.body.length);
    assert.ok(br.body.length < script.length / 3, `brotli: ${br.body.length} of ${script.length} bytes`);
    assert.equal(brotliDecompressSync(br.body).toString(), script);

    const gz = await fetchRaw('/assets/app.js', 'gzip');
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(gz.headers.vary, 'Accept-Encoding');
    assert.equal(gunzipSync(gz.body).toString(), script);

    const plain = await fetchRaw('/assets/app.js');
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(plain.headers.vary, 'Accept-Encoding');
    assert.equal(plain.body.toString(), script);

    const page1 = await fetchRaw('/', 'br;q=0.5, gzip;q=0.8');
    assert.equal(page1.headers['content-encoding'], 'gzip', 'the higher q wins');
    assert.equal(page1.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(gunzipSync(page1.body).toString(), page);
    const refused = await fetchRaw('/index.html', 'br;q=0, gzip;q=0');
    assert.equal(refused.headers['content-encoding'], undefined);
    assert.equal(refused.body.toString(), page);
  });

  it('leaves small files and images as they are', async () => {
    const tiny = await fetchRaw('/assets/tiny.css', 'br, gzip');
    assert.equal(tiny.headers['content-encoding'], undefined);
    assert.equal(tiny.body.toString(), 'body{margin:0}');
    const image = await fetchRaw('/assets/logo.png', 'br, gzip');
    assert.equal(image.headers['content-encoding'], undefined);
    assert.equal(image.headers.vary, undefined);
    assert.deepEqual(image.body, png);
  });

  it('answers HEAD with the headers of the encoded file and no body', async () => {
    const head = await fetchRaw('/assets/app.js', 'br', 'HEAD');
    const full = await fetchRaw('/assets/app.js', 'br');
    assert.equal(head.headers['content-encoding'], 'br');
    assert.equal(head.headers['content-length'], full.headers['content-length']);
    assert.equal(head.body.length, 0);
  });

  it('serves a file changed on disk anew (a rebuild), compressed again', async () => {
    const before = await fetchRaw('/assets/app.js', 'gzip');
    assert.equal(gunzipSync(before.body).toString(), script);
    const rebuilt = `${script}export const more = ${JSON.stringify('x'.repeat(3000))};\n`;
    writeFileSync(join(root, 'assets', 'app.js'), rebuilt);
    const after = await fetchRaw('/assets/app.js', 'gzip');
    assert.equal(gunzipSync(after.body).toString(), rebuilt);
    const brAfter = await fetchRaw('/assets/app.js', 'br');
    assert.equal(brotliDecompressSync(brAfter.body).toString(), rebuilt);
  });

  it('still refuses paths outside the build and unknown files', async () => {
    assert.equal((await fetchRaw('/assets/../../etc/passwd', 'br')).status, 404);
    assert.equal((await fetchRaw('/assets/missing.js', 'br')).status, 404);
    await new Promise<void>((resolve, reject) =>
      get(`${base}/config.json`, (res) => {
        assert.equal(res.statusCode, 200);
        res.resume().on('end', resolve);
      }).on('error', reject),
    );
  });
});

describe('choosing the encoding', () => {
  it('reads q-values, the wildcard and refusals', () => {
    assert.equal(chooseEncoding(undefined), 'identity');
    assert.equal(chooseEncoding(''), 'identity');
    assert.equal(chooseEncoding('gzip, deflate, br, zstd'), 'br');
    assert.equal(chooseEncoding('gzip'), 'gzip');
    assert.equal(chooseEncoding('GZIP;Q=1'), 'gzip');
    assert.equal(chooseEncoding('br;q=0.2, gzip;q=0.9'), 'gzip');
    assert.equal(chooseEncoding('br;q=0, gzip'), 'gzip');
    assert.equal(chooseEncoding('*'), 'br');
    assert.equal(chooseEncoding('*;q=0.5, br;q=0'), 'gzip');
    assert.equal(chooseEncoding('deflate, identity'), 'identity');
    assert.equal(chooseEncoding('br;q=0, gzip;q=0'), 'identity');
  });
});
