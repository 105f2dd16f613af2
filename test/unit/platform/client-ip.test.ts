/** The client IP of a request: CloudFront's viewer address only when the origin secret proves CloudFront sent it. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  clientIp,
  ORIGIN_SECRET_HEADER,
  ORIGIN_SECRET_STAGE_VARIABLE,
  VIEWER_ADDRESS_HEADER,
  viewerIp,
} from '#platform/http/client-ip.js';

const SECRET = 'k3yOnlyTheStackKnows0123456789ab';
const CLOUDFRONT_IP = '130.176.0.10';

/** `null`: a stage without the variable (no stage variables at all). */
function event(headers: Record<string, string>, stageSecret: string | null = SECRET) {
  return {
    headers,
    requestContext: { http: { sourceIp: CLOUDFRONT_IP } },
    ...(stageSecret === null ? {} : { stageVariables: { [ORIGIN_SECRET_STAGE_VARIABLE]: stageSecret } }),
  } as unknown as Parameters<typeof clientIp>[0];
}

describe('viewerIp (CloudFront-Viewer-Address)', () => {
  it('takes the address before the port, IPv4 and IPv6 (unbracketed as CloudFront sends it, or bracketed)', () => {
    assert.equal(viewerIp('198.51.100.10:46532'), '198.51.100.10');
    assert.equal(viewerIp('2001:db8:85a3::8a2e:370:7334:46532'), '2001:db8:85a3::8a2e:370:7334');
    assert.equal(
      viewerIp('2001:0db8:85a3:0000:0000:8a2e:0370:7334:443'),
      '2001:0db8:85a3:0000:0000:8a2e:0370:7334',
    );
    assert.equal(viewerIp('[2001:db8::1]:8080'), '2001:db8::1');
    assert.equal(viewerIp(' 203.0.113.7:1 '), '203.0.113.7');
  });

  it('refuses what is not one address with a port', () => {
    for (const bad of [
      undefined,
      '',
      '198.51.100.10',
      '198.51.100.10:',
      ':443',
      'example.com:443',
      '198.51.100.10:443, 203.0.113.7:443',
      '999.1.1.1:443',
      '198.51.100.10:443x',
      '[2001:db8::1]',
    ])
      assert.equal(viewerIp(bad), undefined, String(bad));
  });
});

describe('clientIp', () => {
  it('is the viewer’s address when the request carries the origin secret', () => {
    const e = event({ [ORIGIN_SECRET_HEADER]: SECRET, [VIEWER_ADDRESS_HEADER]: '198.51.100.10:46532' });
    assert.equal(clientIp(e), '198.51.100.10');
    const v6 = event({ [ORIGIN_SECRET_HEADER]: SECRET, [VIEWER_ADDRESS_HEADER]: '2001:db8::7:443' });
    assert.equal(clientIp(v6), '2001:db8::7');
  });

  it('ignores a viewer address sent without the secret, with a wrong one, or when the stage has none', () => {
    const spoofed = { [VIEWER_ADDRESS_HEADER]: '198.51.100.10:46532' };
    assert.equal(clientIp(event(spoofed)), CLOUDFRONT_IP);
    assert.equal(clientIp(event({ ...spoofed, [ORIGIN_SECRET_HEADER]: `${SECRET}x` })), CLOUDFRONT_IP);
    assert.equal(clientIp(event({ ...spoofed, [ORIGIN_SECRET_HEADER]: SECRET.slice(1) })), CLOUDFRONT_IP);
    assert.equal(clientIp(event({ ...spoofed, [ORIGIN_SECRET_HEADER]: '' }, '')), CLOUDFRONT_IP);
    assert.equal(clientIp(event({ ...spoofed, [ORIGIN_SECRET_HEADER]: SECRET }, null)), CLOUDFRONT_IP);
  });

  it('falls back to the connection when CloudFront’s header is missing or malformed', () => {
    assert.equal(clientIp(event({ [ORIGIN_SECRET_HEADER]: SECRET })), CLOUDFRONT_IP);
    const bad = event({ [ORIGIN_SECRET_HEADER]: SECRET, [VIEWER_ADDRESS_HEADER]: 'not-an-ip:1' });
    assert.equal(clientIp(bad), CLOUDFRONT_IP);
  });

  it('is the socket’s address locally (no stage variables, no headers)', () => {
    const local = { headers: {}, requestContext: { http: { sourceIp: '127.0.0.1' } } };
    assert.equal(clientIp(local as unknown as Parameters<typeof clientIp>[0]), '127.0.0.1');
  });
});
