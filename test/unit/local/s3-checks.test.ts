/**
 * The checks local S3 adds to s3rver, as S3 makes them: a presigned URL's signature (its length, path
 * and expiry) and a multipart completion's parts (uploaded, with their ETag, in order, large enough).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { completionRefusal, presignedRefusal } from '#local/s3-checks.js';

const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const s3 = new S3Client({
  region: 'us-east-1',
  endpoint: 'http://127.0.0.1:4569',
  forcePathStyle: true,
  credentials,
  requestChecksumCalculation: 'WHEN_REQUIRED',
});

async function presigned(options: { expiresIn?: number; signingDate?: Date } = {}) {
  const url = new URL(
    await getSignedUrl(
      s3,
      new PutObjectCommand({
        Bucket: 'files',
        Key: 'imports/a b.csv',
        ContentLength: 10,
        ContentType: 'text/csv',
      }),
      { expiresIn: 60, signableHeaders: new Set(['content-length', 'content-type']), ...options },
    ),
  );
  return (change: { length?: string; path?: string } = {}) =>
    ({
      method: 'PUT',
      url: `${change.path ?? url.pathname}${url.search}`,
      headers: { host: url.host, 'content-length': change.length ?? '10', 'content-type': 'text/csv' },
    }) as unknown as IncomingMessage;
}

describe('local S3 checks', () => {
  it('accepts a presigned PUT as signed, and refuses another length, another key or an expired URL', async () => {
    const request = await presigned();
    assert.equal(await presignedRefusal(request(), credentials), undefined);
    assert.equal(
      (await presignedRefusal(request({ length: '11' }), credentials))?.code,
      'SignatureDoesNotMatch',
    );
    assert.equal(
      (await presignedRefusal(request({ path: '/files/imports/other.csv' }), credentials))?.code,
      'SignatureDoesNotMatch',
    );
    const old = await presigned({ signingDate: new Date(Date.now() - 120_000) });
    assert.deepEqual(await presignedRefusal(old(), credentials), {
      status: 403,
      code: 'AccessDenied',
      message: 'Request has expired',
    });
    // A CORS preflight to the same URL is not signed, and not refused.
    const preflight = Object.assign(request(), { method: 'OPTIONS' });
    assert.equal(await presignedRefusal(preflight, credentials), undefined);
    // Not presigned (the SDK's own calls sign a header): not this check's business.
    const plain = { method: 'GET', url: '/files/x', headers: { host: 'h' } } as unknown as IncomingMessage;
    assert.equal(await presignedRefusal(plain, credentials), undefined);
  });

  it('refuses a completion with a part not uploaded, a wrong ETag, out of order or too small', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tendril-s3-checks-'));
    await mkdir(join(dir, 'up1'));
    const big = Buffer.alloc(5 * 1024 * 1024, 1);
    const small = Buffer.from('last part');
    await writeFile(join(dir, 'up1', '1'), big);
    await writeFile(join(dir, 'up1', '2'), small);
    const md5 = (b: Buffer) => `"${createHash('md5').update(b).digest('hex')}"`;
    const xml = (parts: Array<[number, string]>) =>
      `<CompleteMultipartUpload>${parts.map(([n, e]) => `<Part><ETag>${e}</ETag><PartNumber>${n}</PartNumber></Part>`).join('')}</CompleteMultipartUpload>`;
    const code = async (uploadId: string, parts: Array<[number, string]>) =>
      (await completionRefusal(dir, uploadId, xml(parts)))?.code;
    assert.equal(
      await code('up1', [
        [1, md5(big)],
        [2, md5(small)],
      ]),
      undefined,
    );
    assert.equal(
      await code('up1', [
        [1, md5(big)],
        [2, '"00"'],
      ]),
      'InvalidPart',
    );
    assert.equal(
      await code('up1', [
        [1, md5(big)],
        [3, md5(small)],
      ]),
      'InvalidPart',
    );
    assert.equal(
      await code('up1', [
        [2, md5(small)],
        [1, md5(big)],
      ]),
      'InvalidPartOrder',
    );
    assert.equal(await code('up1', [[2, md5(small)]]), undefined, 'one part may be small');
    await writeFile(join(dir, 'up1', '1'), small);
    assert.equal(
      await code('up1', [
        [1, md5(small)],
        [2, md5(small)],
      ]),
      'EntityTooSmall',
    );
    assert.equal(await code('nope', [[1, md5(small)]]), 'NoSuchUpload');
    assert.equal(await code('../up1', [[1, md5(small)]]), 'NoSuchUpload');
  });
});
