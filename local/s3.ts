/**
 * Local S3: s3rver (the S3 REST API over a folder), with the files bucket created and its CORS rule
 * (the admin UI PUTs uploads to presigned URLs from another origin, as it does to S3 in the cloud).
 * s3rver knows one access key, S3RVER, which local mode's SDK clients use.
 */
import { mkdir, mkdtemp } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

export const LOCAL_FILES_BUCKET = 'tendril-local-files';
export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

const CORS = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>PUT</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
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
  const address = (await s3.run()) as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    stop: () => s3.close(),
  };
}
