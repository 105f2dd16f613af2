/**
 * Webhooks' pure parts: the signature a receiver checks (and its replay window), what a
 * subscription's URL and filter may be, which addresses a delivery may never reach, the retry pauses.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isPrivateAddress } from '#platform/http/outbound.js';
import { checkFilter, checkUrl } from '#webhooks/checks.js';
import { signature, verifySignature } from '#webhooks/delivery.js';
import { MAX_ATTEMPTS, retryDelaySeconds } from '#webhooks/model.js';

const secret = 'whsec_test';
const body = '{"id":"01J","type":"ContactCreated"}';
const at = new Date('2026-12-01T10:00:00Z');

describe('webhook signatures', () => {
  it('are verified for the same body, secret and a time within five minutes', () => {
    const header = signature(secret, body, at);
    assert.match(header, /^t=1796119200,v1=[0-9a-f]{64}$/);
    assert.equal(verifySignature(secret, header, body, new Date(at.getTime() + 299_000)), true);
  });

  it('are refused for another body, another secret, an old or future time, or a mangled header', () => {
    const header = signature(secret, body, at);
    assert.equal(verifySignature(secret, header, `${body} `, at), false, 'another body');
    assert.equal(verifySignature('whsec_other', header, body, at), false, 'another secret');
    assert.equal(
      verifySignature(secret, header, body, new Date(at.getTime() + 301_000)),
      false,
      'replayed late',
    );
    assert.equal(
      verifySignature(secret, header, body, new Date(at.getTime() - 301_000)),
      false,
      'from the future',
    );
    assert.equal(
      verifySignature(secret, header.replace(/t=\d+/, 't=1796119201'), body, at),
      false,
      'time changed',
    );
    assert.equal(verifySignature(secret, 'v1=abc', body, at), false);
  });
});

describe('a subscription’s URL', () => {
  it('is https and public in the cloud', () => {
    assert.deepEqual(checkUrl('https://hooks.example.com/tendril?x=1', false), []);
    for (const url of [
      'http://hooks.example.com/',
      'https://127.0.0.1/',
      'https://10.1.2.3/',
      'https://169.254.169.254/latest/meta-data',
      'https://[::1]/',
      'https://[fd00::1]/',
      'https://localhost:8080/',
      'https://user:pw@hooks.example.com/',
      'ftp://hooks.example.com/',
      'https://hooks.example.com/a\r\nX-Injected: 1',
      'https://hooks.example.com/a b',
      'not a url',
    ])
      assert.equal(checkUrl(url, false)[0]?.path, 'url', url);
  });

  it('may be http on a private address where that is allowed (local mode)', () => {
    assert.deepEqual(checkUrl('http://127.0.0.1:4700/hook', true), []);
  });
});

describe('addresses a delivery never reaches', () => {
  it('are private, loopback, link-local, mapped or not an address at all', () => {
    for (const a of [
      '10.0.0.1',
      '172.31.255.255',
      '192.168.1.1',
      '127.0.0.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fc00::1',
      '::ffff:127.0.0.1',
      'example.com',
    ])
      assert.equal(isPrivateAddress(a), true, a);
    for (const a of ['93.184.216.34', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8'])
      assert.equal(isPrivateAddress(a), false, a);
  });
});

describe('a subscription’s filter', () => {
  it('takes EventBridge patterns on the detail', () => {
    assert.deepEqual(checkFilter({ source: ['shop'], total: [{ numeric: ['>', 100] }] }), []);
    assert.deepEqual(checkFilter({ $or: [{ source: ['a'] }, { source: [{ prefix: 'b' }] }] }), []);
  });

  it('refuses what the matcher would not understand, at its path', () => {
    assert.deepEqual(
      checkFilter({ source: 'shop', total: [{ between: [1, 2] }], tags: [] }).map((p) => p.path),
      ['filter.source', 'filter.total.0', 'filter.tags'],
    );
    assert.equal(checkFilter({ a: { b: { c: { d: { e: { f: ['x'] } } } } } })[0]?.code, 'too_deep');
    assert.equal(checkFilter({ a: ['x'.repeat(3000)] })[0]?.code, 'too_big');
    assert.equal(checkFilter({})[0]?.path, 'filter');
    // Operators with operands they do not take (`numeric: 5` would match every number).
    for (const rule of [
      { prefix: 5 },
      { numeric: 5 },
      { numeric: ['>', 'x'] },
      { numeric: ['>', 1, '<'] },
      { exists: 'yes' },
      { wildcard: { x: 1 } },
      { wildcard: '*a*a*a*a*a*a*b' },
      { 'anything-but': { bogus: 1 } },
      { prefix: 'a', suffix: 'b' },
    ])
      assert.equal(checkFilter({ total: [rule] })[0]?.path, 'filter.total.0', JSON.stringify(rule));
    assert.deepEqual(
      checkFilter({ total: [{ numeric: ['>=', 0, '<', 10] }], s: [{ 'anything-but': { prefix: 'x' } }] }),
      [],
    );
  });
});

describe('retries', () => {
  it('wait 30 s, doubling to 15 minutes, about an hour and a half in all', () => {
    const pauses = Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => retryDelaySeconds(i + 1));
    assert.deepEqual(pauses, [30, 60, 120, 240, 480, 900, 900, 900, 900]);
    assert.ok(pauses.reduce((a, b) => a + b, 0) / 60 > 70);
  });
});
