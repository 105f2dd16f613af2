/**
 * A raw inbound email (RFC 5322, as SES's receipt rule stores it in S3, or the local SMTP server
 * receives it) read with mailparser: addresses, threading ids, text, whether a machine sent it, and
 * its attachments stored (within limits) through the given port. SES's verdicts judge spoofing.
 */
import type { AddressObject, ParsedMail } from 'mailparser';
import type { InboundEmail } from './inbound.js';
import type { Attachment } from './model.js';

/** Attachments kept: each at most 10 MB, at most 10 per message, never executables or scripts. */
export const ATTACHMENT_LIMITS = { maxBytes: 10 * 1024 * 1024, maxCount: 10 } as const;
const BLOCKED_EXTENSIONS =
  /\.(exe|com|bat|cmd|scr|pif|msi|msp|js|jse|vbs|vbe|wsf|wsh|ps1|jar|hta|cpl|lnk|reg|dll|iso|img)$/i;

/** SES's receipt verdicts (`PASS`, `FAIL`, `GRAY`, `PROCESSING_FAILED`); none locally. */
export interface Verdicts {
  spam?: string;
  virus?: string;
  spf?: string;
  dkim?: string;
  dmarc?: string;
}

export function judge(v: Verdicts): InboundEmail['verdict'] {
  if (v.virus === 'FAIL') return 'virus';
  if (v.dmarc === 'FAIL' || (v.spf === 'FAIL' && v.dkim === 'FAIL')) return 'spoofed';
  if (v.spam === 'FAIL') return 'spam';
  return 'trusted';
}

/** A header's raw value (mailparser groups some, such as List-*, into objects; its lines are plain). */
const header = (mail: ParsedMail, name: string): string | undefined => {
  const line = mail.headerLines.find((h) => h.key === name)?.line;
  return line === undefined ? undefined : line.slice(line.indexOf(':') + 1).trim();
};

/** Sent by a machine: an autoresponder, a bounce, a mailing list (RFC 3834, common vendor headers). */
export function isAutomatic(mail: ParsedMail, from: string): boolean {
  const auto = header(mail, 'auto-submitted')?.toLowerCase();
  if (auto && auto !== 'no') return true;
  if (/^(bulk|junk|list|auto_reply)$/i.test(header(mail, 'precedence')?.trim() ?? '')) return true;
  if (header(mail, 'x-autoreply') || header(mail, 'x-autorespond') || header(mail, 'list-id')) return true;
  if (/\b(all|oof|autoreply)\b/i.test(header(mail, 'x-auto-response-suppress') ?? '')) return true;
  if (/^(mailer-daemon|postmaster|no-?reply|do-?not-?reply)@/i.test(from)) return true;
  return /multipart\/report/i.test(header(mail, 'content-type') ?? '');
}

const addresses = (field: AddressObject | AddressObject[] | undefined): string[] =>
  (Array.isArray(field) ? field : field ? [field] : [])
    .flatMap((a) => a.value)
    .map((a) => a.address ?? '')
    .filter((a) => a !== '');

/**
 * The media type an attachment is stored (and so downloaded) with: the sender's own when it is a
 * plain `type/subtype` that no browser would run as a page or script, else a byte stream.
 */
export const storedType = (declared: string | undefined) =>
  declared &&
  /^[a-z0-9][\w.+-]*\/[\w.+-]+$/i.test(declared) &&
  !/html|xml|javascript|ecmascript/i.test(declared)
    ? declared.toLowerCase()
    : 'application/octet-stream';

const safeName = (name: string) => name.replace(/[^\w.-]+/g, '_').slice(-100) || 'attachment';

/** Reads the raw message; attachments within the limits are stored with `store` under `prefix`. */
export async function parseInbound(
  raw: Uint8Array,
  inboundId: string,
  verdicts: Verdicts,
  store: (key: string, bytes: Uint8Array, contentType: string) => Promise<void>,
  prefix: string,
): Promise<InboundEmail> {
  const { simpleParser } = await import('mailparser');
  const mail = await simpleParser(Buffer.from(raw), { skipHtmlToText: false });
  const sender = (mail.from?.value ?? [])[0];
  const fromAddress = sender?.address ?? header(mail, 'return-path')?.replace(/[<>]/g, '') ?? '';
  const verdict = judge(verdicts);
  const attachments: Attachment[] = [];
  for (const [i, a] of mail.attachments.entries()) {
    const filename = a.filename ?? `attachment-${i + 1}`;
    const base = { id: `${i + 1}`, filename, contentType: a.contentType, size: a.size };
    if (verdict === 'virus') continue;
    if (i >= ATTACHMENT_LIMITS.maxCount) attachments.push({ ...base, refused: 'too_many' });
    else if (a.size > ATTACHMENT_LIMITS.maxBytes) attachments.push({ ...base, refused: 'too_large' });
    else if (BLOCKED_EXTENSIONS.test(filename)) attachments.push({ ...base, refused: 'type_not_allowed' });
    else {
      const key = `${prefix}${inboundId}/${i + 1}-${safeName(filename)}`;
      await store(key, a.content, storedType(a.contentType));
      attachments.push({ ...base, key });
    }
  }
  const refs = mail.references;
  return {
    inboundId,
    from: { address: fromAddress, ...(sender?.name ? { name: sender.name } : {}) },
    to: addresses(mail.to),
    cc: addresses(mail.cc),
    subject: mail.subject ?? '',
    text: (mail.text ?? '').slice(0, 50_000),
    messageId: mail.messageId,
    inReplyTo: mail.inReplyTo,
    references: Array.isArray(refs) ? refs : refs ? refs.split(/\s+/).filter((r) => r !== '') : [],
    automatic: isAutomatic(mail, fromAddress),
    verdict,
    attachments,
  };
}
