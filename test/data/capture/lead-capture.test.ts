import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { signFormToken } from '#capture/form-token.js';
import { createForm } from '#capture/forms.js';
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
  });
});

const submission = (values: Record<string, unknown>, extra: Partial<Submission> = {}): Submission => ({
  formId: form.id,
  values: { consent: 'on', ...values },
  query: {},
  sourceIp: '198.51.100.4',
  ...extra,
});

async function snapshot() {
  return JSON.stringify(await t.items());
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
    assert.equal(
      first.kind === 'accepted' && again.kind === 'duplicate' && first.contactId === again.contactId,
      true,
    );
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
    assert.equal(a.kind === 'accepted' && b.kind === 'duplicate' && a.contactId === b.contactId, true);
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

  it('drops bots quietly: honeypot, forged or too-fast tokens write nothing', async () => {
    const before = await snapshot();
    const issued = now.getTime() - 1000;
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ email: 'bot1@spam.com', _hp: 'http://spam' }, 'honeypot'],
      [{ email: 'bot2@spam.com', _ts: signFormToken(SECRET, form.id, issued) }, 'too_fast'],
      [
        { email: 'bot3@spam.com', _ts: signFormToken('other-secret', form.id, issued - 60_000) },
        'token_invalid',
      ],
      [
        { email: 'bot4@spam.com', _ts: signFormToken(SECRET, form.id, now.getTime() + 60_000) },
        'token_invalid',
      ],
    ];
    for (const [values, reason] of cases) {
      const out = await submitForm(t.deps, submission(values), SECRET);
      assert.deepEqual(out.kind === 'spam' && out.reason, reason);
    }
    assert.equal(await snapshot(), before);
    const human = await submitForm(
      t.deps,
      submission({ email: 'human@example.com', _ts: signFormToken(SECRET, form.id, issued - 10_000) }),
      SECRET,
    );
    assert.equal(human.kind, 'accepted');
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
