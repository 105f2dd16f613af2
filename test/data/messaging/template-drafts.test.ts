/**
 * A template being written, on DynamoDB Local: rendered before it is saved (for a contact or a
 * sample one) with its warnings, a syntax error a 400 at its part; and a saved one sent to any
 * address as a test — "[Test]" in the subject, a refused address a 400, a busy provider a retry.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createContact } from '#contacts/rules.js';
import type { Mailer } from '#messaging/mailer.js';
import { renderDraft, sendTestEmail } from '#messaging/template-drafts.js';
import { createTemplate } from '#messaging/templates.js';
import { DomainError } from '#platform/errors.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';
import { RecordingMailer } from '#test/support/fakes.js';

let t: TestTable;
before(async () => {
  t = await createTestTable();
});

describe('a template draft', () => {
  it('renders for a contact or the sample one, with its warnings, before it is saved', async () => {
    const contact = await createContact(t.deps, { email: 'ada@example.com', firstName: 'Ada' });
    const source = {
      subject: 'Hi {{ contact.firstName }}',
      html: '<p>Hello {{ contact.firstName }} from {{ contact.nickname }}</p>',
    };
    const forAda = await renderDraft(t.deps, { ...source, contactId: contact.id });
    assert.equal(forAda.subject, 'Hi Ada');
    assert.match(forAda.text, /Hello Ada/);
    const messages = (forAda.warnings ?? []).map((w) => w.message).join(' | ');
    assert.match(messages, /nickname/, 'an unknown variable is a warning');
    assert.match(messages, /unsubscribe/i, 'no unsubscribe link is a warning');
    const sample = await renderDraft(t.deps, source);
    assert.equal(sample.subject, 'Hi Sam');

    const broken = await renderDraft(t.deps, { ...source, html: '<p>{% if %}</p>' }).catch((e: unknown) => e);
    assert.ok(broken instanceof DomainError);
    assert.equal(broken.kind, 'invalid');
    assert.deepEqual(
      (broken.details as Array<{ path: string }>).map((d) => d.path),
      ['html'],
    );
    const nobody = await renderDraft(t.deps, { ...source, contactId: '01JF0000000000000000000C99' }).catch(
      (e: unknown) => e,
    );
    assert.ok(nobody instanceof DomainError && nobody.kind === 'not_found');
  });
});

describe('a test send', () => {
  it('sends the saved template to any address, marked as a test, and records no send', async () => {
    const template = await createTemplate(t.deps, {
      name: 'Welcome',
      subject: 'Welcome {{ contact.firstName }}',
      html: '<p>Welcome</p><a href="{{ unsubscribeUrl }}">Unsubscribe</a>',
    });
    const mailer = new RecordingMailer();
    const events = (await outboxEvents(t)).length;
    const sent = await sendTestEmail(t.deps, mailer, template.id, { to: 'me@example.org' });
    assert.equal(sent.subject, '[Test] Welcome Sam');
    assert.equal(mailer.sent[0]?.to, 'me@example.org');
    assert.equal(mailer.sent[0]?.headers['X-Tendril-Test'], 'true');
    assert.equal((await outboxEvents(t)).length, events, 'no EmailSent: it is not a send to a contact');

    mailer.failures = 1;
    const throttled = await sendTestEmail(t.deps, mailer, template.id, { to: 'me@example.org' }).catch(
      (e: unknown) => e,
    );
    assert.ok(throttled instanceof DomainError && throttled.kind === 'busy');
    const refusing: Mailer = {
      send: async () => {
        throw Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected' });
      },
    };
    const refused = await sendTestEmail(t.deps, refusing, template.id, { to: 'nobody@example.org' }).catch(
      (e: unknown) => e,
    );
    assert.ok(refused instanceof DomainError);
    assert.equal(refused.code, 'send_refused');
    assert.match(refused.message, /not verified/);
  });
});
