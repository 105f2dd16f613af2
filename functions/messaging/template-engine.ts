/**
 * Email templates with LiquidJS: `{{ contact.firstName | default: "there" }}`. HTML bodies escape
 * every output; subjects and text bodies are plain text. Templates cannot read files (include/render
 * have no file system) and rendering is bounded in time and memory.
 */
import type { Liquid } from 'liquidjs';
import type { Contact } from '#contacts/model.js';
import type { ErrorDetail } from '#platform/errors.js';
import type { RenderedEmail } from './model.js';

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

const limits = {
  strictFilters: true,
  ownPropertyOnly: true,
  parseLimit: 100_000,
  renderLimit: 1_000,
  memoryLimit: 10_000_000,
};
/**
 * The two engines, loaded on first use: only a function that renders or checks a template pays for
 * LiquidJS (about 80 KB and 35 ms of import), not every cold start of the functions that bundle it.
 */
let engines: Promise<{ html: Liquid; text: Liquid }> | undefined;
const loadEngines = () =>
  (engines ??= import('liquidjs').then(({ Liquid }) => ({
    html: new Liquid({ ...limits, fs: noFiles, relativeReference: false, outputEscape: 'escape' }),
    text: new Liquid({ ...limits, fs: noFiles, relativeReference: false }),
  })));

export interface TemplateSource {
  subject: string;
  html: string;
  text?: string | undefined;
}

/** Parses every part; returns one problem per part that does not compile (empty when all do). */
export async function checkTemplate(source: TemplateSource): Promise<ErrorDetail[]> {
  const { html, text } = await loadEngines();
  const problems: ErrorDetail[] = [];
  const parts: Array<[keyof TemplateSource, Liquid]> = [
    ['subject', text],
    ['html', html],
    ['text', text],
  ];
  for (const [part, engine] of parts) {
    const value = source[part];
    if (value === undefined) continue;
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
      fields: contact.fields,
      tags: contact.tags,
    },
    unsubscribeUrl: extra.unsubscribeUrl,
  };
}

const htmlToText = (html: string) =>
  html
    .replace(/<(br|\/p|\/div|\/h\d|\/li)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();

export async function renderTemplate(source: TemplateSource, context: object): Promise<RenderedEmail> {
  const engine = await loadEngines();
  const [subject, html, text] = await Promise.all([
    engine.text.parseAndRender(source.subject, context),
    engine.html.parseAndRender(source.html, context),
    source.text === undefined ? Promise.resolve(undefined) : engine.text.parseAndRender(source.text, context),
  ]);
  return { subject: subject.replace(/[\r\n]+/g, ' ').trim(), html, text: text ?? htmlToText(html) };
}
