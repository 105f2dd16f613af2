/**
 * Sending a campaign's email to one contact of its audience, as the bulk engine's `sendCampaign`
 * applier: the campaign, its template and exclusion segments are read once per chunk; each contact
 * is checked against the exclusions, then sent the email through the same tracked send as workflows
 * (unsubscribed, no basis, suppressed and the frequency cap checked at send time; one send ledger record per (campaign,
 * contact), so a chunk delivered again sends nobody twice, and waits for a send another delivery
 * still holds). A throttled send is tried again with backoff before the chunk is handed back to the
 * queue.
 */
import type { Applier } from '#bulk/engine.js';
import type { Contact } from '#contacts/model.js';
import type { Segment } from '#insights/model.js';
import { matchesFilter } from '#insights/segments.js';
import { utmSlug } from '#messaging/links.js';
import { CAMPAIGN_SLOT } from '#messaging/model.js';
import { type EmailContext, SendInProgress, sendTrackedEmail } from '#messaging/sender.js';
import { getTemplate } from '#messaging/templates.js';
import { timeLeft } from '#platform/deadline.js';
import { invalid, RetryableError } from '#platform/errors.js';
import type { Scheduler } from '#platform/scheduler.js';
import { deferToWave, LOCAL_TIME_LEFT_OUT, sendInstantOf } from './local-time.js';
import type { Campaign } from './model.js';
import type { CampaignsDeps } from './store.js';
import { testVariantOf, type Variant } from './variants.js';

const BACKOFF_MS = [250, 500, 1000];
/** How often a send another delivery holds is looked at again. */
const IN_PROGRESS_POLL_MS = 250;

export interface CampaignSendOptions {
  sleep?: (ms: number) => Promise<void>;
  /** Makes the schedules of a local-time campaign's waves. */
  scheduler?: Scheduler;
}

/** A contact whose local send time is this close is sent now rather than put in a wave. */
const DUE_WITHIN_MS = 60_000;

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function excluded(deps: CampaignsDeps, segments: Segment[], contact: Contact): Promise<boolean> {
  const now = deps.clock.now();
  for (const { filter } of segments) {
    const type = filter.engagement?.type;
    const engagedAt = type
      ? (await deps.store.getEngagements([contact.id], type)).get(contact.id)
      : undefined;
    if (matchesFilter(contact, filter, now, engagedAt)) return true;
  }
  return false;
}

/**
 * What a contact is sent in this job: an A/B test sends its share the variants (the rest wait for
 * the winner), then the winner to the rest (the test share already has theirs).
 */
function variantFor(
  campaign: Campaign,
  phase: 'test' | 'winner' | undefined,
  contactId: string,
): Variant | { leftOut: string } | undefined {
  const test = campaign.abTest;
  if (!test || !phase) return undefined;
  const inTest = testVariantOf(test, campaign.id, contactId);
  if (phase === 'test') return inTest ?? { leftOut: 'awaiting_winner' };
  if (inTest) return { leftOut: 'in_test' };
  const winner = test.variants.find((v) => v.id === test.winner);
  if (!winner) throw new Error(`campaign ${campaign.id} sends its winner, but none was chosen`);
  return winner;
}

export function campaignApplier(
  deps: CampaignsDeps,
  ctx: EmailContext,
  options: CampaignSendOptions = {},
): Applier {
  const sleep = options.sleep ?? wait;
  return async (job) => {
    if (job.action.kind !== 'sendCampaign') throw new Error(`not a campaign send: ${job.action.kind}`);
    const { phase } = job.action;
    const campaign = await deps.store.getCampaign(job.action.campaignId);
    if (!campaign) throw new Error(`campaign ${job.action.campaignId} of job ${job.id} does not exist`);
    // A template deleted since: every contact of the chunk fails with the reason (counted, not retried).
    const templates = new Map(
      [campaign.templateId, ...(campaign.abTest?.variants ?? []).map((v) => v.templateId)].map((id) => [
        id,
        getTemplate(deps, id).catch(() => undefined),
      ]),
    );
    // Read once per chunk: every send of it checks the same frequency cap (and no hot key per send).
    const settings = await deps.store.getEmailSettings();
    const found = await Promise.all(campaign.excludeSegmentIds.map((id) => deps.store.getSegment(id)));
    const segments = found.filter((s): s is Segment => s !== undefined);
    // An exclusion segment deleted since the campaign started: who it left out is no longer known,
    // so nobody more is sent to (each contact fails with the reason: counted, visible, not retried).
    const lostExclusions = campaign.excludeSegmentIds.filter((_, i) => found[i] === undefined);
    // A local-time campaign's first job sorts its audience into waves; a wave's job sends its list.
    const { localTime } = campaign;
    const sorting = localTime !== undefined && job.audience.kind !== 'list';
    const wavesEnsured = new Set<string>();
    return async (contactId) => {
      const variant = variantFor(campaign, phase, contactId);
      if (variant && 'leftOut' in variant) return variant;
      const templateId = variant?.templateId ?? campaign.templateId;
      const [contact, template] = await Promise.all([
        deps.store.getContact(contactId),
        templates.get(templateId),
      ]);
      if (!contact) return { leftOut: 'contact_deleted' };
      if (sorting) {
        const at = sendInstantOf(localTime, contact.timeZone);
        if (at.getTime() > deps.clock.now().getTime() + DUE_WITHIN_MS) {
          if (!options.scheduler) throw new Error('a local-time campaign is sent with a scheduler');
          const deferred = await deferToWave(
            deps,
            options.scheduler,
            campaign.id,
            contactId,
            at,
            wavesEnsured,
          );
          if (deferred === 'deferred') return { leftOut: LOCAL_TIME_LEFT_OUT };
        }
      }
      if (!template) throw invalid('template_missing', `template ${templateId} does not exist`);
      if (lostExclusions.length)
        throw invalid(
          'exclusion_segment_missing',
          `exclusion segment ${lostExclusions.join(', ')} was deleted: not sent, so as not to mail those it left out`,
        );
      if (await excluded(deps, segments, contact)) return { leftOut: 'excluded' };
      // A variant's own subject replaces the template's.
      const email = variant?.subject ? { ...template, subject: variant.subject } : template;
      // Test sends are counted per variant; the winner sent to the rest is not (its test rate stays its own).
      const tested = phase === 'test' ? variant?.id : undefined;
      for (let throttled = 0; ; ) {
        try {
          const outcome = await sendTrackedEmail(deps, ctx, {
            contact,
            template: email,
            slot: { enrollmentId: CAMPAIGN_SLOT, stepId: campaign.id },
            tags: { campaignId: campaign.id },
            campaignId: campaign.id,
            ...(tested ? { variant: tested } : {}),
            ...(campaign.subscriptionType ? { subscriptionType: campaign.subscriptionType } : {}),
            // As HubSpot and Mailchimp do: web analytics see which campaign brought the visit.
            linkParams: { utm_source: 'tendril', utm_medium: 'email', utm_campaign: utmSlug(campaign.name) },
            marketing: true,
            settings,
          });
          if (outcome.status === 'sent' || outcome.status === 'already_sent') return 'changed';
          // Left out, and why (the campaign's page lists the reasons).
          return outcome.status === 'blocked' ? { leftOut: outcome.reason } : 'unchanged';
        } catch (err) {
          // Another delivery of this chunk is sending it: wait until it has (or its lease has ended
          // and this one takes over) rather than fail the chunk over and over.
          if (err instanceof SendInProgress && timeLeft() > 4 * IN_PROGRESS_POLL_MS) {
            await wait(IN_PROGRESS_POLL_MS);
            continue;
          }
          // Throttled: wait and try again; still throttled, or out of time: the queue retries the chunk.
          const delay = BACKOFF_MS[throttled++];
          if (!(err instanceof RetryableError) || err instanceof SendInProgress || delay === undefined)
            throw err;
          await sleep(delay * (0.5 + Math.random()));
        }
      }
    };
  };
}
