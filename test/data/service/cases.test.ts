/**
 * Cases on DynamoDB Local: an inbound email opens a case once (redelivered or delivered twice at
 * once), threads by the ids it quotes or the reference in its subject, never into a case when it is
 * spoofed; agents' replies are emailed with threading headers and count as the first response,
 * notes are never sent; status changes are version-guarded and resolving announces CaseResolved.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as contacts from '#contacts/rules.js';
import { DomainError } from '#platform/errors.js';
import { parseEvent } from '#platform/events.js';
import { listCases, updateCase, viewCase } from '#service/cases.js';
import { type InboundEmail, receiveEmail } from '#service/inbound.js';
import { acknowledgeCase, replyToCase, type ServiceEmailContext } from '#service/replies.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';
import { RecordingMailer } from '#test/support/fakes.js';

let t: TestTable;
const mailer = new RecordingMailer();
const ctx: ServiceEmailContext = {
  mailer,
  signingSecret: async () => 'secret',
  publicUrl: 'https://crm.example.com',
  supportAddress: 'support@example.com',
};
const settings = { ownAddresses: ['support@example.com', 'hello@example.com'] };
let n = 0;
const email = (over: Partial<InboundEmail> = {}): InboundEmail => ({
  inboundId: `in-${++n}`,
  from: { address: 'Ada@Example.com', name: 'Ada Lovelace' },
  to: ['support@example.com'],
  subject: 'Cannot sign in',
  text: 'My password is refused.',
  messageId: `<m${n}@example.com>`,
  references: [],
  automatic: false,
  verdict: 'trusted',
  attachments: [],
  ...over,
});
const events = async (type: string) =>
  (await outboxEvents(t)).filter((e) => e.detailType === type).map((e) => parseEvent(type, e.detail).detail);

before(async () => {
  t = await createTestTable();
});

describe('cases', () => {
  it('opens one case per email, also when it is delivered again or twice at once', async () => {
    const mail = email();
    const first = await receiveEmail(t.deps, settings, mail);
    assert.equal(first.outcome, 'opened');
    assert.ok('acknowledge' in first && first.acknowledge);
    const again = await receiveEmail(t.deps, settings, mail);
    assert.deepEqual(again, {
      outcome: 'duplicate',
      caseId: 'caseId' in first ? first.caseId : '',
      acknowledge: true,
    });

    const twice = email({ from: { address: 'twice@example.com' }, subject: 'Twice' });
    const both = await Promise.all([
      receiveEmail(t.deps, settings, twice),
      receiveEmail(t.deps, settings, twice),
    ]);
    assert.deepEqual(both.map((o) => o.outcome).sort(), ['duplicate', 'opened']);
    const twiceContact = await t.deps.store.findContactIdByEmail('twice@example.com');
    const theirs = await t.deps.store.listContactCases(String(twiceContact), { limit: 10 });
    assert.equal(theirs.items.length, 1);

    const opened = await events('CaseCreated');
    assert.equal(opened.filter((e) => 'channel' in e && e.channel === 'email').length, 2);
  });

  it('threads by a quoted id, then by the subject reference; a spoofed message never joins a case', async () => {
    const start = await receiveEmail(
      t.deps,
      settings,
      email({ from: { address: 'lin@example.com' }, subject: 'Invoice' }),
    );
    assert.equal(start.outcome, 'opened');
    const caseId = 'caseId' in start ? start.caseId : '';
    const { case: c, messages } = await viewCase(t.deps, caseId);
    const quoted = `<${messages[0]?.emailId}>`;

    const byId = await receiveEmail(
      t.deps,
      settings,
      email({
        from: { address: 'lin@example.com' },
        subject: 'Re: other words',
        references: ['<unknown@x>', quoted],
      }),
    );
    assert.deepEqual(byId, { outcome: 'appended', caseId, acknowledge: false });
    const byRef = await receiveEmail(
      t.deps,
      settings,
      email({ from: { address: 'lin@example.com' }, subject: `Fwd: Invoice [#${c.ref.toLowerCase()}]` }),
    );
    assert.equal(byRef.outcome, 'appended');
    const spoofed = await receiveEmail(
      t.deps,
      settings,
      email({
        from: { address: 'lin@example.com' },
        subject: `Invoice [#${c.ref}]`,
        inReplyTo: quoted,
        verdict: 'spoofed',
      }),
    );
    assert.equal(spoofed.outcome, 'opened');
    assert.ok('acknowledge' in spoofed && !spoofed.acknowledge, 'a spoofed message is not answered');
    const flagged = await viewCase(t.deps, 'caseId' in spoofed ? spoofed.caseId : '');
    assert.equal(flagged.case.flagged, 'spoofed');
    assert.equal((await viewCase(t.deps, caseId)).case.messageCount, 3);

    assert.deepEqual(
      await receiveEmail(t.deps, settings, email({ from: { address: 'HELLO@example.com' } })),
      { outcome: 'loop' },
    );
    assert.deepEqual(await receiveEmail(t.deps, settings, email({ verdict: 'virus' })), { outcome: 'virus' });
    assert.deepEqual(await receiveEmail(t.deps, settings, email({ from: { address: '' } })), {
      outcome: 'no_sender',
    });
    assert.deepEqual(await receiveEmail(t.deps, settings, email({ from: { address: '<<<@@@>>>' } })), {
      outcome: 'no_sender',
    });
  });

  it('emails replies with threading headers, counts the first response once, never sends a note', async () => {
    const start = await receiveEmail(
      t.deps,
      settings,
      email({
        from: { address: 'grace@example.com' },
        subject: 'Export fails',
        messageId: '<q1@example.com>',
      }),
    );
    const caseId = 'caseId' in start ? start.caseId : '';
    mailer.sent.length = 0;
    assert.equal(await acknowledgeCase(t.deps, ctx, caseId), 'acknowledged');
    assert.equal(await acknowledgeCase(t.deps, ctx, caseId), 'already_acknowledged');
    const note = await replyToCase(t.deps, ctx, caseId, { text: 'Looks like the CSV bug', internal: true });
    assert.equal(note.kind, 'note');
    const reply = await replyToCase(t.deps, ctx, caseId, {
      text: 'Fixed, please retry.',
      author: 'Ana',
      internal: false,
    });
    const again = await replyToCase(t.deps, ctx, caseId, {
      text: 'Did it work?',
      internal: false,
      status: 'pending',
    });
    assert.equal(mailer.sent.length, 3, 'the acknowledgement and two replies; the note is not sent');
    const sent = mailer.sent[1];
    assert.equal(sent?.to, 'grace@example.com');
    assert.match(String(sent?.subject), /^Re: Export fails \[#[0-9A-Z]{8}\]$/);
    assert.equal(sent?.headers['In-Reply-To'], '<q1@example.com>');
    assert.equal(sent?.headers['Reply-To'], 'support@example.com');
    const view = await viewCase(t.deps, caseId);
    assert.equal(view.case.status, 'pending');
    assert.equal(view.case.firstResponseAt, reply.at);
    assert.equal(view.case.lastMessageFrom, 'out');
    assert.equal(view.case.messageCount, 5);
    const replied = (await events('CaseReplied')).filter((e) => 'caseId' in e && e.caseId === caseId);
    assert.deepEqual(
      replied.map((e) => ('first' in e ? e.first : undefined)),
      [true, false],
    );
    assert.ok(again.emailId);

    // The customer answers the reply (quoting the provider's id with its domain): the same case, open again.
    const answer = await receiveEmail(
      t.deps,
      settings,
      email({
        from: { address: 'grace@example.com' },
        subject: 'Re: Export fails',
        inReplyTo: `<${again.emailId}@email.amazonses.com>`,
      }),
    );
    assert.deepEqual(answer, { outcome: 'appended', caseId, acknowledge: false });
    assert.equal((await viewCase(t.deps, caseId)).case.status, 'open');
  });

  it('refuses a reply to a bounced address with nothing written, and guards status changes by version', async () => {
    const contact = await contacts.createContact(t.deps, { email: 'gone@example.com' });
    const start = await receiveEmail(
      t.deps,
      settings,
      email({ from: { address: contact.email }, subject: 'Bounce me' }),
    );
    const caseId = 'caseId' in start ? start.caseId : '';
    await t.deps.store.commit([
      { kind: 'suppress', email: contact.email, reason: 'bounce', at: new Date().toISOString() },
    ]);
    await assert.rejects(
      replyToCase(t.deps, ctx, caseId, { text: 'Hello?', internal: false }),
      (err: DomainError) => err instanceof DomainError && err.code === 'email_not_sent',
    );
    const before = await viewCase(t.deps, caseId);
    assert.equal(before.case.messageCount, 1);

    const resolved = await updateCase(t.deps, caseId, {
      status: 'resolved',
      assignee: 'Ana',
      expectedVersion: before.case.version,
    });
    assert.ok(resolved.resolvedAt);
    await assert.rejects(
      updateCase(t.deps, caseId, { priority: 'high', expectedVersion: before.case.version }),
      (err: DomainError) => err instanceof DomainError && err.code === 'version_conflict',
    );
    const reopened = await updateCase(t.deps, caseId, { status: 'open' });
    assert.equal(reopened.resolvedAt, undefined);
    const resolvedEvents = (await events('CaseResolved')).filter((e) => 'caseId' in e && e.caseId === caseId);
    assert.equal(resolvedEvents.length, 1);

    const anas = await listCases(t.deps, { assignee: 'ana', limit: 10 });
    assert.deepEqual(
      anas.items.map((c) => c.id),
      [caseId],
    );
    const open = await listCases(t.deps, { status: 'open', limit: 100 });
    assert.ok(open.items.some((c) => c.id === caseId));
    const fresh = await listCases(t.deps, { status: 'new', limit: 100 });
    assert.ok(!fresh.items.some((c) => c.id === caseId));
  });

  it('acknowledges once a crashed attempt’s claim on the acknowledgement has ended', async () => {
    const start = await receiveEmail(t.deps, settings, email({ from: { address: 'crash@example.com' } }));
    assert.ok('caseId' in start);
    const c = (await viewCase(t.deps, start.caseId)).case;
    // An attempt claimed the acknowledgement's send slot and died before sending (a kill -9).
    await t.deps.store.commit([
      {
        kind: 'claimSend',
        send: {
          enrollmentId: 'CASE',
          stepId: `${c.id}.ack`,
          contactId: c.contactId,
          templateId: 'case-reply',
          status: 'sending',
          claimedUntil: new Date(Date.now() + 1_500).toISOString(),
          attempt: 1,
        },
      },
    ]);
    const before = mailer.sent.length;
    assert.equal(await acknowledgeCase(t.deps, ctx, c.id), 'acknowledged');
    assert.equal(mailer.sent.length, before + 1);
    assert.equal(mailer.sent.at(-1)?.to, 'crash@example.com');
  });
});
