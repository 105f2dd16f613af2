/** Follow-ups on DynamoDB Local, with a recording mailer and scheduler. */
import assert from 'node:assert/strict';
import { before, beforeEach, describe, it } from 'node:test';
import * as contacts from '#contacts/rules.js';
import { unsubscribe } from '#messaging/feedback.js';
import { fireFollowUp } from '#messaging/follow-up-delivery.js';
import * as followUps from '#messaging/follow-ups.js';
import { createTemplate } from '#messaging/templates.js';
import { DomainError } from '#platform/errors.js';
import { STATUS_OF } from '#platform/http/handler.js';
import { createTestTable, type TestTable } from '#test/support/dynamo.js';
import { RecordingMailer, RecordingScheduler } from '#test/support/fakes.js';

let t: TestTable;
let now = new Date('2026-11-23T09:00:00.000Z');
let scheduler: RecordingScheduler;
let mailer: RecordingMailer;
const ctx = () => ({
  mailer,
  signingSecret: async () => 'sales-secret-sales-secret-sales',
  publicUrl: 'https://crm.test',
});
const rejects = (promise: Promise<unknown>, status: number, code?: string) =>
  assert.rejects(
    promise,
    (err) => err instanceof DomainError && STATUS_OF[err.kind] === status && (!code || err.code === code),
  );

before(async () => {
  t = await createTestTable(() => now);
});
beforeEach(() => {
  scheduler = new RecordingScheduler();
  mailer = new RecordingMailer();
});

describe('follow-ups', () => {
  async function setup(email: string) {
    const contact = await contacts.createContact(t.deps, { email, firstName: 'Flo' });
    const template = await createTemplate(t.deps, {
      name: 'FU',
      subject: 'Hi {{ contact.firstName }}',
      html: '<p>Hi</p>',
    });
    return { contact, template };
  }

  it('schedules at sendAt, sends once when fired, with unsubscribe headers, and closes as sent', async () => {
    const { contact, template } = await setup('flo@example.com');
    const fu = await followUps.scheduleFollowUp(t.deps, scheduler, contact.id, {
      templateId: template.id,
      sendAt: '2026-11-23T15:00:00Z',
    });
    assert.deepEqual(scheduler.schedules.get(fu.scheduleName)?.action, {
      kind: 'followUp',
      followUpId: fu.id,
    });
    assert.equal(await fireFollowUp(t.deps, ctx(), fu.id), 'sent');
    assert.equal(await fireFollowUp(t.deps, ctx(), fu.id), 'ignored: sent');
    assert.equal(mailer.sent.length, 1);
    assert.equal(mailer.sent[0]?.subject, 'Hi Flo');
    assert.equal(mailer.sent[0]?.headers['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
    const [listed] = (await followUps.listFollowUps(t.deps, contact.id, { limit: 10 })).items;
    assert.equal(listed?.status, 'sent');
    assert.ok(listed?.messageId);
  });

  it('refuses a past sendAt, an unknown template and an unsubscribed contact', async () => {
    const { contact, template } = await setup('past@example.com');
    await rejects(
      followUps.scheduleFollowUp(t.deps, scheduler, contact.id, {
        templateId: template.id,
        sendAt: '2026-11-23T08:59:59Z',
      }),
      400,
      'send_at_in_past',
    );
    await rejects(
      followUps.scheduleFollowUp(t.deps, scheduler, contact.id, {
        templateId: '01JF0000000000000000000000',
        sendAt: '2026-11-24T00:00:00Z',
      }),
      400,
      'invalid_reference',
    );
    await unsubscribe(t.deps, contact.id, 'test');
    await rejects(
      followUps.scheduleFollowUp(t.deps, scheduler, contact.id, {
        templateId: template.id,
        sendAt: '2026-11-24T00:00:00Z',
      }),
      409,
      'contact_unsubscribed',
    );
    assert.equal(scheduler.schedules.size, 0, 'nothing scheduled for refused requests');
  });

  it('skips a follow-up whose contact unsubscribed meanwhile, and cancels only scheduled ones', async () => {
    const { contact, template } = await setup('late@example.com');
    const fu = await followUps.scheduleFollowUp(t.deps, scheduler, contact.id, {
      templateId: template.id,
      sendAt: '2026-11-24T00:00:00Z',
    });
    await unsubscribe(t.deps, contact.id, 'test');
    assert.equal(await fireFollowUp(t.deps, ctx(), fu.id), 'skipped: unsubscribed');
    assert.equal(mailer.sent.length, 0);
    await rejects(followUps.cancelFollowUp(t.deps, scheduler, fu.id), 409, 'follow_up_closed');

    const other = await setup('cancel@example.com');
    const fu2 = await followUps.scheduleFollowUp(t.deps, scheduler, other.contact.id, {
      templateId: other.template.id,
      sendAt: '2026-11-24T00:00:00Z',
    });
    const cancelled = await followUps.cancelFollowUp(t.deps, scheduler, fu2.id);
    assert.equal(cancelled.status, 'cancelled');
    assert.deepEqual(scheduler.cancelled, [fu2.scheduleName]);
    assert.equal(await fireFollowUp(t.deps, ctx(), fu2.id), 'ignored: cancelled');
    now = new Date('2026-11-23T09:00:00.000Z');
  });

  it('refuses to cancel while the email is going out, and records the send in full', async () => {
    const { contact, template } = await setup('midsend@example.com');
    const fu = await followUps.scheduleFollowUp(t.deps, scheduler, contact.id, {
      templateId: template.id,
      sendAt: '2026-11-24T00:00:00Z',
    });
    let cancelDuringSend: Promise<unknown> | undefined;
    const slowMailer = {
      send: async (email: Parameters<RecordingMailer['send']>[0]) => {
        cancelDuringSend = followUps.cancelFollowUp(t.deps, scheduler, fu.id);
        await rejects(cancelDuringSend, 409, 'follow_up_sending');
        return mailer.send(email);
      },
    };
    assert.equal(await fireFollowUp(t.deps, { ...ctx(), mailer: slowMailer }, fu.id), 'sent');
    assert.ok(cancelDuringSend, 'the cancel ran while sending');
    assert.equal(mailer.sent.length, 1);
    const [listed] = (await followUps.listFollowUps(t.deps, contact.id, { limit: 10 })).items;
    assert.equal(listed?.status, 'sent');
    const timeline = await contacts.listActivities(t.deps, contact.id, { limit: 10 });
    assert.ok(timeline.items.some((a) => a.type === 'email' && a.data?.followUpId === fu.id));
  });

  it('sends nothing when a cancel lands between reading the follow-up and claiming the send', async () => {
    const { contact, template } = await setup('between@example.com');
    const fu = await followUps.scheduleFollowUp(t.deps, scheduler, contact.id, {
      templateId: template.id,
      sendAt: '2026-11-24T00:00:00Z',
    });
    // The firing Lambda read the follow-up while it was still scheduled; the cancel commits after that read.
    let reads = 0;
    const stale: typeof t.deps.store = Object.assign(Object.create(t.deps.store), {
      getFollowUp: async (id: string) => (reads++ === 0 ? fu : t.deps.store.getFollowUp(id)),
    });
    await followUps.cancelFollowUp(t.deps, scheduler, fu.id);
    const outcome = await fireFollowUp({ ...t.deps, store: stale }, ctx(), fu.id);
    assert.equal(outcome, 'ignored: cancelled');
    assert.equal(mailer.sent.length, 0);
    const [listed] = (await followUps.listFollowUps(t.deps, contact.id, { limit: 10 })).items;
    assert.equal(listed?.status, 'cancelled');
  });

  it('puts a follow-up back to scheduled when the send fails and can be retried', async () => {
    const { contact, template } = await setup('retry-fu@example.com');
    const fu = await followUps.scheduleFollowUp(t.deps, scheduler, contact.id, {
      templateId: template.id,
      sendAt: '2026-11-24T00:00:00Z',
    });
    mailer.failures = 1;
    await assert.rejects(fireFollowUp(t.deps, ctx(), fu.id), /slow down/);
    assert.equal((await t.deps.store.getFollowUp(fu.id))?.status, 'scheduled');
    assert.equal(await fireFollowUp(t.deps, ctx(), fu.id), 'sent');
    assert.equal(mailer.sent.length, 1);
  });
});
