/**
 * Site tracking rules: bots, what of a URL is kept, page patterns, the site's links, the contact
 * token and the visitor token.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  cleanUrl,
  isBot,
  onSite,
  pathMatches,
  signContactToken,
  signVisitorToken,
  verifyContactToken,
  verifyVisitorToken,
} from '#tracking/rules.js';

describe('tracking rules', () => {
  it('tell bots and scripts from browsers', () => {
    for (const ua of ['Googlebot/2.1', 'curl/8.5', 'Mozilla/5.0 HeadlessChrome/131', '', undefined])
      assert.equal(isBot(ua), true, String(ua));
    assert.equal(isBot('Mozilla/5.0 (Macintosh) AppleWebKit/605.1.15 Version/17.0 Safari/605.1.15'), false);
  });

  it('keep a URL without its token, credentials and fragment, and its path as written', () => {
    assert.deepEqual(cleanUrl('https://a:b@x.com/%C3%A9t%C3%A9?_tc=t.k&q=1#f'), {
      url: 'https://x.com/%C3%A9t%C3%A9?q=1',
      path: '/été',
    });
    assert.equal(cleanUrl(`https://x.com/${'p'.repeat(5000)}`).path.length, 300);
  });

  it('match page patterns by path, case and trailing slash aside', () => {
    assert.ok(pathMatches('/pricing*', '/Pricing/teams'));
    assert.ok(pathMatches('/docs', '/docs/'));
    assert.ok(!pathMatches('/docs', '/docs/api'));
    assert.ok(pathMatches('/цены', '/ЦЕНЫ'));
    assert.ok(!pathMatches('/a.b', '/axb'), 'a dot is a dot');
  });

  it('tell the site’s links from others', () => {
    assert.ok(onSite('https://www.example.com/x', ['example.com']));
    assert.ok(onSite('https://example.com', ['example.com']));
    assert.ok(!onSite('https://example.com.evil.io/', ['example.com']));
    assert.ok(!onSite('https://notexample.com/', ['example.com']));
    assert.ok(!onSite('mailto:a@example.com', ['example.com']));
  });

  it('sign a contact token that names only that contact', () => {
    const id = '01JF0000000000000000000000';
    const token = signContactToken('s', id);
    assert.equal(verifyContactToken('s', token), id);
    assert.equal(verifyContactToken('other', token), undefined);
    assert.equal(verifyContactToken('s', `${token}x`), undefined);
    assert.equal(verifyContactToken('s', token.split('.')[0] ?? ''), undefined);
  });

  it('sign a visitor token that names the contact for that visitor only', () => {
    const id = '01JF0000000000000000000000';
    const other = '01JF0000000000000000000001';
    const visitor = 'visitor-aaaaaaaaaaaa';
    const token = signVisitorToken('s', visitor, id);
    assert.equal(verifyVisitorToken('s', visitor, token), id);
    assert.equal(verifyVisitorToken('s', 'visitor-bbbbbbbbbbbb', token), undefined, 'another visitor');
    assert.equal(verifyVisitorToken('other', visitor, token), undefined, 'another key');
    const [, mac = ''] = token.split('.');
    assert.equal(verifyVisitorToken('s', visitor, `${other}.${mac}`), undefined, 'the contact edited');
    const flipped = `${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`;
    assert.equal(verifyVisitorToken('s', visitor, `${id}.${flipped}`), undefined, 'the MAC edited');
    assert.equal(verifyVisitorToken('s', visitor, `${token}.x`), undefined);
    assert.equal(verifyVisitorToken('s', visitor, id), undefined, 'cut');
    // Not interchangeable with the email link's contact token.
    assert.equal(verifyVisitorToken('s', visitor, signContactToken('s', id)), undefined);
    assert.equal(verifyContactToken('s', token), undefined);
  });
});
