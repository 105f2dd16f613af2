/**
 * Which times a booking page offers: the meeting type's working hours in its time zone, on a grid of
 * the meeting's length (at most half an hour), from its minimum notice to its horizon, without the calendar
 * blocks already held by the owner's other appointments (and their buffers).
 */
import { instantOf, localDateOf } from '#platform/time-zone.js';
import { BLOCK_MINUTES, type MeetingType, WEEKDAYS, type Weekday } from './model.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

/** The calendar blocks a meeting at `startsAt` holds: its own time and the buffer after it. */
export function blocksOf(startsAt: Date, durationMinutes: number, bufferMinutes: number): string[] {
  const count = (durationMinutes + bufferMinutes) / BLOCK_MINUTES;
  return Array.from({ length: count }, (_, i) =>
    new Date(startsAt.getTime() + i * BLOCK_MINUTES * MINUTE).toISOString(),
  );
}

/** Offered slots start this often: the meeting's length, at most half an hour. */
export const stepMinutes = (type: Pick<MeetingType, 'durationMinutes'>) => Math.min(type.durationMinutes, 30);

const weekdayOf = (date: string): Weekday => {
  const [y, m, d] = date.split('-').map(Number);
  // getUTCDay: 0 is Sunday; WEEKDAYS starts on Monday.
  return WEEKDAYS[(new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)).getUTCDay() + 6) % 7] as Weekday;
};

const nextDate = (date: string) => new Date(Date.parse(`${date}T12:00:00Z`) + DAY).toISOString().slice(0, 10);

export interface DaySlots {
  /** The date in the meeting type's time zone. */
  date: string;
  /** Start instants, ISO. */
  starts: string[];
}

/**
 * The slots the page offers at `now`, day by day (days without a free slot left out). `busy` holds
 * the start instants (ISO) of the owner's held blocks.
 */
export function freeSlots(type: MeetingType, busy: ReadonlySet<string>, now: Date): DaySlots[] {
  if (!type.active) return [];
  const earliest = now.getTime() + type.minNoticeMinutes * MINUTE;
  const latest = now.getTime() + type.horizonDays * DAY;
  const step = stepMinutes(type) * MINUTE;
  const length = type.durationMinutes * MINUTE;
  const days: DaySlots[] = [];
  let date = localDateOf(now, type.timeZone);
  // The horizon in days, and one more: the last day's morning may still be inside it.
  for (let i = 0; i <= type.horizonDays; i++, date = nextDate(date)) {
    const weekday = weekdayOf(date);
    const starts: string[] = [];
    for (const hours of type.workingHours.filter((h) => h.day === weekday)) {
      const open = instantOf({ date, time: hours.start }, type.timeZone).getTime();
      const close = instantOf({ date, time: hours.end }, type.timeZone).getTime();
      for (let t = open; t + length <= close; t += step) {
        if (t < earliest || t > latest) continue;
        const blocks = blocksOf(new Date(t), type.durationMinutes, type.bufferMinutes);
        if (blocks.some((b) => busy.has(b))) continue;
        starts.push(new Date(t).toISOString());
      }
    }
    if (starts.length > 0) days.push({ date, starts: [...new Set(starts)].sort() });
  }
  return days;
}

/**
 * Whether the page offers `start` at `now` as far as its hours, grid, notice and horizon go (the
 * blocks' being free is the booking's transaction to find out).
 */
export function isOffered(type: MeetingType, start: Date, now: Date): boolean {
  const iso = start.toISOString();
  return freeSlots(type, new Set(), now).some((day) => day.starts.includes(iso));
}

/** A start time as people read it, in `timeZone`: `Tuesday, 8 December 2026 at 10:00 (Europe/Paris)`. */
export const formatStart = (startsAt: string, timeZone: string) =>
  `${new Intl.DateTimeFormat('en-GB', { timeZone, dateStyle: 'full', timeStyle: 'short' }).format(new Date(startsAt))} (${timeZone})`;
