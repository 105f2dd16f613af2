import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { signFormToken } from '#capture/form-token.js';
import { createForm, listDroppedSubmissions } from '#capture/forms.js';
import type { Form } from '#capture/model.js';
import { type Submission, submitForm } from '#capture/submission.js';
import * as contacts from '#contacts/rules.js';
import { DomainError } from '#platform/errors.js';
import { STATUS_OF } from '#platform/http/handler.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';

const SECRET = 'test-secret-test-secret-test-secret';
let now = new Date('2026-06-01T12:00:00.000Z');
let t: TestTable;
let form: Form;

before(async () => {
  t = await createTestTable(() => now);
  form = await createForm(t.deps, {
    name: 'Spring webinar',
    fields: [
      { name: 'email', label: 'Email', type: 'email', required: true },
      { name: 'firstName', label: 'First name', type: 'text', required: false },
      { name: 'role', label: 'Role', type: 'text', required: false },
    ],
    tags: ['webinar', 'lead'],
    consent: { text: 'You may email me about the webinar', required: true },
    // Most cases here post without a page token, from one address, in bursts.
    spam: { requireToken: false, rateLimits: { perIpPerMinute: 10_000, perFormPerMinute: 10_000 } },
  });
});

let nonces = 0;
const token = (issuedAtMs: number, formId = form.id, secret = SECRET) =>
  signFormToken(secret, formId, issuedAtMs, `NONCE${String(++nonces).padStart(10, '0')}`);

const submission = (values: Record<string, unknown>, extra: Partial<Submission> = {}): Submission => ({
  formId: form.id,
  values: { consent: 'on', ...values },
  query: {},
  sourceIp: '198.51.100.4',
  ...extra,
});

/** Everything but the rate windows (they count every attempt, refused ones included, by design). */
async function snapshot() {
  return JSON.stringify((await t.items()).filter((i) => !String(i.PK).startsWith('RATE#')));
}

describe('lead capture on DynamoDB', () => {
  it('creates the contact with tags, a timeline entry with attribution and consent, and the events', async () => {
    const out = await submitForm(
      t.deps,
      submission(
        { email: 'Lead@Example.com', firstName: 'Lea', utm_source: 'newsletter' },
        { referrer: 'https://example.com/spring?utm_campaign=spring', userAgent: 'Mozilla/5.0' },
      ),
      SECRET,
    );
    assert.equal(out.kind, 'accepted');
    if (out.kind !== 'accepted') return;
    assert.equal(out.created, true);
    const c = await contacts.getContact(t.deps, out.contactId);
    assert.equal(c.email, 'lead@example.com');
    assert.equal(c.source, 'newsletter');
    assert.deepEqual(c.tags, ['lead', 'webinar']);
    assert.equal(c.consent?.text, 'You may email me about the webinar');
    assert.equal(c.consent?.sourceIp, '198.51.100.4');
    const [activity] = (await contacts.listActivities(t.deps, c.id, { limit: 5 })).items;
    assert.equal(activity?.type, 'form_submitted');
    assert.deepEqual(activity?.data?.utm, { utm_source: 'newsletter', utm_campaign: 'spring' });
    assert.equal(activity?.data?.referrer, 'https://example.com/spring?utm_campaign=spring');
    assert.deepEqual(
      (activity?.data?.consent as { givenAt?: string } | undefined)?.givenAt,
      now.toISOString(),
    );
    const events = (await outboxEvents(t)).filter((e) => e.detail.contactId === c.id);
    assert.deepEqual(events.map((e) => e.detailType).sort(), [
      'ContactCreated',
      'ContactTagged',
      'ContactTagged',
      'FormSubmitted',
    ]);
  });

  it('answers an identical resubmission within the window with the first answer and writes nothing', async () => {
    const values = { email: 'twice@example.com', firstName: 'Tw' };
    const first = await submitForm(t.deps, submission(values), SECRET);
    const before = await snapshot();
    const again = await submitForm(t.deps, submission(values), SECRET);
    assert.equal(again.kind, 'duplicate');
    assert.equal(first.kind, 'accepted');
    assert.equal(again.submissionId, first.submissionId);
    assert.equal(await snapshot(), before);
    // After the window it counts as a new submission of a known contact.
    now = new Date(now.getTime() + 11 * 60_000);
    const later = await submitForm(t.deps, submission(values), SECRET);
    assert.equal(later.kind, 'accepted');
    assert.equal(later.kind === 'accepted' && later.created, false);
  });

  it('honours an Idempotency-Key even when the content changes', async () => {
    const a = await submitForm(
      t.deps,
      submission({ email: 'key@example.com' }, { idempotencyKey: 'abc-123' }),
      SECRET,
    );
    const before = await snapshot();
    const b = await submitForm(
      t.deps,
      submission({ email: 'key@example.com', firstName: 'Changed' }, { idempotencyKey: 'abc-123' }),
      SECRET,
    );
    assert.equal(b.kind, 'duplicate');
    assert.equal(a.kind, 'accepted');
    assert.equal(b.submissionId, a.submissionId);
    assert.equal(await snapshot(), before);
  });

  it('fills blanks on a known contact but never overwrites, and tags it only with what is new', async () => {
    const c = await contacts.createContact(t.deps, {
      email: 'known@example.com',
      firstName: 'Original',
      tags: ['lead'],
    });
    const out = await submitForm(
      t.deps,
      submission({ email: 'known@example.com', firstName: 'Hacker', role: 'CTO' }),
      SECRET,
    );
    assert.equal(out.kind === 'accepted' && out.contactId, c.id);
    const after = await contacts.getContact(t.deps, c.id);
    assert.equal(after.firstName, 'Original');
    assert.deepEqual(after.fields, { role: 'CTO' });
    assert.deepEqual(after.tags, ['lead', 'webinar']);
    const tagged = (await outboxEvents(t)).filter(
      (e) => e.detailType === 'ContactTagged' && e.detail.contactId === c.id,
    );
    assert.deepEqual(tagged.map((e) => e.detail.tag).sort(), ['lead', 'webinar']);
  });

  it('ends 50 concurrent submissions with the same email in one contact, 50 timeline entries and one event per tag', async () => {
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        submitForm(t.deps, submission({ email: 'storm@example.com', role: `r${i}` }), SECRET),
      ),
    );
    const ids = new Set(results.map((r) => (r.kind === 'accepted' ? r.contactId : 'x')));
    assert.equal(ids.size, 1);
    const [id] = [...ids];
    assert.equal(results.filter((r) => r.kind === 'accepted' && r.created).length, 1);
    const timeline = await contacts.listActivities(t.deps, String(id), { limit: 100 });
    assert.equal(timeline.items.length, 50);
    const c = await contacts.getContact(t.deps, String(id));
    assert.deepEqual(c.tags, ['lead', 'webinar']);
    const events = (await outboxEvents(t)).filter((e) => e.detail.contactId === id);
    assert.equal(events.filter((e) => e.detailType === 'ContactTagged').length, 2);
    assert.equal(events.filter((e) => e.detailType === 'ContactCreated').length, 1);
    assert.equal(events.filter((e) => e.detailType === 'FormSubmitted').length, 50);
  });

  it('keeps what it drops as spam: no contact, but a record with the reason, an event, and the same answer', async () => {
    const strict = await createForm(t.deps, {
      name: 'Strict tokens',
      fields: form.fields,
      tags: ['strict'],
      spam: { rateLimits: { perIpPerMinute: 100, perFormPerMinute: 100 } },
    });
    assert.equal(strict.spam.requireToken, true, 'forms require a page token by default');
    const issued = now.getTime() - 1000;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ email: 'bot1@spam.com', _hp: 'http://spam', _ts: token(issued - 60_000, strict.id) }, 'honeypot'],
      [{ email: 'bot2@spam.com', _ts: token(issued, strict.id) }, 'too_fast'],
      [{ email: 'bot3@spam.com', _ts: token(issued - 60_000, strict.id, 'other-secret') }, 'token_invalid'],
      [{ email: 'bot4@spam.com', _ts: token(now.getTime() + 60_000, strict.id) }, 'token_invalid'],
      [{ email: 'bot5@spam.com', _ts: token(issued - 60_000) }, 'token_invalid'],
      [{ email: 'bot6@spam.com' }, 'token_missing'],
    ];
    for (const [values, reason] of cases) {
      const out = await submitForm(t.deps, { ...submission(values), formId: strict.id }, SECRET);
      assert.deepEqual([out.kind, out.kind === 'dropped' && out.reason], ['dropped', reason]);
      assert.match(out.submissionId, /^[0-9A-Z]{26}$/);
      assert.equal(await t.deps.store.findContactIdByEmail(String(values.email)), undefined);
    }
    const dropped = await listDroppedSubmissions(t.deps, strict.id, { limit: 20 });
    assert.deepEqual(
      dropped.items.map((d) => [d.email, d.reason]).sort(),
      cases.map(([v, reason]) => [v.email, reason]).sort(),
    );
    assert.equal(dropped.items[0]?.sourceIp, '198.51.100.4');
    const events = (await outboxEvents(t)).filter(
      (e) => e.detailType === 'FormSubmissionDropped' && e.detail.formId === strict.id,
    );
    assert.equal(events.length, cases.length);
    const human = await submitForm(
      t.deps,
      {
        ...submission({ email: 'human@example.com', _ts: token(issued - 10_000, strict.id) }),
        formId: strict.id,
      },
      SECRET,
    );
    assert.equal(human.kind, 'accepted');
  });

  it('takes a page token once: another submission with it is refused, the same one is a duplicate', async () => {
    const pageToken = token(now.getTime() - 30_000);
    const first = await submitForm(t.deps, submission({ email: 'once@example.com', _ts: pageToken }), SECRET);
    assert.equal(first.kind, 'accepted');
    const replay = await submitForm(
      t.deps,
      submission({ email: 'once@example.com', _ts: pageToken }),
      SECRET,
    );
    assert.deepEqual([replay.kind, replay.submissionId], ['duplicate', first.submissionId]);
    const before = await snapshot();
    for (let i = 0; i < 5; i++) {
      await assert.rejects(
        submitForm(t.deps, submission({ email: `reuse${i}@example.com`, _ts: pageToken }), SECRET),
        (e: unknown) =>
          e instanceof DomainError && e.code === 'form_already_submitted' && STATUS_OF[e.kind] === 400,
      );
    }
    assert.equal(await snapshot(), before, 'a refused token writes nothing');
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        submitForm(
          t.deps,
          submission({ email: `race${i}@example.com`, _ts: token(now.getTime() - 5000) }),
          SECRET,
        ),
      ),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 10, 'distinct tokens all pass');
    const shared = token(now.getTime() - 5000);
    const raced = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) =>
        submitForm(t.deps, submission({ email: `shared${i}@example.com`, _ts: shared }), SECRET),
      ),
    );
    assert.equal(
      raced.filter((r) => r.status === 'fulfilled').length,
      1,
      'one token, one accepted submission',
    );
  });

  it('refuses a token older than a day as expired, writing nothing', async () => {
    const before = await snapshot();
    await assert.rejects(
      submitForm(
        t.deps,
        submission({ email: 'late@example.com', _ts: token(now.getTime() - 25 * 3600_000) }),
        SECRET,
      ),
      (e: unknown) => e instanceof DomainError && e.code === 'form_expired' && STATUS_OF[e.kind] === 400,
    );
    assert.equal(await snapshot(), before);
  });

  it('limits submissions per IP address and per form, per minute, with the seconds to wait', async () => {
    const limited = await createForm(t.deps, {
      name: 'Limited',
      fields: form.fields,
      tags: [],
      spam: { requireToken: false, rateLimits: { perIpPerMinute: 3, perFormPerMinute: 5 } },
    });
    now = new Date(Math.ceil(now.getTime() / 60_000) * 60_000 + 15_000);
    const post = (email: string, sourceIp: string) =>
      submitForm(t.deps, { ...submission({ email }), formId: limited.id, sourceIp }, SECRET);
    for (let i = 0; i < 3; i++)
      assert.equal((await post(`ip${i}@example.com`, '203.0.113.1')).kind, 'accepted');
    await assert.rejects(post('ip3@example.com', '203.0.113.1'), (e: unknown) => {
      return e instanceof DomainError && STATUS_OF[e.kind] === 429 && e.retryAfterSeconds === 45;
    });
    assert.equal((await post('other@example.com', '203.0.113.2')).kind, 'accepted');
    // The 3 + 1 refused + 1 took the form's window to 5: a sixth address is refused too.
    await assert.rejects(
      post('third@example.com', '203.0.113.3'),
      (e: unknown) => e instanceof DomainError && e.kind === 'rate_limited',
    );
    assert.equal(await t.deps.store.findContactIdByEmail('ip3@example.com'), undefined);
    now = new Date(now.getTime() + 60_000);
    assert.equal((await post('ip3@example.com', '203.0.113.1')).kind, 'accepted');
  });

  it('appends to a known contact without writing it when the submission adds nothing', async () => {
    const c = await contacts.createContact(t.deps, {
      email: 'steady@example.com',
      tags: ['lead', 'webinar'],
    });
    const consented = await submitForm(
      t.deps,
      submission({ email: 'steady@example.com', role: 'r0' }),
      SECRET,
    );
    assert.equal(consented.kind, 'accepted');
    const after = await contacts.getContact(t.deps, c.id);
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        submitForm(t.deps, submission({ email: 'steady@example.com', role: `r${i + 1}` }), SECRET),
      ),
    );
    assert.equal(results.filter((r) => r.kind === 'accepted').length, 40);
    assert.equal(
      (await contacts.getContact(t.deps, c.id)).version,
      after.version,
      'the contact item is untouched',
    );
    const timeline = await contacts.listActivities(t.deps, c.id, { limit: 100 });
    assert.equal(timeline.items.filter((a) => a.type === 'form_submitted').length, 41);
  });

  it('stores the time zone the browser sent in its canonical spelling; one that is none is dropped, the lead kept', async () => {
    const accepted = async (email: string, timeZone: unknown, role = 'r') => {
      const out = await submitForm(t.deps, submission({ email, firstName: 'Zoe', role, timeZone }), SECRET);
      assert.equal(out.kind, 'accepted', email);
      return out.kind === 'accepted' ? contacts.getContact(t.deps, out.contactId) : assert.fail();
    };
    const zoned = await accepted('tz-zoned@example.com', 'asia/tokyo');
    assert.equal(zoned.timeZone, 'Asia/Tokyo');
    for (const [email, bad] of [
      ['tz-mars@example.com', 'Mars/Base'],
      ['tz-offset@example.com', '+05:30'],
      ['tz-twice@example.com', ['Europe/Paris', 'UTC']],
    ] as const) {
      const c = await accepted(email, bad);
      assert.equal(c.timeZone, undefined, email);
      assert.equal(c.firstName, 'Zoe', 'the rest of the submission is kept');
      assert.deepEqual(c.tags, ['lead', 'webinar']);
    }
    // Like every property a form brings, it fills a blank and never overwrites.
    const again = await accepted('tz-zoned@example.com', 'Europe/Paris', 'another');
    assert.equal(again.timeZone, 'Asia/Tokyo');
    const known = await contacts.createContact(t.deps, { email: 'tz-blank@example.com' });
    assert.equal((await accepted(known.email, 'europe/london')).timeZone, 'Europe/London');
  });

  it('rejects bad submissions with a 400 and no partial write', async () => {
    const before = await snapshot();
    const bad: Array<[Submission, number]> = [
      [submission({ email: 'mass@example.com', tags: 'vip' }), 400],
      [submission({ email: 'not-an-email' }), 400],
      [
        { ...submission({ email: 'noconsent@example.com' }), values: { email: 'noconsent@example.com' } },
        400,
      ],
      [submission({ email: 'key@example.com' }, { idempotencyKey: 'x'.repeat(300) }), 400],
      [{ ...submission({ email: 'a@b.co' }), formId: '01JF0000000000000000000000' }, 404],
    ];
    for (const [sub, status] of bad) {
      await assert.rejects(
        submitForm(t.deps, sub, SECRET),
        (e: unknown) => e instanceof DomainError && STATUS_OF[e.kind] === status,
      );
    }
    assert.equal(await snapshot(), before);
  });

  it('refuses browsers on origins the form does not allow', async () => {
    const strict = await createForm(t.deps, {
      name: 'Strict',
      fields: form.fields,
      tags: [],
      allowedOrigins: ['https://good.example'],
      spam: { requireToken: false },
    });
    const sub = (origin: string) => ({
      ...submission({ email: 'o@example.com' }),
      formId: strict.id,
      values: { email: 'o@example.com' },
      origin,
    });
    await assert.rejects(
      submitForm(t.deps, sub('https://evil.example'), SECRET),
      (e: unknown) => e instanceof DomainError && STATUS_OF[e.kind] === 403,
    );
    assert.equal((await submitForm(t.deps, sub('https://good.example'), SECRET)).kind, 'accepted');
  });
});
