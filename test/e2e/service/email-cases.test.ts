/**
 * Customer service over email, on the local CRM as a customer and an agent would use it: an email to
 * the printed SMTP port opens a case (the sender becomes a contact, the attachment is kept) and is
 * acknowledged; the agent's reply arrives in the mail outbox with threading headers; the customer's
 * answer to it lands in the same case; resolving and writing again reopens it. Automatic mail is
 * never answered, mail from Tendril's own address is dropped, other mailboxes are refused.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createTransport } from 'nodemailer';
import {
  adminClient,
  eventually,
  idle,
  type LocalServer,
  outbox,
  startLocalServer,
} from '#test/support/local-server.js';

let server: LocalServer;
const SUPPORT = 'support@tendril.local';

before(async () => {
  server = await startLocalServer(mkdtempSync(join(tmpdir(), 'tendril-cases-')));
});
after(async () => {
  await server?.stop();
});

const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);
const send = (mail: Record<string, unknown>) =>
  createTransport({ host: '127.0.0.1', port: server.smtpPort, secure: false, ignoreTLS: true }).sendMail({
    to: SUPPORT,
    ...mail,
  });
const header = (email: { headers: Array<{ name: string; value: string }> }, name: string) =>
  email.headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;

async function caseWith(subject: string) {
  return eventually(async () => {
    const page = await api('GET', '/v1/cases?status=new');
    return page.json.items.find((c: { subject: string }) => c.subject === subject);
  }, 30_000);
}

describe('cases from email', () => {
  it('opens a case, acknowledges it, threads the agent’s reply and the customer’s answer', async () => {
    const article = await api('POST', '/v1/articles', {
      title: 'Reset a forgotten password',
      body: 'If the sign-in page refuses your password, use **Forgot password** to get a new one.',
    });
    assert.equal(article.status, 201, JSON.stringify(article.json));
    assert.equal((await api('POST', `/v1/articles/${article.json.id}/publish`, {})).status, 200);
    await send({
      from: 'Ada Lovelace <ada@example.com>',
      subject: 'Cannot sign in',
      text: 'Since yesterday the sign-in page says my password is wrong.',
      messageId: '<first-1@example.com>',
      attachments: [{ filename: 'screen.txt', content: 'error 401' }],
    });
    const opened = await caseWith('Cannot sign in');
    assert.equal(opened.channel, 'email');
    assert.equal(opened.email, 'ada@example.com');
    const contact = await api('GET', `/v1/contacts/${opened.contactId}`);
    assert.equal(contact.json.firstName, 'Ada');
    assert.equal(contact.json.lastName, 'Lovelace');

    const ack = await eventually(async () => {
      const sent = await outbox(server, 'ada@example.com');
      return sent.length > 0 ? sent : undefined;
    }, 30_000);
    assert.equal(ack.length, 1);
    assert.equal(ack[0]?.subject, `Re: Cannot sign in [#${opened.ref}]`);
    assert.equal(header(ack[0] as never, 'In-Reply-To'), '<first-1@example.com>');
    assert.equal(header(ack[0] as never, 'Reply-To'), SUPPORT);
    assert.match(
      String(ack[0]?.body?.text),
      /Reset a forgotten password: http:\/\/127\.0\.0\.1:\d+\/help\/articles\//,
    );
    const suggested = await api('GET', `/v1/cases/${opened.id}/suggestions`);
    assert.deepEqual(
      suggested.json.items.map((a: { title: string }) => a.title),
      ['Reset a forgotten password'],
    );

    const view = await api('GET', `/v1/cases/${opened.id}`);
    const first = view.json.messages[0];
    assert.equal(first.kind, 'inbound');
    assert.match(first.text, /password is wrong/);
    assert.equal(first.attachments[0].filename, 'screen.txt');
    const link = await api(
      'GET',
      `/v1/cases/${opened.id}/attachment-url?key=${encodeURIComponent(first.attachments[0].key)}`,
    );
    assert.equal(link.status, 200, JSON.stringify(link.json));
    assert.equal(await (await fetch(link.json.url)).text(), 'error 401');
    const wrongKey = await api('GET', `/v1/cases/${opened.id}/attachment-url?key=inbound%2Fother`);
    assert.equal(wrongKey.status, 404);

    const reply = await api('POST', `/v1/cases/${opened.id}/messages`, {
      text: 'Sorry about that! I reset your password: check your inbox.',
      author: 'Grace',
      status: 'pending',
    });
    assert.equal(reply.status, 201, JSON.stringify(reply.json));
    const sent = await eventually(async () => {
      const all = await outbox(server, 'ada@example.com');
      return all.length === 2 ? all : undefined;
    });
    const agentMail = sent.find((m) => m.body?.text?.includes('I reset your password'));
    assert.ok(agentMail, 'the reply is in the outbox');
    assert.equal(header(agentMail, 'In-Reply-To'), '<first-1@example.com>');
    assert.match(String(header(agentMail, 'References')), /<first-1@example.com>/);
    const afterReply = (await api('GET', `/v1/cases/${opened.id}`)).json.case;
    assert.equal(afterReply.status, 'pending');
    assert.ok(afterReply.firstResponseAt);

    // The customer answers the agent's email (quoting the provider's id of it): the same case, reopened.
    const providerId = (agentMail as unknown as { messageId: string }).messageId;
    await send({
      from: 'ada@example.com',
      subject: `Re: Cannot sign in [#${opened.ref}]`,
      text: 'It works now, thank you!',
      messageId: '<second-2@example.com>',
      inReplyTo: `<${providerId}@email.amazonses.com>`,
      references: ['<first-1@example.com>', `<${providerId}@email.amazonses.com>`],
    });
    const answered = await eventually(async () => {
      const v = await api('GET', `/v1/cases/${opened.id}`);
      return v.json.case.messageCount === 4 ? v.json : undefined;
    }, 30_000);
    assert.equal(answered.case.status, 'open');
    assert.equal(answered.case.lastMessageFrom, 'in');
    assert.deepEqual(
      answered.messages.map((m: { kind: string }) => m.kind),
      ['inbound', 'acknowledgement', 'reply', 'inbound'],
    );

    // Resolved, then the customer writes with only the reference in the subject: reopened, not a new case.
    const resolved = await api('PATCH', `/v1/cases/${opened.id}`, { status: 'resolved' });
    assert.equal(resolved.status, 200);
    assert.ok(resolved.json.resolvedAt);
    // The satisfaction survey follows the resolution, in the same thread.
    const survey = await eventually(async () =>
      (await outbox(server, 'ada@example.com')).find((m) => m.body?.text?.includes('How did we do?')),
    );
    assert.equal(survey.subject, `Re: Cannot sign in [#${opened.ref}]`);
    await send({ from: 'ada@example.com', subject: `One more thing [#${opened.ref}]`, text: 'And the app?' });
    await eventually(async () => {
      const v = await api('GET', `/v1/cases/${opened.id}`);
      return v.json.case.status === 'open' ? true : undefined;
    }, 30_000);
    await idle(server);
    assert.equal(
      (await outbox(server, 'ada@example.com')).length,
      3,
      'the acknowledgement, the reply and the survey: nothing answers the customer’s last email',
    );

    const timeline = await api('GET', `/v1/contacts/${opened.contactId}/activities`);
    assert.ok(timeline.json.items.some((a: { type: string }) => a.type === 'case'));
    const theirCases = await api('GET', `/v1/contacts/${opened.contactId}/cases`);
    assert.deepEqual(
      theirCases.json.items.map((c: { id: string }) => c.id),
      [opened.id],
    );
  });

  it('never answers automatic mail, drops its own, refuses other mailboxes', async () => {
    await send({
      from: 'Out Of Office <ooo@example.com>',
      subject: 'Automatic reply: away',
      text: 'I am away until Monday.',
      headers: { 'Auto-Submitted': 'auto-replied' },
    });
    const auto = await caseWith('Automatic reply: away');
    await send({ from: 'hello@tendril.local', subject: 'Loop', text: 'our own mail' });
    await idle(server);
    const view = await api('GET', `/v1/cases/${auto.id}`);
    assert.equal(view.json.messages[0].automatic, true);
    assert.equal(
      (await outbox(server, 'ooo@example.com')).length,
      0,
      'no acknowledgement to an autoresponder',
    );
    const all = await api('GET', '/v1/cases?status=new&limit=100');
    assert.ok(!all.json.items.some((c: { subject: string }) => c.subject === 'Loop'), 'own mail dropped');
    await assert.rejects(
      createTransport({ host: '127.0.0.1', port: server.smtpPort, secure: false, ignoreTLS: true }).sendMail({
        from: 'x@example.com',
        to: 'sales@tendril.local',
        subject: 'Hi',
        text: 'hi',
      }),
      /550/,
    );
  });
});
