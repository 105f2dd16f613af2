/**
 * Email templates with LiquidJS: `{{ contact.firstName | default: "there" }}`. HTML bodies escape
 * every output; subjects and text bodies are plain text. Templates cannot read files (include/render
 * have no file system) and rendering is bounded in time and memory.
 */
import { Liquid } from 'liquidjs';
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
const htmlEngine = new Liquid({ ...limits, fs: noFiles, relativeReference: false, outputEscape: 'escape' });
const textEngine = new Liquid({ ...limits, fs: noFiles, relativeReference: false });

export interface TemplateSource {
  subject: string;
  html: string;
  text?: string | undefined;
}

/** Parses every part; returns one problem per part that does not compile (empty when all do). */
export function checkTemplate(source: TemplateSource): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const parts: Array<[keyof TemplateSource, Liquid]> = [
    ['subject', textEngine],
    ['html', htmlEngine],
    ['text', textEngine],
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
  const [subject, html, text] = await Promise.all([
    textEngine.parseAndRender(source.subject, context),
    htmlEngine.parseAndRender(source.html, context),
    source.text === undefined ? Promise.resolve(undefined) : textEngine.parseAndRender(source.text, context),
  ]);
  return { subject: subject.replace(/[\r\n]+/g, ' ').trim(), html, text: text ?? htmlToText(html) };
}
