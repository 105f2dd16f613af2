/** The files port: a private bucket for uploads and exports (S3 in the cloud, s3rver locally; platform/aws/sdk-s3.ts). */

/** S3's smallest part (all but the last), and the most parts an upload is split into here. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
const MAX_PARTS = 100;
/** Files larger than this are uploaded in parts: in parallel, and a failed part is sent again alone. */
export const MULTIPART_FROM_BYTES = 2 * MIN_PART_BYTES;

/** How a file of `size` bytes is uploaded: one PUT, or parts of `partSize` bytes (the last one shorter). */
export function uploadPlan(size: number): { parts: 1 } | { parts: number; partSize: number } {
  if (size <= MULTIPART_FROM_BYTES) return { parts: 1 };
  const MiB = 1024 * 1024;
  const partSize = Math.max(MIN_PART_BYTES, Math.ceil(size / MAX_PARTS / MiB) * MiB);
  return { parts: Math.ceil(size / partSize), partSize };
}

/** Where the browser sends a file: one presigned PUT, or presigned PUTs of its parts (then `completeUpload`). */
export type UploadTarget =
  | { method: 'PUT'; url: string; headers: Record<string, string> }
  | {
      method: 'multipart';
      uploadId: string;
      partSize: number;
      /** Part `number` is bytes [(number - 1) × partSize, number × partSize) of the file. */
      parts: Array<{ number: number; url: string }>;
    };

export interface FileStore {
  /** Where the browser uploads exactly `size` bytes (as `uploadPlan` splits them), valid for `expiresInSeconds`. */
  uploadTarget(key: string, size: number, expiresInSeconds: number): Promise<UploadTarget>;
  /**
   * Assembles a multipart upload from its parts (each with the ETag S3 answered its PUT with); false
   * when the store refuses them (a part missing, too small or with another ETag; the upload unknown).
   */
  completeUpload(
    key: string,
    uploadId: string,
    parts: Array<{ number: number; etag: string }>,
  ): Promise<boolean>;
  /** The stored object's size, or undefined when nothing was uploaded. */
  size(key: string): Promise<number | undefined>;
  /** The object's first bytes (a preview never reads the whole file). */
  head(key: string, bytes: number): Promise<Uint8Array>;
  /** The whole object as a stream. */
  stream(key: string): Promise<AsyncIterable<Uint8Array>>;
  /** Stores a whole object with its media type (the type a download is served with). */
  put(key: string, body: string | Uint8Array, contentType: string): Promise<void>;
  /** Writes an object from a stream of text (a multipart upload: never whole in memory). */
  write(key: string, parts: AsyncIterable<string>, contentType: string): Promise<void>;
  /** A URL that downloads the object as `fileName`, valid for `expiresInSeconds`. */
  downloadUrl(key: string, fileName: string, expiresInSeconds: number): Promise<string>;
}
