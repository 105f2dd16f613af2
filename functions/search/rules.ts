/**
 * Tokenization of the search index (pure): how a contact or a company becomes index tokens, and how a
 * query becomes the token the index is read by plus the tokens its hits are filtered by.
 *
 * Text is folded (NFKD, accents dropped, lower case, ß → ss, æ → ae, ø → o …) and split into words
 * on anything that is no letter or digit; a compound (`jean-luc`, `o'brien`, `ada.lovelace`) gives its
 * parts and its joined form. A phone gives its digits and every suffix of them (4 digits or more),
 * so any formatting and any tail of a number finds it. Tokens of one character and an email's last
 * domain label (`com`) are kept as *extra* terms: they filter hits but are not index items.
 */

/**
 * Bumped when tokenization changes: the backfill then reindexes every record. 2: a contact's name
 * order entry (`sortNameOf`), so the contacts that existed before it get theirs.
 */
export const INDEX_VERSION = 2;
/** The index partition of a token: its first characters (`SEARCH#ad` holds `ada`, `adams` …). */
export const PREFIX_LENGTH = 2;
/** Tokens are cut to this many characters (a longer query word is cut the same way). */
export const MAX_TOKEN_LENGTH = 40;
/** At most this many index items per record (a transaction replaces them all, with room to spare). */
export const MAX_TOKENS = 45;
/** Words of a query beyond this many are ignored. */
export const MAX_QUERY_TOKENS = 8;
const MIN_SUFFIX = 4;

const SPECIAL: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

/** Case and accents folded: `Ådá Łovelace` → `ada lovelace`. */
export function fold(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþı]/g, (c) => SPECIAL[c] ?? c);
}

const cut = (token: string) => Array.from(token).slice(0, MAX_TOKEN_LENGTH).join('');
const parts = (chunk: string) => chunk.split(/[^\p{L}\p{N}]+/u).filter((p) => p !== '');

/** The words of a text: each whitespace-separated chunk's parts, and a compound's joined form. */
export function words(text: string): string[] {
  const out: string[] = [];
  for (const chunk of fold(text).split(/\s+/)) {
    const p = parts(chunk);
    out.push(...p);
    if (p.length > 1) out.push(p.join(''));
  }
  return out.map(cut);
}

/** The digits of a phone number, whatever its formatting. */
export const digitsOf = (phone: string) => phone.replace(/\D+/g, '');

/** A number's digits and its suffixes of 4 digits or more (`442079460958` … `0958`). */
function phoneTokens(phone: string): string[] {
  const digits = cut(digitsOf(phone));
  if (digits.length < MIN_SUFFIX) return digits ? [digits] : [];
  const out: string[] = [];
  for (let i = 0; i + MIN_SUFFIX <= digits.length; i++) out.push(digits.slice(i));
  return out;
}

/** What a record is indexed by: `tokens` (one index item each) and `extra` (filter-only terms). */
export interface Terms {
  tokens: string[];
  extra: string[];
}

/** The material of a record's terms, in order of importance (the first tokens are kept when over MAX_TOKENS). */
export interface TermSource {
  names?: Array<string | undefined>;
  emails?: Array<string | undefined>;
  domains?: Array<string | undefined>;
  phones?: Array<string | undefined>;
}

function domainTerms(domain: string): { indexed: string[]; extra: string[] } {
  const labels = fold(domain).split('.').filter(Boolean);
  const last = labels.length > 1 ? labels.pop() : undefined;
  return {
    indexed: labels.flatMap(words),
    extra: last ? words(last) : [],
  };
}

export function termsOf(source: TermSource): Terms {
  const candidates: string[] = [];
  const extra: string[] = [];
  for (const name of source.names ?? []) if (name) candidates.push(...words(name));
  for (const email of source.emails ?? []) {
    if (!email) continue;
    const at = email.lastIndexOf('@');
    const local = at >= 0 ? email.slice(0, at) : email;
    candidates.push(...words(local));
    if (at >= 0) {
      const d = domainTerms(email.slice(at + 1));
      candidates.push(...d.indexed);
      extra.push(...d.extra);
    }
  }
  for (const domain of source.domains ?? []) {
    if (!domain) continue;
    const d = domainTerms(domain);
    candidates.push(...d.indexed);
    extra.push(...d.extra);
  }
  for (const phone of source.phones ?? []) if (phone) candidates.push(...phoneTokens(phone));
  const tokens: string[] = [];
  for (const t of candidates) {
    if (Array.from(t).length < PREFIX_LENGTH) extra.push(t);
    else if (!tokens.includes(t) && tokens.length < MAX_TOKENS) tokens.push(t);
  }
  return {
    tokens: tokens.sort(),
    extra: [...new Set(extra)].filter((t) => !tokens.includes(t)).sort(),
  };
}

/** A query as the index reads it: `primary` is queried (a prefix), every `filters` word must match too. */
export interface ParsedQuery {
  primary: string;
  filters: string[];
}

/** What a query must have (the route's and the use case's message). */
export const QUERY_RULE = 'must contain a word of at least 2 letters or digits';

const PHONE_LIKE = /^[\d\s()+.\-/]+$/;

/**
 * The query's tokens: a phone-like query (digits and phone punctuation, 3 digits or more) is one
 * number (a full number, 7 digits or more, loses its leading zeros: `020 7946 0958` finds
 * `+44 20 7946 0958`); any other is its words. The longest word is read from the index, the others
 * filter. Undefined when no word has 2 characters (nothing to read the index by).
 */
export function parseQuery(q: string): ParsedQuery | undefined {
  const text = q.trim();
  let tokens: string[];
  if (PHONE_LIKE.test(text) && digitsOf(text).length >= 3) {
    const digits = cut(digitsOf(text));
    tokens = [digits.length >= 7 ? digits.replace(/^0+/, '') || digits : digits];
  } else {
    tokens = fold(text).split(/\s+/).flatMap(parts).map(cut);
  }
  const unique = [...new Set(tokens)];
  // A word that starts another adds nothing (`ada adam` is `adam`).
  const kept = unique
    .filter((t) => !unique.some((o) => o !== t && o.startsWith(t)))
    .slice(0, MAX_QUERY_TOKENS);
  const byLength = [...kept].sort((a, b) => Array.from(b).length - Array.from(a).length);
  const [primary, ...filters] = byLength;
  if (!primary || Array.from(primary).length < PREFIX_LENGTH) return undefined;
  return { primary, filters };
}

/** The index partition of a token (its first PREFIX_LENGTH characters). */
export const prefixOf = (token: string) => Array.from(token).slice(0, PREFIX_LENGTH).join('');

/** Does a record with these terms match every filter word (each a prefix of one of its terms)? */
export const matchesFilters = (terms: Terms, filters: readonly string[]) =>
  filters.every((f) => terms.tokens.some((t) => t.startsWith(f)) || terms.extra.some((t) => t.startsWith(f)));

/**
 * The one token of a record a query's `primary` word returns it at: its smallest token starting with
 * it. A record with several such tokens (`ada`, `adams`) is a result once, at that token, on
 * whichever page it falls.
 */
export function canonicalToken(tokens: readonly string[], primary: string): string | undefined {
  let best: string | undefined;
  for (const t of tokens) if (t.startsWith(primary) && (best === undefined || t < best)) best = t;
  return best;
}

/** A contact's display name: its names, or its email when it has none. */
export const contactName = (c: { firstName?: string; lastName?: string; email: string }) =>
  [c.firstName, c.lastName].filter(Boolean).join(' ') || c.email;

/** A sort name is cut to this many characters (the index's sort key stays far below its 1,024 bytes). */
export const MAX_SORT_NAME = 100;

/**
 * Where a contact comes in the list by name: its first name then its last name (as the Name column
 * shows them, and as HubSpot's Name column sorts), folded (case and accents dropped: `Élodie` sorts
 * with `elodie`), punctuation inside a word dropped (`O'Brien` is `obrien`, `Jean-Luc` `jeanluc`),
 * words joined by one space. A contact without a name comes by its email (folded), among the names
 * (`ada@…` near Ada), as search results name it (`contactName`).
 */
export function sortNameOf(c: { firstName?: string; lastName?: string; email: string }): string {
  const name = fold([c.firstName, c.lastName].filter(Boolean).join(' '))
    .split(/\s+/)
    .map((w) => w.replace(/[^\p{L}\p{N}]+/gu, ''))
    .filter(Boolean)
    .join(' ');
  return Array.from(name || fold(c.email).trim())
    .slice(0, MAX_SORT_NAME)
    .join('');
}
