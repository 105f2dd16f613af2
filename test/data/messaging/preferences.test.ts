/**
 * Subscription types and the preference centre on DynamoDB Local: types are added and renamed,
 * never removed; a contact leaves one type (one-click on an email of that type, or the preference
 * form) and keeps receiving the others; a campaign or workflow email of a type it left is not sent,
 * the one-click link signs the email's type, and joining a type again is fresh consent on the timeline.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createWorkflow } from '#automation/workflows.js';
import { planBulk, processBulkChunk } from '#bulk/engine.js';
import type { BulkChunkMessage } from '#bulk/model.js';
import { createCampaign, getCampaign, sendCampaign } from '#campaigns/campaigns.js';
import { campaignApplier } from '#campaigns/send.js';
import * as contacts from '#contacts/rules.js';
import { unsubscribe } from '#messaging/feedback.js';
import { getPreferences, leaveType, savePreferences } from '#messaging/preferences.js';
import { sendTrackedEmail } from '#messaging/sender.js';
import { getEmailSettings, saveEmailSettings } from '#messaging/settings.js';
import { createTemplate } from '#messaging/templates.js';
import { verifyUnsubscribeToken } from '#messaging/unsubscribe-token.js';
import { DomainError } from '#platform/errors.js';
import { createTestTable, outboxEvents } from '#test/support/dynamo.js';
import { RecordingMailer, RecordingScheduler } from '#test/support/fakes.js';
import { memoryFiles } from '#test/support/imports.js';

const SECRET = 'x'.repeat(40);

async function setUp() {
  const t = await createTestTable();
  const mailer = new RecordingMailer();
  const ctx = { mailer, signingSecret: async () => SECRET, publicUrl: 'https://crm.example.com' };
  const template = await createTemplate(t.deps, {
    name: 'News',
    subject: 'News',
    html: '<a href="{{ unsubscribeUrl }}">Unsubscribe</a>',
  });
  await saveEmailSettings(t.deps, {
    frequencyCap: null,
    subscriptionTypes: [
      { name: 'Newsletter', description: 'Once a month' },
      { name: 'Événements & webinars' },
    ],
  });
  return { t, mailer, ctx, template };
}

const rejects = (code: string) => (err: unknown) => err instanceof DomainError && err.code === code;

describe('subscription types', () => {
  it('get ids from their names, are renamed by id, and are never removed', async () => {
    const { t } = await setUp();
    const { subscriptionTypes: types = [], updatedAt } = await getEmailSettings(t.deps);
    assert.deepEqual(types, [
      { id: 'newsletter', name: 'Newsletter', description: 'Once a month' },
      { id: 'evenements-webinars', name: 'Événements & webinars' },
    ]);
    await assert.rejects(
      saveEmailSettings(t.deps, { frequencyCap: null, subscriptionTypes: [{ id: 'newsletter', name: 'N' }] }),
      rejects('subscription_type_removed'),
    );
    await assert.rejects(
      saveEmailSettings(t.deps, {
        frequencyCap: null,
        subscriptionTypes: [...types, { id: 'invented', name: 'Invented' }],
      }),
      rejects('unknown_subscription_type'),
    );
    await assert.rejects(
      saveEmailSettings(t.deps, {
        frequencyCap: null,
        subscriptionTypes: [...types, { name: 'newsletter ' }],
      }),
      rejects('duplicate_subscription_type'),
    );
    // Names equal up to accents are the same name; an id listed twice is refused.
    await assert.rejects(
      saveEmailSettings(t.deps, {
        frequencyCap: null,
        subscriptionTypes: [...types, { name: 'Evenements  & WEBINARS' }],
      }),
      rejects('duplicate_subscription_type'),
    );
    await assert.rejects(
      saveEmailSettings(t.deps, {
        frequencyCap: null,
        subscriptionTypes: [...types, { id: 'newsletter', name: 'Other' }],
      }),
      rejects('duplicate_subscription_type'),
    );
    // A workflow's email names a type that exists.
    const tpl = await createTemplate(t.deps, { name: 'W', subject: 'W', html: '<p>w</p>' });
    const workflow = (subscriptionType: string) =>
      createWorkflow(t.deps, {
        name: 'Typed',
        trigger: { type: 'tagAdded', tag: 'x' },
        steps: [{ id: 'e', type: 'sendEmail', templateId: tpl.id, subscriptionType }],
      });
    await assert.rejects(
      workflow('nope'),
      (err: unknown) =>
        err instanceof DomainError && JSON.stringify(err.details).includes('steps.0.subscriptionType'),
    );
    assert.equal((await workflow('newsletter')).status, 'draft');
    // Renamed and one added (same base name as an existing id: a suffix), with the cap set alongside.
    const saved = await saveEmailSettings(t.deps, {
      frequencyCap: { max: 2, days: 7 },
      subscriptionTypes: [
        { id: 'newsletter', name: 'Monthly letter' },
        types[1] ?? { name: '' },
        { name: 'Newsletter' },
      ],
      ...(updatedAt ? { expectedUpdatedAt: updatedAt } : {}),
    });
    assert.deepEqual(
      saved.subscriptionTypes?.map((t) => t.id),
      ['newsletter', 'evenements-webinars', 'newsletter-2'],
    );
    // A save that leaves the types out keeps them.
    await saveEmailSettings(t.deps, { frequencyCap: null });
    assert.equal((await getEmailSettings(t.deps)).subscriptionTypes?.length, 3);
  });
});

describe('the preference centre', () => {
  it('leaves one type and keeps the others; joining again is recorded as fresh consent', async () => {
    const { t, ctx, template } = await setUp();
    const c = await contacts.createContact(t.deps, { email: 'pref@example.com' });
    const send = async (stepId: string, subscriptionType?: string) =>
      sendTrackedEmail(t.deps, ctx, {
        contact: await contacts.getContact(t.deps, c.id),
        template,
        slot: { enrollmentId: 'E1', stepId },
        tags: {},
        marketing: true,
        ...(subscriptionType ? { subscriptionType } : {}),
      });
    assert.deepEqual((await getPreferences(t.deps, c.id)).subscribed, ['newsletter', 'evenements-webinars']);
    await leaveType(t.deps, c.id, 'newsletter', '01JF00000000000000000000CA');
    await leaveType(t.deps, c.id, 'newsletter'); // idempotent
    const prefs = await getPreferences(t.deps, c.id);
    assert.deepEqual(prefs.subscribed, ['evenements-webinars']);
    assert.equal(prefs.unsubscribedFromAll, false);
    assert.deepEqual(await send('s1', 'newsletter'), { status: 'blocked', reason: 'unsubscribed_from_type' });
    assert.equal((await send('s2', 'evenements-webinars')).status, 'sent');
    assert.equal((await send('s3')).status, 'sent');
    // The preference form: rejoin the newsletter, leave the events.
    await savePreferences(t.deps, c.id, ['newsletter']);
    assert.deepEqual((await contacts.getContact(t.deps, c.id)).unsubscribedFrom, ['evenements-webinars']);
    await assert.rejects(savePreferences(t.deps, c.id, ['nope']), rejects('unknown_subscription_type'));
    const events = (await outboxEvents(t)).filter((e) => e.detail.contactId === c.id);
    const seen = events
      .filter((e) => e.detailType === 'ContactUnsubscribed' || e.detailType === 'ContactResubscribed')
      .map((e) => `${e.detailType} ${e.detail.subscriptionType} ${e.detail.campaignId ?? '-'}`);
    assert.deepEqual(seen.sort(), [
      'ContactResubscribed newsletter -',
      'ContactUnsubscribed evenements-webinars -',
      'ContactUnsubscribed newsletter 01JF00000000000000000000CA',
    ]);
    const timeline = await contacts.listActivities(t.deps, c.id, { limit: 20 });
    assert.ok(timeline.items.some((a) => a.body === 'Resubscribed to Newsletter with their own link'));
    assert.ok(timeline.items.some((a) => a.body === 'Unsubscribed from Événements & webinars'));
    // Unsubscribed from all: nothing is sent, whatever the type, and the types are not changed.
    await unsubscribe(t.deps, c.id, 'link');
    assert.equal((await getPreferences(t.deps, c.id)).unsubscribedFromAll, true);
    assert.deepEqual(await send('s4', 'newsletter'), { status: 'blocked', reason: 'unsubscribed' });
    await savePreferences(t.deps, c.id, []);
    await leaveType(t.deps, c.id, 'newsletter');
    assert.deepEqual((await contacts.getContact(t.deps, c.id)).unsubscribedFrom, ['evenements-webinars']);
  });

  it("signs the email's type into its one-click link", async () => {
    const { t, ctx, template, mailer } = await setUp();
    const c = await contacts.createContact(t.deps, { email: 'link@example.com' });
    await sendTrackedEmail(t.deps, ctx, {
      contact: c,
      template,
      slot: { enrollmentId: 'E1', stepId: 's1' },
      tags: {},
      marketing: true,
      subscriptionType: 'newsletter',
    });
    // The type is a message tag too (SES event destinations and reputation by type).
    assert.equal(mailer.sent.at(-1)?.tags.subscriptionType, 'newsletter');
    const header = mailer.sent.at(-1)?.headers?.['List-Unsubscribe'] ?? '';
    const token = /\/u\/([^>]+)>/.exec(header)?.[1] ?? '';
    assert.deepEqual(verifyUnsubscribeToken(SECRET, token), {
      contactId: c.id,
      subscriptionType: 'newsletter',
    });
  });

  it('leaves out of a campaign of a type the contacts who left it, and refuses an unknown type', async () => {
    const { t, ctx, template, mailer } = await setUp();
    const stay = await contacts.createContact(t.deps, { email: 'stay@example.com', tags: ['list'] });
    const left = await contacts.createContact(t.deps, { email: 'left@example.com', tags: ['list'] });
    await leaveType(t.deps, left.id, 'evenements-webinars');
    await assert.rejects(
      createCampaign(t.deps, {
        name: 'X',
        audience: { kind: 'tag', tag: 'list' },
        templateId: template.id,
        subscriptionType: 'unknown',
      }),
      rejects('invalid_reference'),
    );
    const campaign = await createCampaign(t.deps, {
      name: 'Webinar',
      audience: { kind: 'tag', tag: 'list' },
      templateId: template.id,
      subscriptionType: 'evenements-webinars',
    });
    const started = await sendCampaign(t.deps, new RecordingScheduler(), campaign.id);
    const messages: BulkChunkMessage[] = [];
    await planBulk(
      t.deps,
      { send: async (b) => void messages.push(...b) },
      memoryFiles(),
      started.campaign.jobId ?? '',
    );
    const appliers = { sendCampaign: campaignApplier(t.deps, ctx, { sleep: async () => {} }) };
    for (const m of messages) await processBulkChunk(t.deps, appliers, m);
    assert.deepEqual(
      mailer.sent.map((m) => m.to),
      [stay.email],
    );
    const counts = (await getCampaign(t.deps, campaign.id)).progress?.counts;
    assert.equal(counts?.changed, 1);
    assert.deepEqual(counts?.leftOut, { unsubscribed_from_type: 1 });
  });
});
