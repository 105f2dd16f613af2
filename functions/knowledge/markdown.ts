/**
 * An article's Markdown rendered to HTML (marked, GitHub-flavoured) and then sanitized
 * (sanitize-html): an allow-list of text tags and attributes, links only to http(s), mailto, tel or
 * the same site, images only from https. No script, no style, no event handler attribute, no
 * `javascript:` link survives, whatever the Markdown (raw HTML in it included) says.
 */
import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

const marked = new Marked({ gfm: true, breaks: false });

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
  // Only a checkbox survives as an input, and only disabled.
  exclusiveFilter: (frame) =>
    frame.tag === 'input' && (frame.attribs.type !== 'checkbox' || frame.attribs.disabled === undefined),
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

/** Sanitizes HTML as an article's body may be (anything not on the allow-list is dropped). */
export const sanitizeArticleHtml = (html: string): string => sanitizeHtml(html, SANITIZE);

/** The article's Markdown as the help centre shows it: rendered, then sanitized. */
export function renderMarkdown(markdown: string): string {
  const raw = marked.parse(markdown, { async: false });
  return sanitizeArticleHtml(raw).trim();
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' };

/** The text of sanitized HTML, for the search index and excerpts (tags dropped, entities decoded). */
export function plainText(html: string): string {
  return sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} })
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
