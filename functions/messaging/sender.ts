/**
 * Sending one tracked email to a contact: the checks every marketing email passes at send time
 * (unsubscribed from all or from the email's subscription type, suppressed, the frequency cap, a template that renders), at most one send per slot (a claim item with
 * a lease), RFC 8058 one-click unsubscribe headers, and the timeline activity and EmailSent event
 * written with the completion. Used by workflow steps, scheduled follow-ups, campaigns, and (an email
 * its caller prepared, transactional) appointments.
 *
 * Delivery guarantee: a slot is claimed before the provider is called and completed after. The
 * shared send rate is waited for before the claim, so the claim only covers the provider's answer
 * (at most 30 s, or the attempt's deadline if sooner: the call is aborted then) plus a margin to
 * record it. An attempt that dies in between (a crash, a timeout) leaves a `sending` claim whose
 * lease then ends; the next attempt takes it over and sends. A duplicate is possible only if the
 * provider accepted the message and the attempt died (or gave up waiting) before recording it; every
 * message carries the slot in `X-Tendril-Send-Id`, so such a duplicate is recognisable.
 */
import { type Contact, systemActivity } from '#contacts/model.js';
import { recordingOutcome, timeLeft } from '#platform/deadline.js';
import { RetryableError } from '#platform/errors.js';
import { logger } from '#platform/logger.js';
import { CommitConflict, emit } from '#platform/store.js';
import { CONTACT_TOKEN_PARAM, onSite, signContactToken } from '#tracking/rules.js';
import { linkRewrite } from './links.js';
import { type EmailAttachment, type Mailer, waitUntil } from './mailer.js';
import type { EmailSend, EmailSettings, EmailTemplate, RenderedEmail, SendCap } from './model.js';
import type { MessagingDeps, MessagingWrite } from './store.js';
import { mergeContext, renderTemplate, TemplateRenderError } from './template-engine.js';
import { signUnsubscribeToken } from './unsubscribe-token.js';

export interface EmailContext {
  mailer: Mailer;
  /** The HMAC key of unsubscribe links. */
  signingSecret: () => Promise<string>;
  /** Public base URL of the API, for unsubscribe links. */
  publicUrl: string;
}

/**
 * An email its caller wrote itself (an appointment's confirmation): transactional, so it goes to a
 * contact who unsubscribed from marketing (not to a suppressed address) and carries no unsubscribe link.
 */
export interface PreparedEmail {
  /** Names it where a template's id would (the send record, tags, EmailSent): `appointment-reminder`. */
  id: string;
  prepared: RenderedEmail;
  attachments?: EmailAttachment[];
}

export interface TrackedEmail {
  contact: Contact;
  template: EmailTemplate | PreparedEmail;
  /** The send slot: at most one email per (contact, enrollmentId, stepId). */
  slot: { enrollmentId: string; stepId: string };
  workflowId?: string;
  campaignId?: string;
  /** The A/B test variant the contact was sent (its report counts each variant). */
  variant?: string;
  /** Provider tags (SES message tags) for reporting. */
  tags: Record<string, string>;
  /** Committed atomically with the claim: the caller's precondition (a follow-up still scheduled). */
  onClaim?: MessagingWrite[];
  /** Committed with the claim's release when nothing was sent (the follow-up scheduled again). */
  onRelease?: MessagingWrite[];
  /** Committed atomically with the completion (e.g. closing a follow-up). */
  onSent?: (messageId: string, at: string) => MessagingWrite[];
  /** Query parameters added to the email's links (a campaign's UTM parameters), not to the unsubscribe link. */
  linkParams?: Record<string, string>;
  /** The subscription type the email belongs to: not sent to a contact who left it; its one-click link leaves it. */
  subscriptionType?: string;
  /** Headers of its own (a case reply's In-Reply-To, References, Reply-To). */
  headers?: Record<string, string>;
  /** A marketing email (workflows, campaigns), counted against the frequency cap; follow-ups are not. */
  marketing?: boolean;
  /** The email settings, when the caller read them already (a campaign, once per chunk). */
  settings?: EmailSettings;
}

export type SendOutcome =
  | { status: 'sent'; messageId: string }
  /** An earlier attempt sent this slot's email: nothing is sent again. */
  | { status: 'already_sent' }
  /** A write of `onClaim` found its condition false (the follow-up was cancelled meanwhile): nothing sent. */
  | { status: 'precondition_failed' }
  | {
      status: 'blocked';
      reason:
        | 'unsubscribed'
        /** The contact left the email's subscription type (and stays subscribed to others). */
        | 'unsubscribed_from_type'
        | 'no_consent_basis'
        | 'suppressed'
        | 'email_rejected'
        | 'render_failed'
        | 'frequency_cap';
    };

/**
 * Another attempt holds the slot's unexpired claim: retry later (Step Functions and the schedule
 * retry it; by then the other attempt has sent, or its lease has ended).
 */
export class SendInProgress extends RetryableError {
  constructor(readonly until: string | undefined) {
    super(`another attempt is sending this email (claimed until ${until ?? 'unknown'})`);
    this.name = 'Tendril.SendInProgress';
  }
}

/** Another marketing email to the contact was claimed at the same moment: try again (it is counted first). */
export class CapContention extends RetryableError {
  constructor() {
    super('another marketing email to this contact was being sent; the frequency cap is checked again');
    this.name = 'Tendril.CapContention';
  }
}

/** Marketing sends are remembered this long (the longest cap window), at most this many. */
const HISTORY_MS = 90 * 86_400_000;
const HISTORY_MAX = 100;

/**
 * The record of this marketing send for the frequency cap (kept with or without a cap, so a cap
 * counts the emails sent before it was set), or `'over'` when the contact has had `max` marketing
 * emails in the last `days` days. The send's own earlier entry (an attempt that claimed it and did
 * not finish) is replaced, not counted again.
 */
function capWrite(
  limit: { max: number; days: number } | undefined,
  cap: SendCap | undefined,
  contactId: string,
  sendId: string,
  now: Date,
): MessagingWrite | 'over' {
  const kept = (cap?.sends ?? [])
    .filter((s) => s.id !== sendId && Date.parse(s.at) > now.getTime() - HISTORY_MS)
    .slice(-(HISTORY_MAX - 1));
  if (limit) {
    const since = now.getTime() - limit.days * 86_400_000;
    if (kept.filter((s) => Date.parse(s.at) > since).length >= limit.max) return 'over';
  }
  return {
    kind: 'putSendCap',
    cap: {
      contactId,
      sends: [...kept, { at: now.toISOString(), id: sendId }],
      version: (cap?.version ?? 0) + 1,
    },
  };
}

/**
 * The provider must have answered within this, or before the attempt's deadline (Lambda stops it
 * there) if that is sooner; the claim lasts this margin longer (to record the answer).
 */
const SEND_LEASE_MS = 30_000;
const LEASE_MARGIN_MS = 5_000;
/** A send this late for its rate slot takes another. */
const LATE_MS = 20;

export const sendIdHeader = (contactId: string, slot: { enrollmentId: string; stepId: string }) =>
  `${contactId}.${slot.enrollmentId}.${slot.stepId}`;

export async function sendTrackedEmail(
  deps: MessagingDeps,
  ctx: EmailContext,
  email: TrackedEmail,
): Promise<SendOutcome> {
  const { contact, template, slot } = email;
  const prepared = 'prepared' in template ? template : undefined;
  if (!prepared) {
    if (contact.unsubscribedAt) return { status: 'blocked', reason: 'unsubscribed' };
    if (email.subscriptionType && contact.unsubscribedFrom?.includes(email.subscriptionType))
      return { status: 'blocked', reason: 'unsubscribed_from_type' };
    if (contact.emailBasis === 'none') return { status: 'blocked', reason: 'no_consent_basis' };
  }
  const [suppressed, existing, settings, cap] = await Promise.all([
    deps.store.getSuppression(contact.email),
    deps.store.getSend(contact.id, slot.enrollmentId, slot.stepId),
    email.marketing ? (email.settings ?? deps.store.getEmailSettings()) : undefined,
    email.marketing ? deps.store.getSendCap(contact.id) : undefined,
  ]);
  // An unsubscribe (kept as a suppression of the address) stops marketing, not a transactional email;
  // a bounce or a complaint stops both.
  if (suppressed && !(prepared && suppressed.reason === 'unsubscribed'))
    return { status: 'blocked', reason: 'suppressed' };
  if (existing?.status === 'sent') return { status: 'already_sent' };
  const now = deps.clock.now();
  if (existing && existing.claimedUntil !== undefined && Date.parse(existing.claimedUntil) > now.getTime()) {
    throw new SendInProgress(existing.claimedUntil);
  }
  const capped = email.marketing
    ? capWrite(settings?.frequencyCap, cap, contact.id, sendIdHeader(contact.id, slot), now)
    : undefined;
  if (capped === 'over') return { status: 'blocked', reason: 'frequency_cap' };

  // Rendered before anything is claimed: a template that cannot render leaves nothing behind.
  const token = signUnsubscribeToken(await ctx.signingSecret(), {
    contactId: contact.id,
    ...(email.campaignId ? { campaignId: email.campaignId } : {}),
    ...(email.subscriptionType ? { subscriptionType: email.subscriptionType } : {}),
  });
  const unsubscribeUrl = `${ctx.publicUrl}/u/${token}`;
  let rendered: RenderedEmail;
  try {
    // Links to the site carry the contact's token when the workspace identifies visitors by them
    // (docs/lead-scoring.md); Tendril's own pages (unsubscribe, booking) are left as they are.
    const utm = email.linkParams
      ? linkRewrite(email.linkParams, (url) => url.startsWith(unsubscribeUrl))
      : undefined;
    const identify = settings?.identifyVisitors
      ? linkRewrite(
          { [CONTACT_TOKEN_PARAM]: signContactToken(await ctx.signingSecret(), contact.id) },
          (url) => url.startsWith(`${ctx.publicUrl}/`) || !onSite(url, settings.siteDomains ?? []),
        )
      : undefined;
    const links = utm && identify ? (url: string) => identify(utm(url)) : (utm ?? identify);
    rendered =
      'prepared' in template
        ? template.prepared
        : await renderTemplate(template, mergeContext(contact, { unsubscribeUrl }), links);
  } catch (err) {
    if (!(err instanceof TemplateRenderError)) throw err;
    logger.error('email not sent: the template cannot be rendered', {
      templateId: template.id,
      contactId: contact.id,
      reason: err.message,
    });
    return { status: 'blocked', reason: 'render_failed' };
  }

  // The shared rate is waited for before the claim: the claim then only covers the provider's answer,
  // so a send whose process died is taken over within seconds, not at the end of a long invocation.
  const slotAt = await ctx.mailer.whenReady?.();
  const left = timeLeft();
  const sendBy = new Date(
    deps.clock.now().getTime() +
      Math.min(Number.isFinite(left) ? Math.max(0, left) : SEND_LEASE_MS, SEND_LEASE_MS),
  );
  const send: EmailSend = {
    ...slot,
    contactId: contact.id,
    templateId: template.id,
    ...(email.workflowId ? { workflowId: email.workflowId } : {}),
    ...(email.campaignId ? { campaignId: email.campaignId } : {}),
    ...(email.variant ? { variant: email.variant } : {}),
    status: 'sending',
    claimedUntil: new Date(sendBy.getTime() + LEASE_MARGIN_MS).toISOString(),
    attempt: (existing?.attempt ?? (existing ? 1 : 0)) + 1,
  };
  try {
    await deps.store.commit([
      { kind: 'claimSend', send, ...(existing ? { takeOver: { claimedUntil: existing.claimedUntil } } : {}) },
      ...(capped ? [capped] : []),
      ...(email.onClaim ?? []),
    ]);
  } catch (err) {
    if (!(err instanceof CommitConflict)) throw err;
    if (err.write.kind === 'putSendCap') throw new CapContention();
    if (err.write.kind !== 'claimSend') return { status: 'precondition_failed' };
    // Another attempt claimed it between our read and our claim.
    const winner = await deps.store.getSend(contact.id, slot.enrollmentId, slot.stepId);
    if (winner?.status === 'sent') return { status: 'already_sent' };
    throw new SendInProgress(winner?.claimedUntil);
  }
  if (existing)
    logger.warn('took over an expired send claim', { ...slot, contactId: contact.id, attempt: send.attempt });

  let messageId: string;
  try {
    // The claim was made in the slot's lead time, and the provider is called at the slot. A claim that
    // took longer would send late, next to the following slot: a new slot is taken instead.
    const at =
      slotAt !== undefined && Date.now() > slotAt + LATE_MS ? await ctx.mailer.whenReady?.() : slotAt;
    await waitUntil(at);
    messageId = await ctx.mailer.send(
      {
        to: contact.email,
        ...rendered,
        headers: {
          ...email.headers,
          ...(prepared
            ? {}
            : {
                'List-Unsubscribe': `<${unsubscribeUrl}>`,
                'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
              }),
          // The same on every attempt of this slot: a duplicate (see above) is recognisable.
          'X-Tendril-Send-Id': sendIdHeader(contact.id, slot),
        },
        ...(prepared?.attachments ? { attachments: prepared.attachments } : {}),
        // SES message tags (event destinations, reputation by type, A/B variant): the type's id is a slug.
        tags: {
          ...email.tags,
          templateId: template.id,
          ...(email.subscriptionType ? { subscriptionType: email.subscriptionType } : {}),
          ...(email.variant ? { variant: email.variant } : {}),
        },
      },
      { ready: true, deadline: sendBy },
    );
  } catch (err) {
    // Nothing was sent: release the claim so a retry can send.
    await recordingOutcome(() =>
      deps.store.commit([{ kind: 'releaseSend', send }, ...(email.onRelease ?? [])]),
    );
    if (err instanceof RetryableError) throw err;
    // Rejected for good (bad address, unverified sender, sandbox, access denied): retrying cannot help.
    logger.error('email rejected by the provider', {
      ...slot,
      contactId: contact.id,
      templateId: template.id,
      error: err as Error,
    });
    return { status: 'blocked', reason: 'email_rejected' };
  }
  const sentAt = deps.clock.now();
  const at = sentAt.toISOString();
  const activity = systemActivity(deps, contact.id, 'email', `Sent "${rendered.subject}"`, at, {
    templateId: template.id,
    ...email.tags,
    messageId,
  });
  // Recorded whatever the time left: the email went out.
  await recordingOutcome(() =>
    deps.store.commit([
      { kind: 'completeSend', send: { ...send, status: 'sent', messageId, sentAt: at } },
      { kind: 'putActivity', activity, checkContact: false },
      emit(deps, sentAt, 'EmailSent', {
        contactId: contact.id,
        messageId,
        templateId: template.id,
        ...(email.workflowId
          ? { workflowId: email.workflowId, enrollmentId: slot.enrollmentId, stepId: slot.stepId }
          : {}),
        ...(email.campaignId ? { campaignId: email.campaignId } : {}),
        ...(email.variant ? { variant: email.variant } : {}),
      }),
      ...(email.onSent?.(messageId, at) ?? []),
    ]),
  );
  return { status: 'sent', messageId };
}
