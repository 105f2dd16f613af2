/**
 * Query parameters added to the links of an email (a campaign's UTM parameters), in its HTML (href
 * attributes, entity-escaped) and its text. Only absolute http(s) links change; a link's own
 * values win; `keep` links (the unsubscribe link) stay as they are.
 */
import { slug } from '#platform/values.js';

export function withParams(url: string, params: Record<string, string>): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return url;
  for (const [name, value] of Object.entries(params))
    if (!parsed.searchParams.has(name)) parsed.searchParams.set(name, value);
  return parsed.toString();
}

export type LinkRewrite = (url: string) => string;

export function linkRewrite(params: Record<string, string>, keep: (url: string) => boolean): LinkRewrite {
  return (url) => (keep(url) ? url : withParams(url, params));
}

const HREF = /(\bhref\s*=\s*)(["'])(.*?)\2/gi;
const URL_IN_TEXT = /https?:\/\/[^\s<>"'\])]+/g;

export function rewriteHtmlLinks(html: string, rewrite: LinkRewrite): string {
  return html.replace(HREF, (whole, before: string, quote: string, href: string) => {
    const raw = href.replace(/&amp;/g, '&');
    const out = rewrite(raw);
    return out === raw ? whole : `${before}${quote}${out.replace(/&/g, '&amp;')}${quote}`;
  });
}

export const rewriteTextLinks = (text: string, rewrite: LinkRewrite): string =>
  text.replace(URL_IN_TEXT, (url) => rewrite(url));

/** `utm_campaign` from a campaign's name: lower-case words joined by dashes. */
export const utmSlug = (name: string): string => slug(name, 100, 'campaign');
