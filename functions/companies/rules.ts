/**
 * The pure rules of companies: domains (normalized, a contact's from its email), the free-mail
 * domains that never make or join a company, the name key lists are sorted and searched by, and a
 * company's lifecycle stage rolled up from its people's.
 */
import { LIFECYCLE_STAGES } from '#platform/events-marketing.js';
import { unaccented } from '#platform/values.js';

export type Stage = (typeof LIFECYCLE_STAGES)[number];

const DOMAIN =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})$/;

/**
 * A domain as stored: lower case, without scheme, `www.`, port, path or trailing dot
 * (`https://WWW.Example.com:443/about` → `example.com`); undefined when it is no host name.
 */
export function normalizeDomain(raw: string): string | undefined {
  let host = raw.trim().toLowerCase();
  host = host.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  host = host.replace(/^[^@/]*@/, '');
  host = host.split(/[/?#]/, 1)[0] ?? '';
  host = host
    .replace(/:\d+$/, '')
    .replace(/\.$/, '')
    .replace(/^www\./, '');
  return DOMAIN.test(host) ? host : undefined;
}

/**
 * Mailbox providers anyone can sign up with: a contact at one of these is a person, not a company's
 * employee, so its domain never creates or joins a company (a short list of the big ones; a company
 * can still be given such a contact by hand).
 */
export const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'hotmail.com',
  'hotmail.co.uk',
  'hotmail.fr',
  'live.com',
  'msn.com',
  'yahoo.com',
  'yahoo.co.uk',
  'yahoo.fr',
  'ymail.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'gmx.com',
  'gmx.de',
  'gmx.net',
  'web.de',
  'mail.com',
  'mail.ru',
  'yandex.ru',
  'yandex.com',
  'zoho.com',
  'qq.com',
  '163.com',
  'fastmail.com',
  'hey.com',
  'tutanota.com',
  'orange.fr',
  'free.fr',
  'laposte.net',
  'comcast.net',
  'att.net',
  'verizon.net',
]);

export const isFreeMail = (domain: string) => FREE_MAIL_DOMAINS.has(domain);

/** The company domain of an email address: its domain, normalized, unless it is a free-mail one. */
export function companyDomainOf(email: string): string | undefined {
  const at = email.lastIndexOf('@');
  if (at < 0) return undefined;
  const domain = normalizeDomain(email.slice(at + 1));
  return domain && !isFreeMail(domain) ? domain : undefined;
}

/**
 * The key a company's name is listed and searched by: lower case, accents and punctuation dropped,
 * spaces collapsed (`  Société  Générale!` → `societe generale`). A `q` is keyed the same way.
 */
export const nameKey = (name: string): string =>
  unaccented(name)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s]+/gu, '')
    .replace(/\s+/g, ' ')
    .trim();

/** The most advanced of these lifecycle stages (subscriber … evangelist), if any. */
export function mostAdvancedStage(stages: Iterable<Stage | undefined>): Stage | undefined {
  let best = -1;
  for (const stage of stages) {
    const rank = stage ? LIFECYCLE_STAGES.indexOf(stage) : -1;
    if (rank > best) best = rank;
  }
  return best < 0 ? undefined : LIFECYCLE_STAGES[best];
}
