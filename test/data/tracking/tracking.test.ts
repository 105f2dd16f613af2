/**
 * Site tracking on DynamoDB Local: an unknown visitor's hits stay under the visitor; an email
 * link's token identifies it, and its earlier hits join the contact in one commit
 * (VisitorIdentified), scored by page rules, and the answer carries a visitor token; later hits
 * with that token are the contact's (PageVisited, EventTracked on the timeline) without a read;
 * bots, forged or edited tokens, erased contacts and floods are handled.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as contacts from '#contacts/rules.js';
import { DomainError } from '#platform/errors.js';
import { parseEvent } from '#platform/events.js';
import { saveScoringSettings, scoreEvent, viewStanding } from '#scoring/scoring.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';
import {
  type Caller,
  type CollectContext,
  collectHit as collect,
  collectLimiter,
  HITS_PER_IP_PER_MINUTE,
  identifyFromForm,
  listContactVisits,
  recordProductEvent,
} from '#tracking/collect.js';
import type { CollectBody } from '#tracking/model.js';
import { signContactToken, signVisitorToken, verifyVisitorToken } from '#tracking/rules.js';

const SECRET = 'test-signing-secret';
/** The limiter's own clock (real time in the handler), moved by the flood test. */
let limiterNow = 0;
const ctx: CollectContext = { secret: async () => SECRET, limiter: collectLimiter(() => limiterNow) };
/** A hit's outcome (the data tests of the token read `collect` itself). */
const collectHit = async (...args: Parameters<typeof collect>) => (await collect(...args)).outcome;
const browser: Caller = { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0', ip: '198.51.100.7' };
let t: TestTable;
let now = new Date('2026-12-01T09:00:00.000Z');
const tick = () => {
  now = new Date(now.getTime() + 1000);
};
const page = (v: string, path: string, extra: Partial<CollectBody> = {}): CollectBody => ({
  v,
  t: 'page',
  url: `https://www.example.com${path}?utm_source=news`,
  ...extra,
});
/** The deps of a hit that must not read the visitor's profile or the contact. */
const withoutReads = (): typeof t.deps => ({
  ...t.deps,
  store: {
    ...t.deps.store,
    getVisitorContact: () => Promise.reject(new Error('read the visitor’s profile')),
    getContact: () => Promise.reject(new Error('read the contact')),
    listAnonymousHits: () => Promise.reject(new Error('listed the visitor’s hits')),
  },
});
const published = async (type: string) =>
  (await outboxEvents(t)).filter((e) => e.detailType === type).map((e) => e.detail);

before(async () => {
  t = await createTestTable(() => now);
});

describe('site tracking', () => {
  it('keeps an unknown visitor’s hits under the visitor, and nothing of a bot', async () => {
    const v = 'anonymous-visitor-0001';
    assert.equal(await collectHit(t.deps, ctx, page(v, '/'), browser), 'anonymous');
    tick();
    assert.equal(
      await collectHit(t.deps, ctx, page(v, '/pricing'), { ...browser, userAgent: 'Googlebot/2.1' }),
      'bot',
    );
    assert.equal(
      await collectHit(t.deps, ctx, page(v, '/pricing', { ct: 'forged.token' }), browser),
      'anonymous',
      'a forged token identifies nobody',
    );
    const hits = await t.deps.store.listAnonymousHits(v, 10);
    assert.deepEqual(
      hits.map((h) => h.path),
      ['/pricing', '/'],
    );
    assert.equal(await t.deps.store.getVisitorContact(v), undefined);
  });

  it('joins a visitor’s earlier hits to the contact whose email link it follows, and scores them', async () => {
    await saveScoringSettings(t.deps, {
      rules: [
        { id: 'pricing', name: 'Viewed pricing', on: 'page_visited', filter: '/pricing*', points: 10 },
        { id: 'trial', name: 'Started a trial', on: 'event_tracked', filter: 'trial_started', points: 30 },
      ],
      threshold: 50,
      halfLifeDays: 30,
    });
    const c = await contacts.createContact(t.deps, { email: 'visitor@example.com' });
    const v = 'visitor-who-clicks-0001';
    await collectHit(t.deps, ctx, page(v, '/pricing'), browser);
    tick();
    await collectHit(t.deps, ctx, page(v, '/pricing/teams'), browser);
    tick();
    const token = signContactToken(SECRET, c.id);
    const identification = await collect(
      t.deps,
      ctx,
      page(v, '/blog', { ct: token, url: `https://www.example.com/blog?_tc=${token}` }),
      browser,
    );
    assert.equal(identification.outcome, 'identified');
    // The answer gives the snippet the visitor's token: this visitor, this contact.
    const vt = String(identification.visitorToken);
    assert.equal(verifyVisitorToken(SECRET, v, vt), c.id);
    assert.equal(verifyVisitorToken(SECRET, 'another-visitor-0001', vt), undefined);
    assert.equal(await t.deps.store.getVisitorContact(v), c.id);
    const visits = await listContactVisits(t.deps, c.id, { limit: 10 });
    assert.deepEqual(
      visits.items.map((x) => x.path),
      ['/blog', '/pricing/teams', '/pricing'],
    );
    assert.ok(!visits.items.some((x) => x.url?.includes('_tc')), 'the token is not kept');
    assert.equal(visits.summary.pageViews, 3);
    const [identified] = (await published('VisitorIdentified')).filter((d) => d.contactId === c.id);
    assert.deepEqual(identified?.paths, ['/pricing/teams', '/pricing']);
    const visited = (await published('PageVisited')).filter((d) => d.contactId === c.id);
    assert.deepEqual(
      visited.map((d) => d.path),
      ['/blog'],
    );
    // The scoring consumer gets both: the earlier pricing pages count once they are the contact's.
    for (const [type, detail] of [
      ['VisitorIdentified', identified],
      ['PageVisited', visited[0]],
    ] as const)
      await scoreEvent(t.deps, parseEvent(type, detail));
    assert.equal((await viewStanding(t.deps, c.id)).score, 20);
    assert.deepEqual(
      (await viewStanding(t.deps, c.id)).history.map((h) => [h.reason, h.delta]),
      [['Viewed pricing ×2', 20]],
      'one entry per rule and event',
    );

    // The same visitor later, with its token: its hits are the contact's, read from nothing, and a
    // custom event is on its timeline.
    tick();
    const later = await collect(
      withoutReads(),
      ctx,
      { ...page(v, '/app', { vt }), t: 'event', name: 'trial_started', props: { plan: 'team' } },
      browser,
    );
    assert.deepEqual(later, { outcome: 'contact' }, 'a beacon’s hit gets no token back');
    const timeline = await contacts.listActivities(t.deps, c.id, { limit: 5 });
    assert.equal(timeline.items[0]?.type, 'event_tracked');
    assert.equal(timeline.items[0]?.body, 'trial_started');
    assert.deepEqual(timeline.items[0]?.data?.properties, { plan: 'team' });
    const [tracked] = (await published('EventTracked')).filter((d) => d.contactId === c.id);
    await scoreEvent(t.deps, parseEvent('EventTracked', tracked));
    const standing = await viewStanding(t.deps, c.id);
    assert.equal(standing.score, 50);
    assert.equal(standing.stage, 'marketing_qualified_lead');
  });

  it('identifies a visitor by the form it submitted, once', async () => {
    const c = await contacts.createContact(t.deps, { email: 'form-visitor@example.com' });
    const v = 'form-visitor-00000001';
    await collectHit(t.deps, ctx, page(v, '/pricing'), browser);
    assert.equal(await identifyFromForm(t.deps, v, c.id), 'identified');
    assert.equal(await identifyFromForm(t.deps, v, c.id), 'unchanged', 'a redelivered submission');
    const visits = await listContactVisits(t.deps, c.id, { limit: 10 });
    assert.deepEqual(
      visits.items.map((x) => x.path),
      ['/pricing'],
    );
    assert.equal(visits.summary.pageViews, 1);
    assert.equal(
      await identifyFromForm(t.deps, 'form-visitor-00000002', '01JF0000000000000000000000'),
      'no_contact',
    );
    // The snippet asks for its token after the submission: the profile is read once, then the
    // token carries the contact.
    tick();
    const asked = await collect(t.deps, ctx, page(v, '/thanks', { ask: true }), browser);
    assert.equal(asked.outcome, 'contact');
    assert.equal(verifyVisitorToken(SECRET, v, String(asked.visitorToken)), c.id);
    tick();
    assert.equal(
      await collectHit(withoutReads(), ctx, page(v, '/docs', { vt: asked.visitorToken }), browser),
      'contact',
    );
    assert.deepEqual(
      (await listContactVisits(t.deps, c.id, { limit: 10 })).items.map((x) => x.path),
      ['/docs', '/thanks', '/pricing'],
    );
    // Asking before anyone knows the visitor: an anonymous hit, no token.
    const early = await collect(t.deps, ctx, page('form-visitor-00000003', '/', { ask: true }), browser);
    assert.deepEqual(early, { outcome: 'anonymous' });
  });

  it('takes a forged, edited or another visitor’s token for an anonymous hit', async () => {
    const c = await contacts.createContact(t.deps, { email: 'victim@example.com' });
    const other = await contacts.createContact(t.deps, { email: 'other@example.com' });
    const v = 'visitor-with-a-forgery-1';
    // This visitor's genuine token, as the snippet would keep it, then edited.
    const [, mac = ''] = signVisitorToken(SECRET, v, c.id).split('.');
    const flipped = `${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`;
    for (const vt of [
      signVisitorToken(SECRET, 'the-real-visitor-0001', c.id), // another visitor's
      `${other.id}.${mac}`, // the contact edited
      `${c.id}.${flipped}`, // the MAC edited
      signVisitorToken('another-secret', v, c.id), // signed with another key
      'not-a-token',
    ]) {
      tick();
      assert.equal(
        await collectHit(withoutReads(), ctx, page(v, '/account', { vt }), browser),
        'anonymous',
        vt,
      );
    }
    assert.equal((await t.deps.store.listAnonymousHits(v, 10)).length, 5, 'kept as the visitor’s own hits');
    for (const id of [c.id, other.id])
      assert.deepEqual(
        (await listContactVisits(t.deps, id, { limit: 10 })).items,
        [],
        'nothing for the contact',
      );
    assert.equal(await t.deps.store.getVisitorContact(v), undefined);
  });

  it('keeps paths as people write them, and no credentials', async () => {
    const v = 'unicode-visitor-000001';
    await collectHit(
      t.deps,
      ctx,
      page(v, '/', { url: 'https://user:secret@www.example.com/%D1%86%D0%B5%D0%BD%D1%8B?x=1#top' }),
      browser,
    );
    const [hit] = await t.deps.store.listAnonymousHits(v, 1);
    assert.equal(hit?.path, '/цены');
    assert.equal(hit?.url, 'https://www.example.com/%D1%86%D0%B5%D0%BD%D1%8B?x=1');
  });

  it('records a product event another system reports, and refuses an unknown email', async () => {
    const c = await contacts.createContact(t.deps, { email: 'product@example.com' });
    const visit = await recordProductEvent(t.deps, { email: 'Product@Example.com', name: 'plan.upgraded' });
    assert.equal(visit.source, 'api');
    const visits = await listContactVisits(t.deps, c.id, { limit: 10 });
    assert.deepEqual(visits.summary, {
      pageViews: 0,
      events: 1,
      firstSeenAt: visit.at,
      lastSeenAt: visit.at,
    });
    await assert.rejects(
      recordProductEvent(t.deps, { email: 'nobody@example.com', name: 'x' }),
      (e: DomainError) => e instanceof DomainError && e.kind === 'not_found',
    );
  });

  it('treats the hits of an erased contact’s visitor as nobody’s, checked in the hit’s transaction', async () => {
    const c = await contacts.createContact(t.deps, { email: 'erased@example.com' });
    const v = 'visitor-of-erased-0001';
    const { visitorToken: vt } = await collect(
      t.deps,
      ctx,
      page(v, '/', { ct: signContactToken(SECRET, c.id) }),
      browser,
    );
    assert.ok(vt);
    await contacts.deleteContact(t.deps, c.id);
    tick();
    // The token still verifies; the contact's ConditionCheck fails, and the hit is the visitor's.
    assert.equal(await collectHit(withoutReads(), ctx, page(v, '/again', { vt }), browser), 'anonymous');
    assert.deepEqual(
      (await t.deps.store.listAnonymousHits(v, 10)).map((h) => h.path),
      ['/again'],
    );
    assert.ok(
      !(await published('PageVisited')).some((d) => d.contactId === c.id && d.path === '/again'),
      'no event names the erased contact',
    );
    assert.equal(await collectHit(t.deps, ctx, page(v, '/again', { ask: true }), browser), 'anonymous');
    assert.deepEqual(
      await collect(t.deps, ctx, page(v, '/', { ct: signContactToken(SECRET, c.id) }), browser),
      { outcome: 'anonymous' },
      'its link names nobody now',
    );
  });

  it('refuses an address’s hits past the minute’s limit, in this instance’s memory', async () => {
    const flood: Caller = { ...browser, ip: '203.0.113.99' };
    const v = 'flooding-visitor-0001';
    // The minute's other hits, taken directly (what collectHit takes first).
    for (let i = 0; i < HITS_PER_IP_PER_MINUTE; i++) assert.equal(ctx.limiter.take(flood.ip), undefined);
    await assert.rejects(
      collectHit(t.deps, ctx, page(v, '/'), flood),
      (e: DomainError) => e instanceof DomainError && e.kind === 'rate_limited' && e.retryAfterSeconds === 60,
    );
    assert.deepEqual(await t.deps.store.listAnonymousHits(v, 10), [], 'nothing written');
    // Another address is not held back; a minute later the flooding one may send again.
    assert.equal(await collectHit(t.deps, ctx, page(v, '/'), browser), 'anonymous');
    limiterNow += 60_000;
    assert.equal(await collectHit(t.deps, ctx, page(v, '/pricing'), flood), 'anonymous');
  });
});
