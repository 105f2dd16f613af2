/**
 * Support forms on DynamoDB Local: a submission of a form with `case` opens one case (channel
 * `form`) for its contact, its subject and message from the form's fields, the form's priority and
 * SLA timers; a redelivered (or concurrently delivered) FormSubmitted opens nothing more; a lead
 * form's submission opens nothing.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { supportRequestOf } from '#capture/form-cases.js';
import { createForm } from '#capture/forms.js';
import type { Form } from '#capture/model.js';
import { submitForm } from '#capture/submission.js';
import { listCases, viewCase } from '#service/cases.js';
import { openFormCase } from '#service/form-cases.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';
import { RecordingScheduler } from '#test/support/fakes.js';

const SECRET = 'test-secret-test-secret-test-secret';
let t: TestTable;
let support: Form;
let leads: Form;
const scheduler = new RecordingScheduler();

const spam = { requireToken: false, rateLimits: { perIpPerMinute: 10_000, perFormPerMinute: 10_000 } };

before(async () => {
  t = await createTestTable();
  support = await createForm(t.deps, {
    name: 'Contact support',
    fields: [
      { name: 'email', label: 'Email', type: 'email', required: true },
      { name: 'topic', label: 'Topic', type: 'text', required: true },
      { name: 'details', label: 'How can we help?', type: 'textarea', required: true },
    ],
    tags: ['support'],
    case: { subjectField: 'topic', messageField: 'details', priority: 'high' },
    spam,
  });
  leads = await createForm(t.deps, {
    name: 'Newsletter',
    fields: [{ name: 'email', label: 'Email', type: 'email', required: true }],
    tags: [],
    spam,
  });
});

/** Submits the form and returns its FormSubmitted event's detail (as the rule delivers it). */
async function submitted(form: Form, values: Record<string, string>) {
  const out = await submitForm(
    t.deps,
    { formId: form.id, values, query: {}, sourceIp: '198.51.100.9' },
    SECRET,
  );
  assert.equal(out.kind, 'accepted');
  const event = (await outboxEvents(t)).find(
    (e) => e.detailType === 'FormSubmitted' && e.detail.activityId === out.submissionId,
  );
  assert.ok(event, 'FormSubmitted');
  return event.detail as { formId: string; contactId: string; activityId: string; occurredAt: string };
}

/** What the case-forms consumer does with one delivery of the event. */
async function deliver(detail: {
  formId: string;
  contactId: string;
  activityId: string;
  occurredAt: string;
}) {
  const asked = await supportRequestOf(t.deps, detail);
  if (asked.kind !== 'request') return { outcome: asked.kind };
  return openFormCase(t.deps, { ...asked.request, scheduler });
}

describe('support forms', () => {
  it('opens one case with the subject and message of the fields, the priority and SLA timers', async () => {
    const detail = await submitted(support, {
      email: 'Grace@Example.com',
      topic: '  Invoice   is wrong ',
      details: 'I was charged twice for November.\nPlease refund one.',
    });
    const first = await deliver(detail);
    assert.equal(first.outcome, 'opened');
    assert.ok('caseId' in first);
    const { case: c, messages } = await viewCase(t.deps, first.caseId);
    assert.equal(c.channel, 'form');
    assert.equal(c.subject, 'Invoice is wrong');
    assert.equal(c.priority, 'high');
    assert.equal(c.status, 'new');
    assert.equal(c.contactId, detail.contactId);
    assert.equal(c.email, 'grace@example.com');
    assert.ok(c.sla?.firstResponseDue, 'an SLA first-response due time');
    assert.ok(
      [...scheduler.schedules.keys()].some((k) => k.startsWith(`case-sla-${c.id}-fr`)),
      'its first-response timer is scheduled',
    );
    assert.equal(messages.length, 1);
    assert.equal(messages[0]?.kind, 'inbound');
    assert.equal(messages[0]?.text, 'I was charged twice for November.\nPlease refund one.');
    const created = (await outboxEvents(t)).filter(
      (e) => e.detailType === 'CaseCreated' && e.detail.caseId === c.id,
    );
    assert.equal(created.length, 1);
    assert.equal(created[0]?.detail.channel, 'form');
    assert.doesNotMatch(JSON.stringify(created[0]?.detail), /charged twice/, 'no message text in events');

    // Redelivered: nothing more.
    const before = await t.items();
    assert.deepEqual(await deliver(detail), { outcome: 'duplicate', caseId: c.id });
    assert.equal((await t.items()).length, before.length);
  });

  it('opens one case when the same event is delivered twice at once', async () => {
    const detail = await submitted(support, {
      email: 'ada@example.com',
      topic: 'Login fails',
      details: 'The login page says my password is wrong.',
    });
    const outcomes = await Promise.all([deliver(detail), deliver(detail)]);
    assert.deepEqual(outcomes.map((o) => o.outcome).sort(), ['duplicate', 'opened']);
    const cases = (await listCases(t.deps, { status: 'new', limit: 100 })).items.filter(
      (c) => c.contactId === detail.contactId,
    );
    assert.equal(cases.length, 1);
  });

  it('finds the submission when the event time is not its timeline entry’s', async () => {
    const detail = await submitted(support, {
      email: 'linus@example.com',
      topic: 'Export',
      details: 'Where is the export button?',
    });
    const later = new Date(Date.parse(detail.occurredAt) + 1500).toISOString();
    const out = await deliver({ ...detail, occurredAt: later });
    assert.equal(out.outcome, 'opened');
  });

  it('opens nothing for a lead form', async () => {
    const detail = await submitted(leads, { email: 'reader@example.com' });
    const before = await t.items();
    assert.deepEqual(await deliver(detail), { outcome: 'not_support_form' });
    assert.equal((await t.items()).length, before.length);
    const cases = (await listCases(t.deps, { status: 'new', limit: 100 })).items.filter(
      (c) => c.contactId === detail.contactId,
    );
    assert.equal(cases.length, 0);
  });
});
