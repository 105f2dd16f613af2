/**
 * IANA time zones, with the runtime's own tz database (Intl): whether a name is one, and the instant
 * a wall-clock time in a zone stands for (a campaign sent at 09:00 in each contact's time zone).
 */

const formats = new Map<string, Intl.DateTimeFormat>();

function formatOf(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** Answers of canonicalTimeZone by name as given (building a DateTimeFormat takes ~0.1 ms). */
const canonicalNames = new Map<string, string | undefined>();
const MAX_CACHED_NAMES = 2000;

const resolve = (name: string): string | undefined => {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
};

/**
 * Zones the tz database renamed that ICU (Node's, and browsers') still spells the old way: a name
 * given either way is stored the current way.
 */
const RENAMED: Record<string, string> = {
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Rangoon': 'Asia/Yangon',
  'Europe/Kiev': 'Europe/Kyiv',
  'America/Godthab': 'America/Nuuk',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Pacific/Truk': 'Pacific/Chuuk',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Enderbury': 'Pacific/Kanton',
};

/**
 * The runtime's ICU spells some zones by their older names (`Asia/Kolkata` → `Asia/Calcutta`,
 * `Europe/Kyiv` → `Europe/Kiev`): a name it knows is kept as the browser or the person wrote it,
 * only the case of a name written in lower case mended (`asia/kolkata` → `Asia/Kolkata`).
 */
function spellingOf(name: string): string | undefined {
  const spelled = asWritten(name);
  const renamed = spelled === undefined ? undefined : RENAMED[spelled];
  return renamed !== undefined && resolve(renamed) !== undefined ? renamed : spelled;
}

function asWritten(name: string): string | undefined {
  const resolved = resolve(name);
  if (resolved === undefined) return undefined;
  if (resolved.toLowerCase() === name.toLowerCase()) return resolved;
  const titled = name
    .split('/')
    .map((part) => part.replace(/[A-Za-z]+/g, (w) => w[0]?.toUpperCase() + w.slice(1).toLowerCase()))
    .join('/');
  // Only a name written all in lower case is mended (`US/Eastern` stays as written).
  return name !== name.toLowerCase() || resolve(titled) !== resolved ? name : titled;
}

/**
 * The time zone `name` stands for, in its usual spelling (`europe/paris` → `Europe/Paris`), or
 * undefined when it is not one (`Mars/Base`, an offset such as `+02:00`).
 */
export function canonicalTimeZone(name: string): string | undefined {
  if (name.length === 0 || name.length > 64 || !/^[A-Za-z]/.test(name)) return undefined;
  if (canonicalNames.has(name)) return canonicalNames.get(name);
  const canonical = spellingOf(name);
  // Names come from public forms and files: every spelling (`eUrOpE/pArIs`) and every wrong name
  // would otherwise stay in memory, so the cache starts afresh when full.
  if (canonicalNames.size >= MAX_CACHED_NAMES) canonicalNames.clear();
  canonicalNames.set(name, canonical);
  return canonical;
}

/** Whether `name` is a time zone the runtime knows (`Europe/Paris`, `America/New_York`, `UTC`). */
export const isTimeZone = (name: string): boolean => canonicalTimeZone(name) !== undefined;

/** The zone's offset from UTC at `instant`, in milliseconds (east positive). */
export function offsetAt(timeZone: string, instant: number): number {
  const parts = wallClockAt(timeZone, instant);
  const wall = Date.UTC(
    parts.year ?? 1970,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The wall clock's reading in `timeZone` at `instant`: year, month, day, hour, minute, second. */
function wallClockAt(timeZone: string, instant: number): Record<string, number> {
  const parts: Record<string, number> = {};
  for (const p of formatOf(timeZone).formatToParts(new Date(instant)))
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return parts;
}

/** The calendar date (`2026-12-05`) `instant` falls on in `timeZone`: instantOf's inverse for dates. */
export function localDateOf(instant: Date, timeZone: string): string {
  const { year = 1970, month = 1, day = 1 } = wallClockAt(timeZone, instant.getTime());
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A calendar date (`2026-12-05`) and a wall-clock time (`09:00`). */
export interface LocalTime {
  date: string;
  time: string;
}

/**
 * The instant `local` is in `timeZone`. A time skipped by a clock change (02:30 when clocks jump
 * from 02:00 to 03:00) is moved on by the jump (03:30), as calendars do; a time that happens twice
 * is its first occurrence.
 */
export function instantOf(local: LocalTime, timeZone: string): Date {
  const [y, m, d] = local.date.split('-').map(Number);
  const [hh, mm] = local.time.split(':').map(Number);
  const wall = Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1, hh ?? 0, mm ?? 0);
  // The offset a day either side; try the earlier reading first (the first occurrence).
  const offsets = [offsetAt(timeZone, wall - 86_400_000), offsetAt(timeZone, wall + 86_400_000)];
  const candidates = [...new Set(offsets)].sort((a, b) => b - a).map((o) => wall - o);
  for (const instant of candidates)
    if (instant + offsetAt(timeZone, instant) === wall) return new Date(instant);
  // Skipped: the wall time plus the offset before the jump lands just after it.
  return new Date(wall - Math.min(...offsets));
}
