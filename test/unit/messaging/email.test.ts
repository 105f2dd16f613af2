import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { secondsUntil } from '#automation/wait-chain.js';
import type { Contact } from '#contacts/model.js';
import {
  checkTemplate,
  mergeContext,
  renderTemplate,
  TemplateRenderError,
  templateWarnings,
} from '#messaging/template-engine.js';
import { signUnsubscribeToken, verifyUnsubscribeToken } from '#messaging/unsubscribe-token.js';

const contact: Contact = {
  id: '01JF0000000000000000000001',
  email: 'ann@example.com',
  firstName: '<script>alert(1)</script>',
  fields: { plan: 'pro' },
  tags: ['lead'],
  version: 1,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};
const ctx = mergeContext(contact, { unsubscribeUrl: 'https://x.test/u/t' });

describe('email templates', () => {
  it('escape values in HTML but not in subject and text', async () => {
    const out = await renderTemplate(
      {
        subject: 'Hi {{ contact.firstName }}',
        html: '<p>Hi {{ contact.firstName }} on {{ contact.fields.plan }}</p>',
        text: 'Bye {{ contact.email }}',
      },
      ctx,
    );
    assert.equal(out.html, '<p>Hi &lt;script&gt;alert(1)&lt;/script&gt; on pro</p>');
    assert.equal(out.subject, 'Hi <script>alert(1)</script>');
    assert.equal(out.text, 'Bye ann@example.com');
  });
  it('use defaults for missing values and derive a text part from HTML', async () => {
    const out = await renderTemplate(
      {
        subject: 'Hello {{ contact.lastName | default: "friend" }}',
        html: '<p>A &amp; B</p><p>{{ unsubscribeUrl }}</p>',
      },
      ctx,
    );
    assert.equal(out.subject, 'Hello friend');
    assert.equal(out.text, 'A & B\n\nhttps://x.test/u/t');
  });
  it('keep every link in the derived text part, the unsubscribe link included', async () => {
    const out = await renderTemplate(
      {
        subject: 's',
        html: '<p>Read <a href="https://example.com/guide">the guide</a>.</p><p><a href="{{ unsubscribeUrl }}">Unsubscribe</a></p>',
      },
      ctx,
    );
    assert.match(out.text, /the guide \[https:\/\/example\.com\/guide\]/);
    assert.match(out.text, /Unsubscribe \[https:\/\/x\.test\/u\/t\]/);
  });
  it('refuse include, render and layout when checked, and bound what a render may build', async () => {
    for (const tag of ['{% include "x" %}', '{% render "x" %}', '{% layout "x" %}']) {
      const problems = await checkTemplate({ subject: 's', html: tag });
      assert.deepEqual(
        problems.map((p) => [p.path, p.code]),
        [['html', 'template_syntax']],
        tag,
      );
    }
    for (const html of [
      '{% for i in (1..100000000) %}x{% endfor %}',
      '{{ (1..3000000) | sort_natural | size }}',
      '{% assign s = "x" %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}',
    ]) {
      await assert.rejects(
        renderTemplate({ subject: 's', html }, ctx),
        (e: unknown) => e instanceof TemplateRenderError && e.code === 'template_render_failed',
        html,
      );
    }
  });
  it('warn about variables Tendril does not provide and a missing unsubscribe link', async () => {
    const warnings = await templateWarnings({
      subject: 'Hi {{ contact.firstName }}',
      html: '{{ deal.title }} {{ contact.score }} {{ contact.fields.score }}',
    });
    assert.deepEqual(
      warnings.map((w) => `${w.code}:${/\{\{ ([\w.]+) \}\}/.exec(w.message)?.[1] ?? ''}`),
      ['unknown_variable:deal.title', 'unknown_variable:contact.score', 'missing_unsubscribe:unsubscribeUrl'],
    );
    assert.deepEqual(
      await templateWarnings({
        subject: 'x',
        html: '<a href="{{ unsubscribeUrl }}">u</a> {{ contact.fields.plan }}',
      }),
      [],
    );
  });
  it('report syntax errors per part, and refuse unknown filters and file includes', async () => {
    const problems = await checkTemplate({
      subject: '{{ contact.firstName | nope }}',
      html: '{% if %}',
      text: 'ok',
    });
    assert.deepEqual(
      problems.map((p) => p.path),
      ['subject', 'html'],
    );
    await assert.rejects(renderTemplate({ subject: 'x', html: "{% include '/etc/passwd' %}" }, ctx));
  });
});

describe('unsubscribe tokens', () => {
  it('verify only untampered tokens', () => {
    const token = signUnsubscribeToken('secret', { contactId: contact.id });
    assert.deepEqual(verifyUnsubscribeToken('secret', token), { contactId: contact.id });
    // A campaign's link names the campaign, signed with the contact: neither can be swapped.
    const campaignId = '01JF00000000000000000000CA';
    const inCampaign = signUnsubscribeToken('secret', { contactId: contact.id, campaignId });
    assert.deepEqual(verifyUnsubscribeToken('secret', inCampaign), { contactId: contact.id, campaignId });
    assert.equal(
      verifyUnsubscribeToken('secret', inCampaign.replace(campaignId, '01JF00000000000000000000CB')),
      undefined,
    );
    assert.equal(verifyUnsubscribeToken('secret', inCampaign.replace(`.${campaignId}`, '')), undefined);
    // A subscription type is signed too: one-click leaves the email's own type, never another.
    const typed = signUnsubscribeToken('secret', {
      contactId: contact.id,
      campaignId,
      subscriptionType: 'news',
    });
    assert.deepEqual(verifyUnsubscribeToken('secret', typed), {
      contactId: contact.id,
      campaignId,
      subscriptionType: 'news',
    });
    assert.equal(verifyUnsubscribeToken('secret', typed.replace('.t-news.', '.t-events.')), undefined);
    assert.equal(verifyUnsubscribeToken('secret', typed.replace('.t-news.', '.')), undefined);
    assert.equal(verifyUnsubscribeToken('other', token), undefined);
    assert.equal(verifyUnsubscribeToken('secret', token.replace('01JF', '01JG')), undefined);
    assert.equal(verifyUnsubscribeToken('secret', 'x.y'), undefined);
  });
});

describe('waitUntil scheduling', () => {
  it('waits until the next wall-clock time in the zone', () => {
    const now = new Date('2026-03-10T07:30:00Z');
    assert.equal(secondsUntil(now, '09:00', 'UTC'), 5400);
    // 07:30 UTC is 08:30 in Berlin (CET): 30 minutes to 09:00.
    assert.equal(secondsUntil(now, '09:00', 'Europe/Berlin'), 1800);
    // 03:30 EDT in New York (DST began on March 8): 01:00 has passed, so tomorrow 01:00 EDT = 05:00 UTC.
    assert.equal(secondsUntil(now, '01:00', 'America/New_York'), 21.5 * 3600);
  });
});
