import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { formPageCsp, renderFormPage } from '#capture/form-page.js';
import { rerenderToken, signFormToken, verifyFormToken } from '#capture/form-token.js';
import type { Form } from '#capture/model.js';
import { parseSubmission } from '#capture/parse.js';
import { CreateFormBody } from '#capture/routes.js';
import { DomainError } from '#platform/errors.js';
import { STATUS_OF } from '#platform/http/handler.js';

const form: Form = {
  id: '01JF0000000000000000000000',
  name: 'Webinar',
  fields: [
    { name: 'email', label: 'Email', type: 'email', required: true },
    { name: 'firstName', label: 'First name', type: 'text', required: false },
    { name: 'phone', label: 'Phone', type: 'tel', required: false },
    { name: 'seats', label: 'Seats', type: 'number', required: false },
    { name: 'newsletter', label: 'Newsletter', type: 'checkbox', required: false },
  ],
  tags: ['webinar'],
  consent: { text: 'I agree to be contacted', required: true },
  spam: { minFillSeconds: 3, requireToken: false },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

function problems(fn: () => unknown) {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof DomainError);
    assert.equal(STATUS_OF[err.kind], 400);
    return (err.details as Array<{ path: string; code: string }>).map((d) => `${d.path}:${d.code}`);
  }
  assert.fail('expected a validation error');
}

describe('form submissions', () => {
  it('maps declared fields onto the contact, custom fields and attribution', () => {
    const parsed = parseSubmission(form, {
      values: {
        email: ' Ann@Example.com ',
        firstName: 'Ann',
        seats: '3',
        newsletter: 'on',
        consent: 'on',
        utm_source: 'news',
      },
      query: { utm_campaign: 'spring' },
      referrer: 'https://blog.example.com/post?utm_medium=blog',
    });
    assert.equal(parsed.email, 'ann@example.com');
    assert.deepEqual(parsed.properties, { firstName: 'Ann' });
    assert.deepEqual(parsed.fields, { seats: 3, newsletter: true });
    assert.deepEqual(parsed.utm, { utm_source: 'news', utm_medium: 'blog', utm_campaign: 'spring' });
    assert.equal(parsed.consentGiven, true);
  });

  it('never sets who owns the contact, even from a field named owner', () => {
    const withOwner: Form = {
      ...form,
      fields: [...form.fields, { name: 'owner', label: 'Owner', type: 'text', required: false }],
    };
    const parsed = parseSubmission(withOwner, {
      values: { email: 'ann@example.com', owner: 'mallory', consent: 'on' },
      query: {},
    });
    assert.deepEqual(parsed.properties, {});
    assert.deepEqual(parsed.fields, { newsletter: false, owner: 'mallory' }, 'kept as the form’s own field');
  });

  it('rejects undeclared fields (no mass assignment) and lists every problem', () => {
    assert.deepEqual(
      problems(() =>
        parseSubmission(form, {
          values: { email: 'nope', tags: 'vip', id: 'x', phone: 'call me', seats: 'many' },
          query: {},
        }),
      ).sort(),
      [
        'consent:required',
        'email:invalid_value',
        'id:unknown_field',
        'phone:invalid_value',
        'seats:invalid_value',
        'tags:unknown_field',
      ],
    );
  });

  it('rejects repeated values and requires the email', () => {
    assert.deepEqual(
      problems(() => parseSubmission(form, { values: { firstName: ['a', 'b'], consent: 'on' }, query: {} })),
      ['firstName:invalid_type', 'email:required'],
    );
  });
});

describe('the time zone a submission carries', () => {
  const parse = (timeZone: unknown) =>
    parseSubmission(form, {
      values: { email: 'tz@example.com', firstName: 'Tia', consent: 'on', timeZone },
      query: {},
    });

  it('is stored in its canonical spelling on every form, declared or not', () => {
    assert.deepEqual(parse('europe/paris').properties, { firstName: 'Tia', timeZone: 'Europe/Paris' });
    assert.deepEqual(parse(' America/New_York ').properties, {
      firstName: 'Tia',
      timeZone: 'America/New_York',
    });
  });

  it('is dropped, never refusing the lead, when it is no time zone', () => {
    for (const bad of ['Mars/Base', '+02:00', 'x'.repeat(400), ['Europe/Paris', 'UTC'], { zone: 1 }]) {
      const parsed = parse(bad);
      assert.equal(parsed.email, 'tz@example.com', JSON.stringify(bad));
      assert.deepEqual(parsed.properties, { firstName: 'Tia' }, JSON.stringify(bad));
    }
  });

  it('cannot be declared by a form: the hosted page fills it', () => {
    const r = CreateFormBody.safeParse({ name: 'x', fields: ['email', 'timeZone'] });
    assert.equal(r.success, false);
    assert.deepEqual(
      r.error?.issues.map((i) => i.path.join('.')),
      ['fields.1.name'],
    );
  });

  it('is filled on the hosted page by its one script, which the page’s CSP allows by hash', () => {
    const html = renderFormPage(form, '/f/x', 'token');
    assert.match(html, /<input type="hidden" id="f-timeZone" name="timeZone" value="">/);
    const scripts = [...html.matchAll(/<script>(.*?)<\/script>/gs)].map((m) => m[1] ?? '');
    assert.equal(scripts.length, 1);
    assert.match(scripts[0] ?? '', /Intl\.DateTimeFormat\(\)\.resolvedOptions\(\)\.timeZone/);
    const hash = createHash('sha256')
      .update(scripts[0] ?? '')
      .digest('base64');
    const csp = formPageCsp(form);
    assert.match(csp, /default-src 'none'/);
    assert.ok(csp.includes(`script-src 'sha256-${hash}'`), csp);
    assert.doesNotMatch(csp, /unsafe-inline'[^;]*;?\s*$|script-src[^;]*unsafe/);
  });
});

describe('fill-time tokens', () => {
  const NONCE = '01JF0000000000000000000001';
  it('verify only for the form and secret they were issued with, and carry their nonce', () => {
    const token = signFormToken('secret-1', 'form-a', 1_000, NONCE);
    assert.deepEqual(verifyFormToken('secret-1', 'form-a', token), { issuedAt: 1_000, nonce: NONCE });
    assert.equal(verifyFormToken('secret-2', 'form-a', token), undefined);
    assert.equal(verifyFormToken('secret-1', 'form-b', token), undefined);
    assert.equal(verifyFormToken('secret-1', 'form-a', token.replace('1000.', '999.')), undefined);
    assert.equal(
      verifyFormToken('secret-1', 'form-a', token.replace(NONCE, NONCE.replace('1', '2'))),
      undefined,
    );
    assert.equal(verifyFormToken('secret-1', 'form-a', 'garbage'), undefined);
  });
  it('a re-rendered form keeps a valid token, and otherwise gets one dated back by the fill time', () => {
    const now = new Date(10_000_000);
    const f = { id: 'form-a', spam: { minFillSeconds: 3 } };
    const valid = signFormToken('s', 'form-a', now.getTime() - 60_000, NONCE);
    assert.equal(rerenderToken('s', f, valid, now, 'NEWNONCE0000', true), valid);
    const fresh = rerenderToken('s', f, valid, now, 'NEWNONCE0000', false);
    assert.deepEqual(verifyFormToken('s', 'form-a', fresh), {
      issuedAt: now.getTime() - 3000,
      nonce: 'NEWNONCE0000',
    });
    const forged = rerenderToken('s', f, 'forged', now, 'NEWNONCE0001', true);
    assert.equal(verifyFormToken('s', 'form-a', forged)?.nonce, 'NEWNONCE0001');
  });
});

describe('form definitions', () => {
  it('fill defaults: email is a required email field, phone a tel field', () => {
    const out = CreateFormBody.parse({
      name: 'Demo',
      fields: ['email', 'phone', { name: 'company', required: true }],
    });
    assert.deepEqual(out.fields, [
      { name: 'email', label: 'email', type: 'email', required: true },
      { name: 'phone', label: 'phone', type: 'tel', required: false },
      { name: 'company', label: 'company', type: 'text', required: true },
    ]);
    assert.deepEqual(out.tags, []);
  });
  it('refuse forms without an email field, reserved or duplicate names, and unsafe redirects', () => {
    const paths = (body: unknown) => {
      const r = CreateFormBody.safeParse(body);
      assert.equal(r.success, false);
      return [...new Set(r.error?.issues.map((i) => i.path.join('.')))];
    };
    assert.deepEqual(paths({ name: 'x', fields: ['firstName'] }), ['fields']);
    assert.deepEqual(paths({ name: 'x', fields: ['email', '_hp'] }), ['fields.1']);
    assert.deepEqual(paths({ name: 'x', fields: ['email', 'utm_source'] }), ['fields.1.name']);
    assert.deepEqual(paths({ name: 'x', fields: ['email', 'email'] }), ['fields.1.name']);
    assert.deepEqual(
      paths({ name: 'x', fields: ['email', 'owner'] }),
      ['fields.1.name'],
      'the workspace sets it',
    );
    // Names every object inherits would read the prototype: refused like any reserved name.
    for (const inherited of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
      assert.equal(
        CreateFormBody.safeParse({ name: 'x', fields: ['email', inherited] }).success,
        false,
        inherited,
      );
    }
    assert.deepEqual(paths({ name: 'x', fields: ['email'], redirectUrl: 'javascript:alert(1)' }), [
      'redirectUrl',
    ]);
    assert.deepEqual(paths({ name: 'x', fields: ['email'], redirectUrl: 'http://evil.example.com' }), [
      'redirectUrl',
    ]);
  });
});
