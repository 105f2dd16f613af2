/** The files bucket as a FileStore whose S3 client (functions/platform/aws/sdk-s3.ts) loads on first use. */
import type { FileStore } from '../files.js';
import { lazily } from '../lazy.js';

export const s3Files = (bucket: string): FileStore =>
  lazily(() => import('./sdk-s3.js').then((m) => m.s3Files(bucket)));
