/**
 * The unsubscribe lifecycle on DynamoDB Local: the API shows an address's true standing (also for a
 * deleted and re-created contact), and only fresh consent — a form with consent, the person's own
 * link — resubscribes; a bounced address never is.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createForm } from '#capture/forms.js';
import type { Form } from '#capture/model.js';
import { submitForm } from '#capture/submission.js';
import * as contacts from '#contacts/rules.js';
import { resubscribe } from '#contacts/subscription.js';
import { handleSesEvent, unsubscribe } from '#messaging/feedback.js';
import { sendTrackedEmail } from '#messaging/sender.js';
import { createTemplate } from '#messaging/templates.js';
import { DomainError } from '#platform/errors.js';
import { createTestTable, outboxEvents, type TestTable } from '#test/support/dynamo.js';
import { RecordingMailer } from '#test/support/fakes.js';

let t: TestTable;
let form: Form;
let templateId: string;
const mailer = new RecordingMailer();
const ctx = {
  mailer,
  signingSecret: async () => 'secret-secret-secret-secret-secret',
  publicUrl: 'https://crm.test',
};

before(async () => {
  t = await createTestTable();
  form = await createForm(t.deps, {
    name: 'Newsletter',
    fields: [{ name: 'email', label: 'Email', type: 'email', required: true }],
    tags: [],
    consent: { text: 'Email me the newsletter', required: false },
    spam: { requireToken: false },
  });
  templateId = (
    await createTemplate(t.deps, { name: 'N', subject: 'N', html: '<a href="{{ unsubscribeUrl }}">u</a>' })
  ).id;
});

const submit = (email: string, consent: boolean) =>
  submitForm(
    t.deps,
    {
      formId: form.id,
      values: { email, ...(consent ? { consent: 'on' } : {}) },
      query: {},
      sourceIp: '198.51.100.9',
    },
    'secret',
  );
const send = async (contactId: string, stepId: string) => {
  const contact = await contacts.getContact(t.deps, contactId);
  const template = await t.deps.store.getTemplate(templateId);
  assert.ok(template);
  return sendTrackedEmail(t.deps, ctx, { contact, template, slot: { enrollmentId: 'E1', stepId }, tags: {} });
};

describe('the unsubscribe lifecycle', () => {
  it('resubscribes on a form submitted with consent, on the timeline, and sends again', async () => {
    const c = await contacts.createContact(t.deps, { email: 'back@example.com' });
    await unsubscribe(t.deps, c.id, 'link');
    assert.deepEqual(await send(c.id, 's1'), { status: 'blocked', reason: 'unsubscribed' });
    // Submitting without consent changes nothing.
    await submit('back@example.com', false);
    assert.ok((await contacts.getContact(t.deps, c.id)).unsubscribedAt);
    await submit('back@example.com', true);
    const after = await contacts.getContact(t.deps, c.id);
    assert.equal(after.unsubscribedAt, undefined);
    assert.equal(await t.deps.store.getSuppression('back@example.com'), undefined);
    const timeline = await contacts.listActivities(t.deps, c.id, { limit: 10 });
    assert.ok(timeline.items.some((a) => a.data?.event === 'resubscribed' && a.data.source === 'form'));
    const events = (await outboxEvents(t)).filter(
      (e) => e.detailType === 'ContactResubscribed' && e.detail.contactId === c.id,
    );
    assert.equal(events.length, 1);
    assert.equal((await send(c.id, 's2')).status, 'sent');
    // The lifted suppression is kept for a while (resubscribing needs no right to delete), marked
    // lifted and expiring; every reader takes it for none, and a new unsubscribe suppresses again.
    const kept = (await t.items()).find((i) => i.PK === 'SUPPRESSION#back@example.com');
    assert.equal(typeof kept?.liftedAt, 'string');
    assert.ok(Number(kept?.ttl) > Date.now() / 1000);
    assert.equal((await t.deps.store.getSuppressions(['back@example.com'])).size, 0);
    await unsubscribe(t.deps, c.id, 'link');
    assert.equal((await t.deps.store.getSuppression('back@example.com'))?.reason, 'unsubscribed');
    assert.equal((await t.deps.store.getSuppressions(['back@example.com'])).size, 1);
    assert.deepEqual(await send(c.id, 's3'), { status: 'blocked', reason: 'unsubscribed' });
  });

  it('shows a deleted and re-created contact as unsubscribed, and sends it nothing', async () => {
    const first = await contacts.createContact(t.deps, { email: 'again@example.com' });
    await unsubscribe(t.deps, first.id, 'link');
    await contacts.deleteContact(t.deps, first.id);
    const second = await contacts.createContact(t.deps, { email: 'again@example.com' });
    assert.ok(second.unsubscribedAt, 'the API tells the truth');
    assert.deepEqual(await send(second.id, 's1'), { status: 'blocked', reason: 'unsubscribed' });
    // A form without consent creates it unsubscribed as well; with consent it is subscribed.
    await contacts.deleteContact(t.deps, second.id);
    const viaForm = await submit('again@example.com', false);
    assert.equal(viaForm.kind, 'accepted');
    assert.ok(
      viaForm.kind === 'accepted' && (await contacts.getContact(t.deps, viaForm.contactId)).unsubscribedAt,
    );
  });

  it('resubscribes with the person’s own link; never a bounced address', async () => {
    const c = await contacts.createContact(t.deps, { email: 'link@example.com' });
    await unsubscribe(t.deps, c.id, 'link');
    const back = await resubscribe(t.deps, c.id, { source: 'link' });
    assert.equal(back.unsubscribedAt, undefined);
    assert.equal((await contacts.getContact(t.deps, c.id)).unsubscribedAt, undefined);

    const b = await contacts.createContact(t.deps, { email: 'bounce@example.com' });
    const sent = await send(b.id, 's1');
    assert.equal(sent.status, 'sent');
    await handleSesEvent(t.deps, {
      detailType: 'Email Bounced',
      detail: {
        mail: { messageId: sent.status === 'sent' ? sent.messageId : '' },
        bounce: { bounceType: 'Permanent', bouncedRecipients: [{ emailAddress: 'bounce@example.com' }] },
      },
    });
    assert.equal((await contacts.getContact(t.deps, b.id)).emailSuppression?.reason, 'bounce');
    await assert.rejects(
      resubscribe(t.deps, b.id, { source: 'link' }),
      (e: unknown) => e instanceof DomainError && e.code === 'email_bounced',
    );
    await submit('bounce@example.com', true);
    assert.equal((await contacts.getContact(t.deps, b.id)).emailSuppression?.reason, 'bounce');
    assert.deepEqual(await send(b.id, 's2'), { status: 'blocked', reason: 'suppressed' });
  });
});
