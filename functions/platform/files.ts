/** The files port: a private bucket for uploads and exports (S3 in the cloud, s3rver locally; platform/aws/sdk-s3.ts). */
export interface FileStore {
  /** A URL the browser PUTs the file to: exactly `size` bytes, valid for `expiresInSeconds`. */
  uploadUrl(key: string, size: number, expiresInSeconds: number): Promise<string>;
  /** The stored object's size, or undefined when nothing was uploaded. */
  size(key: string): Promise<number | undefined>;
  /** The object's first bytes (a preview never reads the whole file). */
  head(key: string, bytes: number): Promise<Uint8Array>;
  /** The whole object as a stream. */
  stream(key: string): Promise<AsyncIterable<Uint8Array>>;
  put(key: string, body: string | Uint8Array): Promise<void>;
  /** Writes an object from a stream of text (a multipart upload: never whole in memory). */
  write(key: string, parts: AsyncIterable<string>, contentType: string): Promise<void>;
  /** A URL that downloads the object as `fileName`, valid for `expiresInSeconds`. */
  downloadUrl(key: string, fileName: string, expiresInSeconds: number): Promise<string>;
}
