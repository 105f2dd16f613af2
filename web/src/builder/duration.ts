/** Durations: ISO-8601 (P2D, PT12H, P1W) in words, and as a number and a unit (the builder's inputs). */

export type DurationUnit = 'minutes' | 'hours' | 'days' | 'weeks';
export const UNIT_SECONDS: Record<DurationUnit, number> = {
  minutes: 60,
  hours: 3600,
  days: 86_400,
  weeks: 604_800,
};
const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

export function durationSeconds(iso: string): number | undefined {
  const m = DURATION.exec(iso);
  if (!m || iso === 'P' || iso.endsWith('T')) return undefined;
  const [w, d, h, min, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number];
  return (((w * 7 + d) * 24 + h) * 60 + min) * 60 + s;
}

/** A duration as one number and the largest unit it is a whole number of (30 hours for P1DT6H). */
export function durationParts(iso: string): { amount: number; unit: DurationUnit } | undefined {
  const seconds = durationSeconds(iso);
  if (seconds === undefined || seconds <= 0) return undefined;
  for (const unit of ['weeks', 'days', 'hours', 'minutes'] as const)
    if (seconds % UNIT_SECONDS[unit] === 0) return { amount: seconds / UNIT_SECONDS[unit], unit };
  return undefined;
}

export function isoDuration(amount: number, unit: DurationUnit): string {
  switch (unit) {
    case 'weeks':
      return `P${amount}W`;
    case 'days':
      return `P${amount}D`;
    case 'hours':
      return `PT${amount}H`;
    case 'minutes':
      return `PT${amount}M`;
  }
}

/** "2 days", "1 day 6 hours", "90 seconds"; the text itself when it is no duration. */
export function durationWords(iso: string): string {
  const total = durationSeconds(iso);
  if (total === undefined) return iso;
  if (total === 0) return 'no time';
  const parts: string[] = [];
  let left = total;
  for (const [unit, size] of [
    ['week', 604_800],
    ['day', 86_400],
    ['hour', 3600],
    ['minute', 60],
    ['second', 1],
  ] as const) {
    const n = Math.floor(left / size);
    left -= n * size;
    if (n > 0) parts.push(`${n} ${unit}${n === 1 ? '' : 's'}`);
  }
  return parts.join(' ');
}
