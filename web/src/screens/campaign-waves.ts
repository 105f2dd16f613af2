/**
 * A campaign sent at a local time in each contact's time zone: the time in words, and its waves
 * (one per local send time: when each is sent in the reader's time, how far it got).
 */
import type { Campaign, CampaignView } from '../api.js';
import { html, when } from '../ui.js';

const STATUS: Record<NonNullable<CampaignView['waves']>[number]['status'], string> = {
  waiting: 'Waiting',
  sending: 'Sending',
  sent: 'Sent',
  cancelled: 'Cancelled',
};

/** `09:00 on 5 Dec 2026 in each contact’s time zone (contacts without one: America/New_York)`. */
export function localTimeText(localTime: NonNullable<Campaign['localTime']>): string {
  const day = new Date(`${localTime.date}T00:00:00Z`).toLocaleDateString(undefined, {
    timeZone: 'UTC',
    dateStyle: 'medium',
  });
  return `${localTime.time} on ${day} in each contact’s time zone (contacts without one: ${localTime.fallbackTimeZone})`;
}

export function Waves({ waves }: { waves: NonNullable<CampaignView['waves']> }) {
  if (waves.length === 0) return null;
  return html`<div class="table-scroll">
    <table class="campaign-waves">
      <caption>Waves: contacts whose local time comes at the same moment</caption>
      <thead><tr><th scope="col">Sent at (your time)</th><th scope="col">Status</th><th scope="col" class="num">Sent</th></tr></thead>
      <tbody>${waves.map(
        (w) => html`<tr>
          <td>${when(w.at)}</td>
          <td>${STATUS[w.status]}</td>
          <td class="num">${w.sent.toLocaleString()}${w.total !== undefined ? ` of ${w.total.toLocaleString()}` : ''}</td>
        </tr>`,
      )}</tbody>
    </table>
  </div>`;
}
