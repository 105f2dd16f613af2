/**
 * Send-time windows and wait chains. A `waitUntil` step waits until the next HH:MM in the contact's
 * (or the workflow's) time zone; a chain of waits right after an action step (e.g. 3 days, then the
 * next 09:00) is computed in one go by that step's Task, which returns the chain's seconds for the
 * one Wait state after it (see compiler.ts).
 */
import type { Contact } from '#contacts/model.js';
import type { ChainWait } from './compile-actions.js';

/** The contact's own time zone (custom field `timezone`) when asked for and valid, else UTC. */
export function zoneFor(contact: Pick<Contact, 'fields'> | undefined, timezone: string): string {
  if (timezone !== 'contact') return timezone;
  const own = contact?.fields.timezone;
  if (typeof own === 'string') {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: own });
      return own;
    } catch {
      return 'UTC';
    }
  }
  return 'UTC';
}

/** Seconds from `now` until the next HH:MM wall-clock time in `zone` (never 0: at least 1 second). */
export function secondsUntil(now: Date, time: string, zone: string): number {
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(now);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const localNowAsUtc = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  const offset = localNowAsUtc - Math.floor(now.getTime() / 1000) * 1000;
  let target = Date.UTC(get('year'), get('month') - 1, get('day'), hh, mm, 0) - offset;
  if (target <= now.getTime()) target += 24 * 3600 * 1000;
  return Math.max(1, Math.round((target - now.getTime()) / 1000));
}

/** Seconds from `now` to the end of the chain: its waits one after the other, each from where the last ended. */
export function chainSeconds(
  now: Date,
  waits: ChainWait[],
  contact: Pick<Contact, 'fields'> | undefined,
): number {
  let at = now.getTime();
  for (const wait of waits)
    at +=
      1000 *
      ('seconds' in wait
        ? wait.seconds
        : secondsUntil(new Date(at), wait.time, zoneFor(contact, wait.timezone)));
  return Math.round((at - now.getTime()) / 1000);
}
