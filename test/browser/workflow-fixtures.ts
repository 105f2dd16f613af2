/**
 * What the workflow browser tests start from, made through the API: email templates (a heading, a
 * "Read more" link, the unsubscribe link) and a public form without a spam token.
 */
import assert from 'node:assert/strict';
import type { adminClient } from '#test/support/local-server.js';

type Api = ReturnType<typeof adminClient>;

/** Templates by name, from [name, subject] pairs; returns their ids by name. */
export async function makeTemplates(api: Api, list: ReadonlyArray<readonly [string, string]>) {
  const ids: Record<string, string> = {};
  for (const [name, subject] of list) {
    const res = await api('POST', '/v1/templates', {
      name,
      subject,
      html: `<h1>${subject}</h1><p><a href="https://example.com/${name.toLowerCase()}">Read more</a></p><a href="{{ unsubscribeUrl }}">Unsubscribe</a>`,
    });
    assert.equal(res.status, 201, JSON.stringify(res.json));
    ids[name] = res.json.id;
  }
  return ids;
}

/** A form asking for an email and a first name, tagging its leads with `tag`; returns its id. */
export async function makeForm(api: Api, name: string, tag: string): Promise<string> {
  const form = await api('POST', '/v1/forms', {
    name,
    fields: ['email', 'firstName'],
    tags: [tag],
    spam: { requireToken: false },
  });
  assert.equal(form.status, 201, JSON.stringify(form.json));
  return form.json.id;
}
