/**
 * An article's Markdown rendered to HTML (marked, GitHub-flavoured) and then sanitized
 * (sanitize-html): an allow-list of text tags and attributes, links only to http(s), mailto, tel or
 * the same site, images only from https. No script, no style, no event handler attribute, no
 * `javascript:` link survives, whatever the Markdown (raw HTML in it included) says. Both libraries
 * are loaded on first use: the help centre's pages, which only show what publishing rendered, never
 * compile them at a cold start.
 */
import type sanitizeHtml from 'sanitize-html';

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    'h1',
    'h2',
    'h3',
    'h4',
    'h5',
    'h6',
    'p',
    'br',
    'hr',
    'blockquote',
    'pre',
    'code',
    'kbd',
    'em',
    'strong',
    'del',
    's',
    'sub',
    'sup',
    'a',
    'ul',
    'ol',
    'li',
    'dl',
    'dt',
    'dd',
    'table',
    'thead',
    'tbody',
    'tr',
    'th',
    'td',
    'img',
    'input',
  ],
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    th: ['align'],
    td: ['align'],
    ol: ['start'],
    code: ['class'],
    // GitHub task lists: a disabled checkbox.
    input: ['type', 'checked', 'disabled'],
  },
  allowedClasses: { code: [/^language-[\w-]+$/] },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['https'] },
  allowedSchemesAppliedToAttributes: ['href', 'src'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Only a checkbox survives as an input, and only disabled; an image only with an https address (the
  // schemes above leave a relative address alone).
  exclusiveFilter: (frame) =>
    (frame.tag === 'input' && (frame.attribs.type !== 'checkbox' || frame.attribs.disabled === undefined)) ||
    (frame.tag === 'img' && !/^https:\/\//i.test(frame.attribs.src ?? '')),
  transformTags: {
    // A link leaving the site does not hand it the opener or the page it came from.
    a: (tagName, { rel: _authors, ...attribs }) => ({
      tagName,
      attribs: /^https?:/i.test(attribs.href ?? '') ? { ...attribs, rel: 'noopener noreferrer' } : attribs,
    }),
  },
};
// `rel` is set by the transform above, never taken from the author.
(SANITIZE.allowedAttributes as Record<string, string[]>).a?.push('rel');

let libraries: Promise<{ parse: (markdown: string) => string; sanitize: typeof sanitizeHtml }> | undefined;
const load = () =>
  (libraries ??= Promise.all([import('marked'), import('sanitize-html')]).then(([{ Marked }, sanitize]) => {
    const marked = new Marked({ gfm: true, breaks: false });
    return { parse: (markdown) => marked.parse(markdown, { async: false }), sanitize: sanitize.default };
  }));

/** The article's Markdown as the help centre shows it: rendered, then sanitized. */
export async function renderMarkdown(markdown: string): Promise<string> {
  const { parse, sanitize } = await load();
  return sanitize(parse(markdown), SANITIZE).trim();
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

/** The text of sanitized HTML, for the search index and excerpts (tags dropped, entities decoded). */
export async function plainText(html: string): Promise<string> {
  const { sanitize } = await load();
  return sanitize(html, { allowedTags: [], allowedAttributes: {} })
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, e: string) => ENTITIES[e] ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The first words of a text, at most `max` characters, cut at a word. */
export function excerptOf(text: string, max = 200): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}
