/**
 * What S3 checks and s3rver does not, checked before s3rver serves a request:
 * - a presigned URL's Signature Version 4 (s3rver skips it) over the method, path, query and signed
 *   headers (so a PUT of another length than the one signed is refused, as S3 refuses it) and its
 *   expiry, recomputed with the SDK's own signer; requests signed in an Authorization header (the
 *   SDK's own calls) pass through;
 * - a multipart upload's completion (s3rver assembles whatever it is given): every part listed must
 *   be uploaded with that ETag (its MD5), in ascending order, and all but the last at least 5 MiB.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { SignatureV4 } from '@smithy/signature-v4';

export interface Refusal {
  status: number;
  code: string;
  message: string;
}

type Bytes = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: Bytes) =>
  typeof data === 'string'
    ? Buffer.from(data)
    : ArrayBuffer.isView(data)
      ? Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      : Buffer.from(data);

/** SHA-256 (or its HMAC with a secret) in the shape the signer takes. */
class Sha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: Bytes) {
    this.hash = this.fresh();
  }
  private fresh() {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(this.secret));
  }
  update(data: Bytes) {
    this.hash.update(bytes(data));
  }
  async digest() {
    return new Uint8Array(this.hash.digest());
  }
  reset() {
    this.hash = this.fresh();
  }
}

/** The query parameters the signer adds itself. */
const AUTH_PARAMS = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
  'X-Amz-Content-Sha256',
];

/** `20261130T201500Z` → a Date. */
const amzDate = (s: string) =>
  new Date(
    `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}Z`,
  );

/** Why S3 would refuse this presigned request, or undefined when it would accept it (or it is not presigned). */
export async function presignedRefusal(
  req: IncomingMessage,
  credentials: { accessKeyId: string; secretAccessKey: string },
): Promise<Refusal | undefined> {
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
  const q = url.searchParams;
  const signature = q.get('X-Amz-Signature');
  // A CORS preflight is answered by the bucket's CORS rules, unsigned.
  if (!signature || req.method === 'OPTIONS') return undefined;
  const date = amzDate(q.get('X-Amz-Date') ?? '');
  const expires = Number(q.get('X-Amz-Expires'));
  if (Number.isNaN(date.getTime()) || !Number.isFinite(expires))
    return {
      status: 400,
      code: 'AuthorizationQueryParametersError',
      message: 'X-Amz-Date or X-Amz-Expires is missing',
    };
  if (Date.now() > date.getTime() + expires * 1000)
    return { status: 403, code: 'AccessDenied', message: 'Request has expired' };
  const [, , region = 'us-east-1', service = 's3'] = (q.get('X-Amz-Credential') ?? '').split('/');
  const signed = (q.get('X-Amz-SignedHeaders') ?? '').split(';').filter(Boolean);
  // The S3 presigner's spelling: the header is hoisted into the query under this name.
  const headers: Record<string, string> = { 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' };
  for (const name of signed) {
    const value = req.headers[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [k, v] of q) if (!AUTH_PARAMS.includes(k)) query[k] = v;
  const signer = new SignatureV4({ credentials, region, service, sha256: Sha256, uriEscapePath: false });
  const expected = await signer.presign(
    {
      method: req.method ?? 'GET',
      protocol: 'http:',
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query,
      headers,
    },
    { signingDate: date, expiresIn: expires, signableHeaders: new Set(signed) },
  );
  if (expected.query?.['X-Amz-Signature'] === signature) return undefined;
  return {
    status: 403,
    code: 'SignatureDoesNotMatch',
    message: 'The request signature we calculated does not match the signature you provided.',
  };
}

const MIN_PART_BYTES = 5 * 1024 * 1024;

const md5Of = (path: string) =>
  new Promise<{ md5: string; size: number }>((resolve, reject) => {
    const hash = createHash('md5');
    let size = 0;
    createReadStream(path)
      .on('data', (chunk) => {
        size += chunk.length;
        hash.update(chunk);
      })
      .on('error', reject)
      .on('end', () => resolve({ md5: hash.digest('hex'), size }));
  });

/**
 * Why S3 would refuse this CompleteMultipartUpload (`body`: its XML), given the folder where s3rver
 * keeps the uploads' parts; undefined when it would assemble the object.
 */
export async function completionRefusal(
  uploadsDir: string,
  uploadId: string,
  body: string,
): Promise<Refusal | undefined> {
  const invalid = (message: string) => ({ status: 400, code: 'InvalidPart', message });
  // Upload ids are s3rver's own (hex); anything else names no upload (and no other folder).
  const folder = /^[\w-]+$/.test(uploadId) ? join(uploadsDir, uploadId) : undefined;
  let stored: string[];
  try {
    if (!folder) throw new Error('not an upload id');
    stored = await readdir(folder);
  } catch {
    return { status: 404, code: 'NoSuchUpload', message: 'The specified upload does not exist.' };
  }
  const parts = [...body.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((m) => ({
    number: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(m[1] ?? '')?.[1]),
    etag: (/<ETag>([\s\S]*?)<\/ETag>/.exec(m[1] ?? '')?.[1] ?? '').replace(/"|&quot;/g, ''),
  }));
  if (parts.some((part, i) => i > 0 && part.number <= (parts[i - 1]?.number ?? 0)))
    return {
      status: 400,
      code: 'InvalidPartOrder',
      message: 'The list of parts was not in ascending order.',
    };
  for (const [i, part] of parts.entries()) {
    if (!stored.includes(String(part.number))) return invalid(`Part ${part.number} was not uploaded.`);
    const { md5, size } = await md5Of(join(folder, String(part.number)));
    if (md5 !== part.etag) return invalid(`Part ${part.number}'s ETag does not match.`);
    if (i < parts.length - 1 && size < MIN_PART_BYTES)
      return {
        status: 400,
        code: 'EntityTooSmall',
        message: 'Your proposed upload is smaller than the minimum allowed size.',
      };
  }
  return undefined;
}

/** The request as it was, its body already read: what s3rver gets after a check that read the body. */
export function replay(req: IncomingMessage, body: Buffer): IncomingMessage {
  return Object.assign(Readable.from([body]), {
    method: req.method,
    url: req.url,
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    httpVersion: req.httpVersion,
    socket: req.socket,
    connection: req.socket,
  }) as unknown as IncomingMessage;
}

/** S3's error answer (with the CORS header, so a browser can read it). */
export function refuse(req: IncomingMessage, res: ServerResponse, refusal: Refusal) {
  req.resume();
  res.writeHead(refusal.status, {
    'content-type': 'application/xml',
    ...(req.headers.origin ? { 'access-control-allow-origin': '*' } : {}),
  });
  res.end(
    `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${refusal.code}</Code><Message>${refusal.message}</Message></Error>`,
  );
}
