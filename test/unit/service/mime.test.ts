/**
 * Reading inbound email: who sent it, the ids it quotes, whether a machine sent it (never answered),
 * SES's verdicts judged, attachments kept within their limits — from raw RFC 5322 messages.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { refInSubject } from '#service/cases.js';
import { bareId } from '#service/inbound.js';
import { ATTACHMENT_LIMITS, judge, parseInbound, storedType } from '#service/mime.js';

const raw = (headers: string[], body = 'Hello') =>
  new TextEncoder().encode(
    `${[...headers, 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8'].join('\r\n')}\r\n\r\n${body}\r\n`,
  );
const base = ['From: Ada Lovelace <ada@example.com>', 'To: support@tendril.local', 'Subject: Help'];
const parse = (bytes: Uint8Array, stored: string[] = []) =>
  parseInbound(bytes, 'in-1', {}, async (key) => void stored.push(key), 'case-files/');

describe('inbound email', () => {
  it('reads the sender, the subject, the text and the ids it quotes', async () => {
    const mail = await parse(
      raw([
        ...base,
        'Message-ID: <b@example.com>',
        'Cc: Bob <bob@example.com>, carol@example.com',
        'In-Reply-To: <a@tendril>',
        'References: <x@tendril> <a@tendril>',
      ]),
    );
    assert.deepEqual(mail.from, { address: 'ada@example.com', name: 'Ada Lovelace' });
    assert.deepEqual(mail.to, ['support@tendril.local']);
    assert.deepEqual(mail.cc, ['bob@example.com', 'carol@example.com']);
    assert.equal(mail.subject, 'Help');
    assert.equal(mail.text.trim(), 'Hello');
    assert.equal(mail.messageId, '<b@example.com>');
    assert.equal(mail.inReplyTo, '<a@tendril>');
    assert.deepEqual(mail.references, ['<x@tendril>', '<a@tendril>']);
    assert.equal(mail.automatic, false);
    assert.equal(mail.verdict, 'trusted');
  });

  it('knows mail a machine sent: autoresponders, bulk and list mail, bounces', async () => {
    const cases: Array<[string[], boolean]> = [
      [['Auto-Submitted: auto-replied'], true],
      [['Auto-Submitted: no'], false],
      [['Precedence: bulk'], true],
      [['Precedence: junk'], true],
      [['List-Id: <news.example.com>'], true],
      [['X-Autoreply: yes'], true],
      [['X-Auto-Response-Suppress: OOF, AutoReply'], true],
    ];
    for (const [extra, automatic] of cases)
      assert.equal((await parse(raw([...base, ...extra]))).automatic, automatic, extra.join());
    const bounce = await parse(
      raw(['From: MAILER-DAEMON@mx.example.com', 'To: support@tendril.local', 'Subject: x']),
    );
    assert.equal(bounce.automatic, true);
  });

  it('judges SES verdicts: a virus is dropped, failed DMARC (or SPF and DKIM) is spoofed, spam flagged', () => {
    assert.equal(judge({ virus: 'FAIL', spam: 'PASS' }), 'virus');
    assert.equal(judge({ dmarc: 'FAIL' }), 'spoofed');
    assert.equal(judge({ spf: 'FAIL', dkim: 'FAIL' }), 'spoofed');
    assert.equal(judge({ spf: 'FAIL', dkim: 'PASS', dmarc: 'PASS' }), 'trusted');
    assert.equal(judge({ spam: 'FAIL' }), 'spam');
    assert.equal(judge({ spam: 'PASS', virus: 'PASS', spf: 'GRAY' }), 'trusted');
  });

  it('keeps attachments within the limits and refuses the others, saying why', async () => {
    const boundary = 'XYZ';
    const part = (name: string, content: string) =>
      [
        `--${boundary}`,
        `Content-Type: application/octet-stream; name="${name}"`,
        `Content-Disposition: attachment; filename="${name}"`,
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from(content).toString('base64'),
      ].join('\r\n');
    const big = 'x'.repeat(ATTACHMENT_LIMITS.maxBytes + 1);
    const body = [
      `--${boundary}`,
      'Content-Type: text/plain',
      '',
      'See attached',
      part('report.pdf', 'pdf bytes'),
      part('setup.exe', 'MZ'),
      part('huge.bin', big),
      `--${boundary}--`,
    ].join('\r\n');
    const bytes = new TextEncoder().encode(
      `${[...base, 'MIME-Version: 1.0', `Content-Type: multipart/mixed; boundary="${boundary}"`].join('\r\n')}\r\n\r\n${body}\r\n`,
    );
    const stored: string[] = [];
    const mail = await parseInbound(bytes, 'in-2', {}, async (key) => void stored.push(key), 'case-files/');
    assert.deepEqual(
      mail.attachments.map((a) => [a.filename, a.refused ?? 'kept']),
      [
        ['report.pdf', 'kept'],
        ['setup.exe', 'type_not_allowed'],
        ['huge.bin', 'too_large'],
      ],
    );
    assert.deepEqual(stored, ['case-files/in-2/1-report.pdf']);
    const infected = await parseInbound(
      bytes,
      'in-3',
      { virus: 'FAIL' },
      async (key) => void stored.push(key),
      'p/',
    );
    assert.equal(infected.verdict, 'virus');
    assert.deepEqual(infected.attachments, []);
    assert.equal(stored.length, 1, 'nothing of an infected message is stored');
  });

  it('finds the case reference in a subject and compares ids without brackets or case', () => {
    assert.equal(refInSubject('Re: Help [#k7q2m9xa]'), 'K7Q2M9XA');
    assert.equal(refInSubject('Re: Help [#K7Q2]'), undefined);
    assert.equal(refInSubject('Help'), undefined);
    assert.equal(bareId(' <ABC@Example.com> '), 'abc@example.com');
  });

  it('stores each attachment with its own media type, never one a browser would run', async () => {
    const boundary = 'T';
    const part = (name: string, type: string) =>
      [
        `--${boundary}`,
        `Content-Type: ${type}; name="${name}"`,
        `Content-Disposition: attachment; filename="${name}"`,
        '',
        'x',
      ].join('\r\n');
    const body = [
      `--${boundary}`,
      'Content-Type: text/plain',
      '',
      'See attached',
      part('notes.txt', 'text/plain'),
      part('page.html', 'text/html'),
      part('scan.pdf', 'application/pdf'),
      `--${boundary}--`,
    ].join('\r\n');
    const bytes = new TextEncoder().encode(
      `${[...base, 'MIME-Version: 1.0', `Content-Type: multipart/mixed; boundary="${boundary}"`].join('\r\n')}\r\n\r\n${body}\r\n`,
    );
    const types: Record<string, string> = {};
    await parseInbound(
      bytes,
      'in-3',
      {},
      async (key, _bytes, type) => {
        types[key] = type;
      },
      'case-files/',
    );
    assert.deepEqual(types, {
      'case-files/in-3/1-notes.txt': 'text/plain',
      'case-files/in-3/2-page.html': 'application/octet-stream',
      'case-files/in-3/3-scan.pdf': 'application/pdf',
    });
    assert.equal(storedType('image/svg+xml'), 'application/octet-stream');
    assert.equal(storedType('not a type'), 'application/octet-stream');
    assert.equal(storedType(undefined), 'application/octet-stream');
  });
});
