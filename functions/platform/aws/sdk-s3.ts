/**
 * The files bucket over the S3 API (S3 in the cloud, s3rver locally: a custom endpoint means path-style
 * addressing). Upload URLs are presigned PUTs that sign the content length, so only the declared size
 * is accepted; a large file gets one such URL per part of a multipart upload.
 */
import { Readable } from 'node:stream';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { type FileStore, uploadPlan } from '../files.js';

export function s3Files(bucket: string): FileStore {
  const s3 = new S3Client({
    forcePathStyle: Boolean(process.env.AWS_ENDPOINT_URL_S3),
    // No checksum of an empty body in presigned URLs: S3 would refuse the browser's PUT (aws-sdk-js-v3#6994).
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  const notFound = (err: unknown) => {
    const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
    return e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404;
  };
  return {
    async uploadTarget(key, size, expiresIn) {
      const plan = uploadPlan(size);
      if (!('partSize' in plan)) {
        const url = await getSignedUrl(
          s3,
          new PutObjectCommand({ Bucket: bucket, Key: key, ContentLength: size, ContentType: 'text/csv' }),
          { expiresIn, signableHeaders: new Set(['content-length', 'content-type']) },
        );
        return { method: 'PUT', url, headers: { 'content-type': 'text/csv' } };
      }
      const { partSize } = plan;
      const { UploadId } = await s3.send(
        new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: 'text/csv' }),
      );
      if (!UploadId) throw new Error(`s3://${bucket}/${key}: no upload id`);
      const parts = await Promise.all(
        Array.from({ length: plan.parts }, async (_, i) => {
          const length = Math.min(partSize, size - i * partSize);
          const command = new UploadPartCommand({
            Bucket: bucket,
            Key: key,
            UploadId,
            PartNumber: i + 1,
            ContentLength: length,
          });
          const url = await getSignedUrl(s3, command, {
            expiresIn,
            signableHeaders: new Set(['content-length']),
          });
          return { number: i + 1, url };
        }),
      );
      return { method: 'multipart', uploadId: UploadId, partSize, parts };
    },
    async completeUpload(key, uploadId, parts) {
      try {
        await s3.send(
          new CompleteMultipartUploadCommand({
            Bucket: bucket,
            Key: key,
            UploadId: uploadId,
            MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.number, ETag: p.etag })) },
          }),
        );
        return true;
      } catch (err) {
        const name = (err as { name?: string }).name ?? '';
        if (['InvalidPart', 'InvalidPartOrder', 'EntityTooSmall', 'NoSuchUpload'].includes(name))
          return false;
        throw err;
      }
    },
    async size(key) {
      try {
        const out = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return out.ContentLength;
      } catch (err) {
        if (notFound(err)) return undefined;
        throw err;
      }
    },
    async head(key, bytes) {
      const out = await s3.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, Range: `bytes=0-${bytes - 1}` }),
      );
      return out.Body ? await out.Body.transformToByteArray() : new Uint8Array();
    },
    async stream(key) {
      const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      if (!out.Body) throw new Error(`s3://${bucket}/${key} has no body`);
      return out.Body as unknown as AsyncIterable<Uint8Array>;
    },
    async put(key, body, contentType) {
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: contentType }));
    },
    async write(key, parts, contentType) {
      await new Upload({
        client: s3,
        params: { Bucket: bucket, Key: key, Body: Readable.from(parts), ContentType: contentType },
      }).done();
    },
    downloadUrl: (key, fileName, expiresIn) =>
      getSignedUrl(
        s3,
        new GetObjectCommand({
          Bucket: bucket,
          Key: key,
          ResponseContentDisposition: `attachment; filename="${fileName.replace(/[^\w.-]/g, '_')}"`,
        }),
        { expiresIn },
      ),
  };
}
