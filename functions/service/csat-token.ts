/**
 * The signed token of a CSAT survey's rating links: `<caseId>.<score>.<expires>.<mac>` (expires in
 * seconds since the epoch). One link per score, valid 30 days; it grants nothing beyond rating that
 * one case, so a score or another case cannot be reached by editing a link.
 */
import { ULID_PATTERN } from '#platform/ids.js';
import { mac, macMatches } from '#platform/signing.js';

const PURPOSE = 'csat';
export const RATING_LINK_DAYS = 30;
export const SCORES = [1, 2, 3, 4, 5] as const;

export interface RatingLink {
  caseId: string;
  score: number;
  /** When the link stops working (seconds since the epoch). */
  expires: number;
}

/** When links made at `now` stop working (seconds since the epoch). */
export const linkExpiry = (now: Date) => Math.floor(now.getTime() / 1000) + RATING_LINK_DAYS * 24 * 3600;

/** The token of the link that rates the case `score`, working until `expires` (see linkExpiry). */
export function signRatingToken(secret: string, { caseId, score, expires }: RatingLink): string {
  return `${caseId}.${score}.${expires}.${mac(secret, PURPOSE, caseId, score, expires)}`;
}

export type RatingTokenCheck = { ok: true; link: RatingLink } | { ok: false; reason: 'invalid' | 'expired' };

/** What the token names: `invalid` when forged or cut, `expired` when genuine but past its 30 days. */
export function verifyRatingToken(secret: string, token: string, now: Date): RatingTokenCheck {
  const [caseId, scoreText, expiresText, given, ...rest] = token.split('.');
  if (!caseId || !scoreText || !expiresText || !given || rest.length > 0)
    return { ok: false, reason: 'invalid' };
  if (!ULID_PATTERN.test(caseId) || !/^[1-5]$/.test(scoreText) || !/^\d{1,12}$/.test(expiresText))
    return { ok: false, reason: 'invalid' };
  const score = Number(scoreText);
  const expires = Number(expiresText);
  if (!macMatches(mac(secret, PURPOSE, caseId, score, expires), given))
    return { ok: false, reason: 'invalid' };
  if (expires * 1000 <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, link: { caseId, score, expires } };
}

/** The public page a rating link leads to (records the score, offers a comment). */
export const ratingUrl = (publicUrl: string, token: string) => `${publicUrl}/csat/${token}`;
