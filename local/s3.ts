/**
 * Local S3: s3rver (the S3 REST API over a folder), with the files bucket created and its CORS rule
 * (the admin UI PUTs uploads to presigned URLs from another origin, as it does to S3 in the cloud).
 * s3rver knows one access key, S3RVER, which local mode's SDK clients use.
 */
import { mkdir, mkdtemp } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import { completionRefusal, presignedRefusal, refuse, replay } from './s3-checks.js';

export const LOCAL_FILES_BUCKET = 'tendril-local-files';
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

const CORS = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <ExposeHeader>ETag</ExposeHeader>
    <MaxAgeSeconds>3600</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

export async function startS3Local(
  host: string,
  /** Where objects are kept; a temporary folder (emptied on close) when absent. */
  directory?: string,
): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = directory ?? (await mkdtemp(join(tmpdir(), 'tendril-s3-')));
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const s3 = new S3rver({
    port: 0,
    address: host,
    silent: true,
    directory: dir,
    resetOnClose: directory === undefined,
    configureBuckets: [{ name: LOCAL_FILES_BUCKET, configs: [CORS] }],
  });
  // Presigned URLs are checked as S3 checks them before s3rver serves the request.
  // s3rver is a Koa app (its types leave that out); its server asks `callback()` for the handler.
  type Handler = (req: IncomingMessage, res: ServerResponse) => void;
  const koa = s3 as unknown as { callback(): Handler };
  const serve = koa.callback.bind(s3);
  koa.callback = () => {
    const inner = serve();
    const uploads = join(dir, LOCAL_FILES_BUCKET, '._S3rver_uploads');
    const check = async (req: IncomingMessage, res: ServerResponse) => {
      const refusal = await presignedRefusal(req, S3RVER_CREDENTIALS);
      if (refusal) return refuse(req, res, refusal);
      const uploadId = new URL(req.url ?? '/', 'http://s3').searchParams.get('uploadId');
      if (req.method !== 'POST' || !uploadId) return inner(req, res);
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      const refused = await completionRefusal(uploads, uploadId, body.toString('utf8'));
      return refused ? refuse(req, res, refused) : inner(replay(req, body), res);
    };
    return (req, res) => {
      check(req, res).catch((err: unknown) => {
        res.writeHead(500).end(String(err));
      });
    };
  };
  const address = (await s3.run()) as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    stop: () => s3.close(),
  };
}
