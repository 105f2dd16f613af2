/** Meeting types (booking pages): created, edited and deleted by an admin; read by slug on the public page. */
import { minutesOf, overlapsEarlier } from '#platform/day-ranges.js';
import { conflict, invalid, notFound, staleVersion } from '#platform/errors.js';
import { withOptimisticRetry } from '#platform/retry.js';
import { CommitConflict, type ListOptions, type Page } from '#platform/store.js';
import { canonicalTimeZone } from '#platform/time-zone.js';
import { normalizeEmail } from '#platform/values.js';
import { BLOCK_MINUTES, type MeetingType } from './model.js';
import type { AppointmentsDeps } from './store.js';

/** A booking page's settings: the record less what Tendril keeps itself. */
export type MeetingTypeInput = Omit<MeetingType, 'id' | 'version' | 'createdAt' | 'updatedAt'>;

/** What a schema cannot say alone: times on the grid, each day's hours in order and not overlapping. */
function checked(input: MeetingTypeInput): MeetingTypeInput {
  const timeZone = canonicalTimeZone(input.timeZone);
  const details = [];
  if (!timeZone)
    details.push({ path: 'timeZone', message: 'must be an IANA time zone such as Europe/Paris' });
  input.workingHours.forEach((h, i) => {
    for (const key of ['start', 'end'] as const)
      if (minutesOf(h[key]) % BLOCK_MINUTES !== 0)
        details.push({
          path: `workingHours.${i}.${key}`,
          message: `must be on the quarter hour (${BLOCK_MINUTES} min)`,
        });
    if (minutesOf(h.end) <= minutesOf(h.start))
      details.push({ path: `workingHours.${i}.end`, message: 'must be after start' });
    else if (minutesOf(h.end) - minutesOf(h.start) < input.durationMinutes)
      details.push({
        path: `workingHours.${i}`,
        message: `is shorter than the meeting (${input.durationMinutes} min): no time would be offered in it`,
      });
    if (overlapsEarlier(input.workingHours, i))
      details.push({
        path: `workingHours.${i}`,
        message: `overlaps another range on ${h.day}`,
      });
  });
  if (details.length > 0 || !timeZone)
    throw invalid('validation_error', 'some settings of the booking page are not valid', details);
  return {
    ...input,
    timeZone,
    ownerEmail: normalizeEmail(input.ownerEmail),
    remindersMinutesBefore: [...new Set(input.remindersMinutesBefore)].sort((a, b) => b - a),
  };
}

const slugTaken = (slug: string) =>
  conflict('slug_taken', `another booking page is at /m/${slug}: choose another address`, { slug });

export async function createMeetingType(
  deps: AppointmentsDeps,
  input: MeetingTypeInput,
): Promise<MeetingType> {
  const at = deps.clock.now().toISOString();
  const type: MeetingType = {
    id: deps.ids.next(),
    ...checked(input),
    version: 1,
    createdAt: at,
    updatedAt: at,
  };
  if (!type.description) delete type.description;
  try {
    await deps.store.commit([{ kind: 'putMeetingType', type }]);
  } catch (err) {
    if (err instanceof CommitConflict && err.part === 'slug') throw slugTaken(type.slug);
    throw err;
  }
  return type;
}

export async function getMeetingType(deps: AppointmentsDeps, id: string): Promise<MeetingType> {
  const type = await deps.store.getMeetingType(id);
  if (!type) throw notFound('meeting type', id);
  return type;
}

export const listMeetingTypes = (deps: AppointmentsDeps, options: ListOptions): Promise<Page<MeetingType>> =>
  deps.store.listMeetingTypes(options);

/** Replaces a meeting type's settings (optimistic concurrency on `version`); appointments booked stay as booked. */
export async function updateMeetingType(
  deps: AppointmentsDeps,
  id: string,
  input: MeetingTypeInput,
  version: number,
): Promise<MeetingType> {
  const current = await getMeetingType(deps, id);
  if (current.version !== version) throw staleVersion('meeting type', id, current.version);
  const type: MeetingType = {
    ...checked(input),
    id,
    version: version + 1,
    createdAt: current.createdAt,
    updatedAt: deps.clock.now().toISOString(),
  };
  if (!type.description) delete type.description;
  try {
    await deps.store.commit([
      { kind: 'putMeetingType', type, expectedVersion: version, previousSlug: current.slug },
    ]);
  } catch (err) {
    if (!(err instanceof CommitConflict)) throw err;
    if (err.part === 'slug') throw slugTaken(type.slug);
    throw staleVersion('meeting type', id, (await getMeetingType(deps, id)).version);
  }
  return type;
}

/** Deletes a meeting type: its page goes; appointments booked on it stand. */
export async function deleteMeetingType(deps: AppointmentsDeps, id: string): Promise<void> {
  await withOptimisticRetry(
    async () => {
      const type = await deps.store.getMeetingType(id);
      if (!type) throw notFound('meeting type', id);
      await deps.store.commit([{ kind: 'deleteMeetingType', type }]);
    },
    () => true,
  );
}
