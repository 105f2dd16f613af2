/**
 * The pages of the unsubscribe link (the preference centre): every value escaped, no scripts. The
 * forms post back to the same signed link; nothing is changed by a GET.
 */
import { escapeHtml, page } from '#platform/http/html.js';
import type { SubscriptionType } from './model.js';
import type { Preferences } from './preferences.js';

export interface PageLinks {
  /** The link itself (`/u/<token>`): GET shows the preferences, POST is one-click. */
  self: string;
  /** The subscription type of the email the link came in, if it has one. */
  emailType?: SubscriptionType;
}

const form = (action: string, button: string, content = '') =>
  `<form method="post" action="${escapeHtml(action)}">${content}<button type="submit">${escapeHtml(button)}</button></form>`;

const resubscribeForm = (links: PageLinks) =>
  form(`${links.self}/resubscribe`, 'Resubscribe', '<p>Unsubscribed by mistake?</p>');

function typeList(prefs: Preferences, links: PageLinks): string {
  const boxes = prefs.types
    .map((t) => {
      const id = `type-${t.id}`;
      const checked = prefs.subscribed.includes(t.id) ? ' checked' : '';
      // The description is outside the label: read once, as the box's description.
      const description = t.description
        ? `<p class="about" id="${id}-about">${escapeHtml(t.description)}</p>`
        : '';
      return `<div class="type"><label><input type="checkbox" name="types" value="${escapeHtml(t.id)}" id="${id}"${checked}${t.description ? ` aria-describedby="${id}-about"` : ''}> ${escapeHtml(t.name)}</label>${description}</div>`;
    })
    .join('');
  return form(
    `${links.self}/preferences`,
    'Save preferences',
    `<input type="hidden" name="form" value="preferences"><fieldset><legend>The emails you receive</legend>${boxes}</fieldset>`,
  );
}

/** Whose preferences these are (the address the email went to). */
const forWhom = (prefs: Preferences) => `<p>For <strong>${escapeHtml(prefs.contact.email)}</strong></p>`;

/** GET: what the contact receives, and the ways to change it. */
export function preferencesPage(prefs: Preferences, links: PageLinks): string {
  if (prefs.unsubscribedFromAll)
    return page(
      'Email preferences',
      `<h1>Email preferences</h1>${forWhom(prefs)}<p>You are unsubscribed from all our marketing email.</p>${resubscribeForm(links)}`,
    );
  const type = links.emailType;
  const leaveThis =
    type && prefs.subscribed.includes(type.id)
      ? form(
          links.self,
          `Unsubscribe from ${type.name}`,
          `<p>This email was one of our ${escapeHtml(type.name)} emails.</p>`,
        )
      : '';
  const all = form(`${links.self}/all`, 'Unsubscribe from all marketing email');
  if (prefs.types.length === 0)
    return page(
      'Unsubscribe',
      `<h1>Unsubscribe</h1>${forWhom(prefs)}<p>Stop receiving marketing email from us?</p>${form(links.self, 'Unsubscribe')}`,
    );
  return page(
    'Email preferences',
    `<h1>Email preferences</h1>${forWhom(prefs)}${leaveThis}<h2>Choose what you receive</h2>${typeList(prefs, links)}<h2>Or stop everything</h2>${all}`,
  );
}

/** After leaving one type (one-click or the button). */
export function leftTypePage(type: SubscriptionType, links: PageLinks): string {
  return page(
    'Unsubscribed',
    `<h1>You are unsubscribed from ${escapeHtml(type.name)}</h1><p>You will still receive the other emails you chose.</p><p><a href="${escapeHtml(links.self)}">Manage your email preferences</a></p>`,
  );
}

/** After unsubscribing from all marketing email. */
export function unsubscribedPage(links: PageLinks): string {
  return page(
    'Unsubscribed',
    `<h1>You are unsubscribed</h1><p>You will not receive marketing email from us any more.</p>${resubscribeForm(links)}`,
  );
}

/** After resubscribing with their own link. */
export function resubscribedPage(links: PageLinks): string {
  return page(
    'Subscribed',
    `<h1>You are subscribed again</h1><p>Thank you: we will keep you posted.</p><p><a href="${escapeHtml(links.self)}">Choose the emails you receive</a></p>`,
  );
}

/** After saving the preferences form. */
export function savedPage(prefs: Preferences, links: PageLinks): string {
  const names = prefs.types.filter((t) => prefs.subscribed.includes(t.id)).map((t) => escapeHtml(t.name));
  const summary =
    names.length > 0
      ? `<p>You receive: ${names.join(', ')}.</p>`
      : '<p>You receive none of these emails now.</p>';
  return page(
    'Preferences saved',
    `<h1>Your preferences are saved</h1>${summary}<p><a href="${escapeHtml(links.self)}">Change them again</a></p>`,
  );
}
