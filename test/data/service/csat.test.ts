/**
 * CSAT on DynamoDB Local: a resolved case gets one survey email per resolution (a retried event never
 * sends twice), threaded on the case, with five signed rating links; none for a flagged case, an
 * automatic-only conversation, a stale resolution, or within a day of the previous survey. A click
 * records the rating once (the same score again changes nothing), another score replaces it
 * (CaseRated with `previous`), a comment is kept; each is on the contact's timeline.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { parseEvent } from '#platform/events.js';
import { type Opening, openCase, updateCase } from '#service/cases.js';
import { rateCase } from '#service/csat.js';
import { surveyCase } from '#service/csat-survey.js';
import { verifyRatingToken } from '#service/csat-token.js';
import type { ServiceEmailContext } from '#service/replies.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';
import { RecordingMailer } from '#test/support/fakes.js';

let t: TestTable;
let now = new Date('2026-12-02T09:00:00Z');
const later = (ms: number) => {
  now = new Date(now.getTime() + ms);
};
const HOUR = 3600 * 1000;
const mailer = new RecordingMailer();
const ctx: ServiceEmailContext = {
  mailer,
  signingSecret: async () => 'secret',
  publicUrl: 'https://crm.example.com',
  supportAddress: 'support@example.com',
};
const opening = (email: string, over: Partial<Opening> = {}): Opening => ({
  subject: 'Refund please',
  email,
  priority: 'normal',
  channel: 'api',
  tags: [],
  assignee: 'agent@example.com',
  message: { kind: 'inbound', from: email, text: 'I was charged twice.', attachments: [] },
  ...over,
});
const resolve = async (id: string) => {
  later(1000);
  const c = await updateCase(t.deps, id, { status: 'resolved' });
  return String(c.resolvedAt);
};
const sentTo = (address: string) => mailer.sent.filter((m) => m.to === address);
const events = async (type: string) =>
  (await outboxEvents(t)).filter((e) => e.detailType === type).map((e) => parseEvent(type, e.detail).detail);

before(async () => {
  t = await createTestTable(() => now);
});

describe('CSAT surveys', () => {
  it('sends one threaded survey per resolution with five signed links, once even when retried', async () => {
    const c = await openCase(t.deps, opening('ada@example.com'));
    const resolvedAt = await resolve(c.id);
    assert.equal(await surveyCase(t.deps, ctx, c.id, resolvedAt), 'sent');
    assert.equal(await surveyCase(t.deps, ctx, c.id, resolvedAt), 'sent', 'a retried event');
    const [survey, ...more] = sentTo('ada@example.com');
    assert.ok(survey);
    assert.equal(more.length, 0, 'one email');
    assert.equal(survey.subject, `Re: Refund please [#${c.ref}]`);
    assert.equal(survey.headers['Reply-To'], 'support@example.com');
    assert.match(survey.text, /How did we do\?/);
    const urls = [...survey.text.matchAll(/https:\/\/crm\.example\.com\/csat\/(\S+)/g)].map((m) =>
      String(m[1]),
    );
    assert.equal(urls.length, 5);
    assert.deepEqual(
      urls.map((token) => {
        const check = verifyRatingToken('secret', token, now);
        return check.ok ? `${check.link.caseId}:${check.link.score}` : check.reason;
      }),
      [1, 2, 3, 4, 5].map((s) => `${c.id}:${s}`),
    );
    assert.equal((await t.deps.store.getCase(c.id))?.surveyedAt, resolvedAt);
  });

  it('sends none within a day of the previous survey, nor for a stale resolution; again after a day', async () => {
    const c = await openCase(t.deps, opening('lin@example.com'));
    const first = await resolve(c.id);
    assert.equal(await surveyCase(t.deps, ctx, c.id, first), 'sent');
    await updateCase(t.deps, c.id, { status: 'open' });
    assert.equal(await surveyCase(t.deps, ctx, c.id, first), 'not_resolved', 'reopened since');
    later(2 * HOUR);
    const second = await resolve(c.id);
    assert.equal(await surveyCase(t.deps, ctx, c.id, first), 'not_resolved', 'resolved again since');
    assert.equal(await surveyCase(t.deps, ctx, c.id, second), 'recently_surveyed');
    await updateCase(t.deps, c.id, { status: 'open' });
    later(25 * HOUR);
    const third = await resolve(c.id);
    assert.equal(await surveyCase(t.deps, ctx, c.id, third), 'sent');
    assert.equal(sentTo('lin@example.com').length, 2);
  });

  it('sends none for a flagged case or an automatic-only conversation', async () => {
    const flagged = await openCase(t.deps, opening('spam@example.com', { flagged: 'spam' }));
    assert.equal(await surveyCase(t.deps, ctx, flagged.id, await resolve(flagged.id)), 'flagged');
    const automatic = await openCase(
      t.deps,
      opening('robot@example.com', {
        message: {
          kind: 'inbound',
          from: 'robot@example.com',
          text: 'Out of office',
          automatic: true,
          attachments: [],
        },
      }),
    );
    assert.equal(await surveyCase(t.deps, ctx, automatic.id, await resolve(automatic.id)), 'automatic');
    assert.equal(sentTo('spam@example.com').length + sentTo('robot@example.com').length, 0);
  });
});

describe('CSAT ratings', () => {
  it('records a rating once, replaces it with another score (CaseRated with previous), keeps a comment', async () => {
    const c = await openCase(t.deps, opening('grace@example.com'));
    await resolve(c.id);
    later(HOUR);
    const first = await rateCase(t.deps, c.id, 4);
    assert.equal(first.changed, true);
    assert.deepEqual(first.case.rating, { score: 4, at: now.toISOString() });
    const ratedAt = now.toISOString();
    later(1000);
    const again = await rateCase(t.deps, c.id, 4);
    assert.equal(again.changed, false, 'the same score again changes nothing');
    assert.equal(again.case.version, first.case.version);

    const changed = await rateCase(t.deps, c.id, 2);
    assert.equal(changed.changed, true);
    const commented = await rateCase(t.deps, c.id, 2, '  It took three emails.  ');
    assert.deepEqual(commented.case.rating, {
      score: 2,
      comment: 'It took three emails.',
      at: now.toISOString(),
    });
    assert.notEqual(commented.case.rating?.at, ratedAt);
    const rescored = await rateCase(t.deps, c.id, 3);
    assert.equal(rescored.case.rating?.comment, 'It took three emails.', 'a new score keeps the comment');
    assert.deepEqual(await t.deps.store.getCase(c.id), rescored.case);

    const rated = (await events('CaseRated')).filter((e) => 'caseId' in e && e.caseId === c.id);
    assert.deepEqual(
      rated.map((e) => ('rating' in e ? [e.rating, e.previous, e.assignee] : [])),
      [
        [4, undefined, 'agent@example.com'],
        [2, 4, 'agent@example.com'],
        [3, 2, 'agent@example.com'],
      ],
    );
    const timeline = await t.deps.store.listActivities(c.contactId, { limit: 50 });
    const bodies = timeline.items.filter((a) => a.type === 'case').map((a) => a.body);
    assert.ok(bodies.includes(`Rated case [#${c.ref}] 4/5`), JSON.stringify(bodies));
    assert.ok(bodies.includes(`Rated case [#${c.ref}] 2/5`));
    assert.ok(bodies.includes(`Commented on the rating of case [#${c.ref}]: “It took three emails.”`));
    assert.equal(bodies.filter((b) => b?.startsWith('Rated case')).length, 3);
  });

  it('refuses a case that does not exist', async () => {
    await assert.rejects(rateCase(t.deps, '01JNOCASE00000000000000000', 5), { kind: 'not_found' });
  });
});
