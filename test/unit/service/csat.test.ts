/**
 * CSAT rating links: a token names one case and one score and works for 30 days; a forged, edited or
 * cut token is refused, an expired one is told apart (its page says so). The pages escape what they show.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderLinkProblem, renderRated } from '#service/csat-page.js';
import { linkExpiry, RATING_LINK_DAYS, signRatingToken, verifyRatingToken } from '#service/csat-token.js';
import type { Case } from '#service/model.js';

const SECRET = 'test-secret';
const CASE_ID = '01JCASE0000000000000000001';
const now = new Date('2026-12-02T10:00:00Z');
const day = 24 * 3600 * 1000;
const link = { caseId: CASE_ID, score: 4, expires: linkExpiry(now) };

describe('CSAT rating tokens', () => {
  it('name the case and the score, and work for 30 days', () => {
    const token = signRatingToken(SECRET, link);
    assert.deepEqual(verifyRatingToken(SECRET, token, now), { ok: true, link });
    const last = new Date(now.getTime() + RATING_LINK_DAYS * day - 1000);
    assert.equal(verifyRatingToken(SECRET, token, last).ok, true);
    assert.deepEqual(verifyRatingToken(SECRET, token, new Date(now.getTime() + RATING_LINK_DAYS * day)), {
      ok: false,
      reason: 'expired',
    });
  });

  it('refuse a token signed with another key, edited, or cut short', () => {
    const token = signRatingToken(SECRET, link);
    const [id, score, expires, mac] = token.split('.') as [string, string, string, string];
    const invalid = { ok: false, reason: 'invalid' };
    assert.deepEqual(verifyRatingToken('other-secret', token, now), invalid);
    // Another score, another case, a later expiry: the signature no longer matches.
    assert.deepEqual(verifyRatingToken(SECRET, [id, '5', expires, mac].join('.'), now), invalid);
    assert.deepEqual(
      verifyRatingToken(SECRET, ['01JCASE0000000000000000002', score, expires, mac].join('.'), now),
      invalid,
    );
    assert.deepEqual(
      verifyRatingToken(SECRET, [id, score, String(Number(expires) + 1), mac].join('.'), now),
      invalid,
    );
    // An expired token whose expiry was pushed out is forged, not expired.
    const old = signRatingToken(SECRET, { ...link, expires: linkExpiry(new Date(now.getTime() - 40 * day)) });
    const [, , oldExpires, oldMac] = old.split('.');
    assert.deepEqual(verifyRatingToken(SECRET, [id, score, expires, oldMac].join('.'), now), invalid);
    assert.equal(verifyRatingToken(SECRET, old, now).ok, false);
    assert.notEqual(oldExpires, expires);
    for (const cut of [
      token.slice(0, -1),
      `${id}.${score}.${expires}`,
      '',
      `${token}.x`,
      `${id}.6.${expires}.${mac}`,
    ])
      assert.deepEqual(verifyRatingToken(SECRET, cut, now), invalid, cut);
  });
});

describe('CSAT pages', () => {
  const c = {
    id: CASE_ID,
    ref: '00000001',
    subject: 'Refund <script>alert(1)</script>',
    rating: { score: 2, comment: 'Slow "reply" & rude', at: now.toISOString() },
  } as Case;
  const links = { self: `/csat/tok`, scoreLink: (s: number) => `/csat/t${s}` };

  it('show the score, the other scores and a labelled comment form, every value escaped', () => {
    const html = renderRated(c, 2, links);
    assert.doesNotMatch(html, /<script>/);
    assert.match(html, /Refund &lt;script&gt;/);
    assert.match(html, /2 out of 5 \(Unhappy\)/);
    assert.match(html, /<main id="main">/);
    assert.match(html, /<label for="comment">/);
    assert.match(html, /Slow &quot;reply&quot; &amp; rude<\/textarea>/);
    assert.match(html, /href="\/csat\/t2" aria-current="true"/);
    for (const s of [1, 3, 4, 5]) assert.match(html, new RegExp(`href="/csat/t${s}">`));
    assert.match(html, /<form method="post" action="\/csat\/tok">/);
    const error = renderRated(c, 2, links, { error: 'Please write a comment before sending it.' });
    assert.match(error, /role="alert"/);
    assert.match(error, /aria-invalid="true"/);
  });

  it('say plainly what is wrong with a link', () => {
    assert.match(renderLinkProblem('expired'), /<h1>This link has expired<\/h1>/);
    assert.match(renderLinkProblem('invalid'), /<h1>This link is not valid<\/h1>/);
    assert.match(renderLinkProblem('gone'), /could not find this case/);
  });
});
