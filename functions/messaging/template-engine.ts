/**
 * Email templates with LiquidJS: `{{ contact.firstName | default: "there" }}`. HTML bodies escape
 * every output; subjects and text bodies are plain text. Templates cannot reach files (include,
 * render and layout are refused when saved) and rendering is bounded: ranges and string building
 * by a memory budget, the whole render by a time budget, so no template holds the event loop for
 * more than about a tenth of a second. The text part, when not written, comes from the HTML by
 * html-to-text, links kept.
 */

import type { Liquid } from 'liquidjs';
import type { Contact } from '#contacts/model.js';
import { DomainError, type ErrorDetail } from '#platform/errors.js';
import { type LinkRewrite, rewriteHtmlLinks, rewriteTextLinks } from './links.js';
import type { RenderedEmail, TemplateWarning } from './model.js';

/** Elements a range may have and characters string filters may build, per render. */
export const RENDER_MEMORY_LIMIT = 100_000;
/** Milliseconds a render may take (checked between template nodes). */
export const RENDER_TIME_LIMIT_MS = 100;

const limits = {
  strictFilters: true,
  ownPropertyOnly: true,
  parseLimit: 100_000,
  renderLimit: RENDER_TIME_LIMIT_MS,
  memoryLimit: RENDER_MEMORY_LIMIT,
};

/** Tags that read other templates from a file system: a template is one self-contained text here. */
const REFUSED_TAGS = ['include', 'render', 'layout'] as const;
const refused = (tag: string): Parameters<Liquid['registerTag']>[1] => ({
  parse() {
    throw new Error(`the ${tag} tag is not available: a template is self-contained`);
  },
  render() {
    return '';
  },
});

const noFiles = {
  exists: async () => false,
  existsSync: () => false,
  readFile: async () => {
    throw new Error('templates cannot include files');
  },
  readFileSync: () => {
    throw new Error('templates cannot include files');
  },
  resolve: (_root: string, file: string) => file,
};

/**
 * The engines and html-to-text, loaded on first use: only a function that renders or checks a
 * template pays for them, not every cold start of the functions that bundle them.
 */
let engines: Promise<{ html: Liquid; text: Liquid; toText: (html: string) => string }> | undefined;
const loadEngines = () =>
  (engines ??= Promise.all([import('liquidjs'), import('html-to-text')]).then(([{ Liquid }, { convert }]) => {
    const make = (escapeOutput: boolean) => {
      const engine = new Liquid({
        ...limits,
        fs: noFiles,
        relativeReference: false,
        ...(escapeOutput ? { outputEscape: 'escape' as const } : {}),
      });
      for (const tag of REFUSED_TAGS) engine.registerTag(tag, refused(tag));
      return engine;
    };
    const toText = (html: string) =>
      convert(html, {
        wordwrap: 100,
        selectors: [
          { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
          { selector: 'img', format: 'skip' },
        ],
      });
    return { html: make(true), text: make(false), toText };
  }));

export interface TemplateSource {
  subject: string;
  html: string;
  text?: string | undefined;
}

/** A template that could not be rendered (it hit a limit, or broke at render time). */
export class TemplateRenderError extends DomainError {
  constructor(reason: string) {
    super('invalid', 'template_render_failed', `the template cannot be rendered: ${reason}`);
  }
}

/** The variables a template may use, by top-level name (what `mergeContext` provides). */
const KNOWN_ROOTS = new Set(['contact', 'unsubscribeUrl']);
const CONTACT_KEYS = new Set([
  'id',
  'email',
  'firstName',
  'lastName',
  'company',
  'phone',
  'owner',
  'fields',
  'tags',
]);

/** The template's parts that are present, each with the engine it renders with. */
async function partsOf(
  source: TemplateSource,
): Promise<Array<{ part: keyof TemplateSource; value: string; engine: Liquid }>> {
  const { html, text } = await loadEngines();
  const all: Array<[keyof TemplateSource, Liquid]> = [
    ['subject', text],
    ['html', html],
    ['text', text],
  ];
  return all.flatMap(([part, engine]) => {
    const value = source[part];
    return value === undefined ? [] : [{ part, value, engine }];
  });
}

/** Parses every part; returns one problem per part that does not compile (empty when all do). */
export async function checkTemplate(source: TemplateSource): Promise<ErrorDetail[]> {
  const problems: ErrorDetail[] = [];
  for (const { part, value, engine } of await partsOf(source)) {
    try {
      engine.parse(value);
    } catch (err) {
      problems.push({
        path: part,
        code: 'template_syntax',
        message: (err as Error).message.split('\n')[0] ?? 'invalid template',
      });
    }
  }
  return problems;
}

/**
 * What a marketer should know before sending a template that compiles: variables Tendril does not
 * provide (they render empty), and a marketing email without its unsubscribe link.
 */
export async function templateWarnings(source: TemplateSource): Promise<TemplateWarning[]> {
  const warnings: TemplateWarning[] = [];
  let mentionsUnsubscribe = false;
  for (const { part, value, engine } of await partsOf(source)) {
    const segments = engine.globalVariableSegmentsSync(value);
    for (const segment of segments) {
      const [root, key] = segment.map(String);
      if (root === 'unsubscribeUrl') mentionsUnsubscribe = true;
      const name = segment.map(String).join('.');
      if (!root || !KNOWN_ROOTS.has(root)) {
        warnings.push({
          path: part,
          code: 'unknown_variable',
          message: `{{ ${name} }} is not a variable Tendril provides: it renders empty`,
        });
      } else if (root === 'contact' && key !== undefined && !CONTACT_KEYS.has(key)) {
        warnings.push({
          path: part,
          code: 'unknown_variable',
          message: `{{ ${name} }} is not a contact property: it renders empty (custom fields are contact.fields.<name>)`,
        });
      }
    }
  }
  if (!mentionsUnsubscribe) {
    warnings.push({
      path: 'html',
      code: 'missing_unsubscribe',
      message:
        'the email has no {{ unsubscribeUrl }} link: recipients must be able to unsubscribe from marketing email (the List-Unsubscribe header is added, but most readers look for a link)',
    });
  }
  return warnings;
}

/**
 * A plain text with merge fields (a canned response): checked (its syntax error, if any) or rendered
 * with the text engine, bounded as templates are.
 */
export async function textTemplateError(text: string): Promise<string | undefined> {
  try {
    (await loadEngines()).text.parse(text);
    return undefined;
  } catch (err) {
    return (err as Error).message.split('\n')[0] ?? 'invalid template';
  }
}

export async function renderText(text: string, context: object): Promise<string> {
  try {
    return await (await loadEngines()).text.parseAndRender(text, context);
  } catch (err) {
    throw new TemplateRenderError((err as Error).message.split('\n')[0] ?? 'render failed');
  }
}

/** The merge fields a template sees. */
export function mergeContext(contact: Contact, extra: { unsubscribeUrl: string }) {
  return {
    contact: {
      id: contact.id,
      email: contact.email,
      firstName: contact.firstName,
      lastName: contact.lastName,
      company: contact.company,
      phone: contact.phone,
      owner: contact.owner,
      fields: contact.fields,
      tags: contact.tags,
    },
    unsubscribeUrl: extra.unsubscribeUrl,
  };
}

/** Renders the three parts; a template that breaks or exceeds a limit is a TemplateRenderError. */
/** Renders a template; `links` rewrites its links (a campaign's UTM parameters) before the text is derived. */
export async function renderTemplate(
  source: TemplateSource,
  context: object,
  links?: LinkRewrite,
): Promise<RenderedEmail> {
  const engine = await loadEngines();
  try {
    // One after another: the time budget is per render, and parts must not race for the loop.
    const subject = await engine.text.parseAndRender(source.subject, context);
    const rendered = await engine.html.parseAndRender(source.html, context);
    const html = links ? rewriteHtmlLinks(rendered, links) : rendered;
    const written =
      source.text === undefined ? undefined : await engine.text.parseAndRender(source.text, context);
    const text =
      written === undefined ? engine.toText(html) : links ? rewriteTextLinks(written, links) : written;
    return { subject: subject.replace(/[\r\n]+/g, ' ').trim(), html, text };
  } catch (err) {
    throw new TemplateRenderError((err as Error).message.split('\n')[0] ?? 'render failed');
  }
}
