/**
 * Uploads a file where the API said (another origin, no bearer token): one presigned PUT, or — for a
 * file over 10 MB — its parts, three at a time, each PUT to its own presigned URL and tried up to
 * three times, then the API assembles them. XMLHttpRequest, whose upload events report progress.
 * Parts already sent are remembered per upload, so Retry after a failure sends only the rest.
 */
import { api, type CreatedImport } from './api.js';

type Target = CreatedImport['upload'];
type Progress = (loaded: number) => void;

const PARALLEL = 3;
const TRIES = 3;
/** ETags of the parts sent, per multipart upload (kept across retries of the same upload). */
const sentParts = new Map<string, Map<number, string>>();

/** PUTs `body` to `url`; resolves with the ETag header S3 answered with. */
function put(
  url: string,
  body: Blob,
  headers: Record<string, string>,
  onProgress: Progress,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    for (const [name, value] of Object.entries(headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => onProgress(e.loaded);
    xhr.onload = () =>
      xhr.status >= 200 && xhr.status < 300
        ? resolve(xhr.getResponseHeader('etag') ?? '')
        : reject(new Error(`The upload was refused (HTTP ${xhr.status}). Try again.`));
    xhr.onerror = () =>
      reject(
        new Error(
          'The upload could not reach the file storage (the network failed, or the browser refused the connection).',
        ),
      );
    xhr.onabort = () => reject(new Error('The upload was stopped.'));
    xhr.send(body);
  });
}

export async function uploadFile(created: CreatedImport, file: File, onProgress: Progress): Promise<void> {
  const target: Target = created.upload;
  if (target.method === 'PUT') {
    await put(target.url, file, target.headers, onProgress);
    return;
  }
  const sent = sentParts.get(target.uploadId) ?? new Map<number, string>();
  sentParts.set(target.uploadId, sent);
  const sizeOf = (n: number) => Math.min(target.partSize, file.size - (n - 1) * target.partSize);
  const inFlight = new Map<number, number>();
  const report = () => {
    let loaded = 0;
    for (const n of sent.keys()) loaded += sizeOf(n);
    for (const bytes of inFlight.values()) loaded += bytes;
    onProgress(loaded);
  };
  const queue = target.parts.filter((p) => !sent.has(p.number));
  const worker = async () => {
    for (let part = queue.shift(); part; part = queue.shift()) {
      const { number, url } = part;
      const from = (number - 1) * target.partSize;
      const body = file.slice(from, from + target.partSize);
      for (let attempt = 1; ; attempt++) {
        try {
          const etag = await put(url, body, {}, (loaded) => {
            inFlight.set(number, loaded);
            report();
          });
          sent.set(number, etag);
          break;
        } catch (err) {
          if (attempt >= TRIES) throw err;
        } finally {
          inFlight.delete(number);
          report();
        }
      }
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, worker));
  const parts = [...sent].map(([number, etag]) => ({ number, etag })).sort((a, b) => a.number - b.number);
  await api('POST', `/v1/imports/${created.import.id}/upload/complete`, { parts });
  sentParts.delete(target.uploadId);
}
