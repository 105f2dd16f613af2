/**
 * POSTs to URLs users give (webhooks): over node:http(s), with a time limit, never following
 * redirects, and — unless private targets are allowed (local mode) — refusing to connect to a
 * private, loopback or link-local address. The address is checked when the connection is made (in
 * the DNS lookup the socket uses), so a name that resolves elsewhere after a check cannot slip by.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';

const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 127],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  PRIVATE.addSubnet(net, prefix, 'ipv6');

/** A URL's host as an address may be written (IPv6 without its brackets). */
export const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '');

/** Whether an address is one a request from the cloud must never reach (the VPC, metadata, loopback). */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return PRIVATE.check(mapped, 'ipv4');
  return PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
    if (err) return callback(err, '', 4);
    const refused = addresses.find((a) => isPrivateAddress(a.address));
    if (refused || addresses.length === 0)
      return callback(new Error(`${hostname} resolves to a private address`), '', 4);
    if ((options as { all?: boolean }).all)
      return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    const [first] = addresses;
    callback(null, first?.address ?? '', first?.family ?? 4);
  });
};

export interface PostResult {
  status?: number;
  error?: string;
  latencyMs: number;
}

export function postOut(
  url: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; allowPrivate: boolean },
): Promise<PostResult> {
  const started = Date.now();
  const target = new URL(url);
  const done = (result: Omit<PostResult, 'latencyMs'>): PostResult => ({
    ...result,
    latencyMs: Date.now() - started,
  });
  const host = hostOf(target);
  if (!options.allowPrivate && isIP(host) && isPrivateAddress(host))
    return Promise.resolve(done({ error: 'the URL is a private address' }));
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve) => {
    const req = send(
      target,
      {
        method: 'POST',
        headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
        timeout: options.timeoutMs,
        ...(options.allowPrivate ? {} : { lookup: guardedLookup }),
      },
      (res) => {
        // Only the status matters: the body is read (up to 64 KB) and dropped.
        let read = 0;
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > 65_536) res.destroy();
        });
        res.on('aborted', () => resolve(done({ error: `no answer within ${options.timeoutMs} ms` })));
        res.on('close', () => resolve(done({ status: res.statusCode ?? 0 })));
        res.on('error', () => resolve(done({ status: res.statusCode ?? 0 })));
      },
    );
    // The whole attempt, not only an idle socket: a receiver trickling its answer is cut off too.
    const deadline = setTimeout(
      () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)),
      options.timeoutMs,
    );
    req.on('close', () => clearTimeout(deadline));
    req.on('timeout', () => req.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    req.on('error', (err) => resolve(done({ error: err.message })));
    req.end(body);
  });
}
