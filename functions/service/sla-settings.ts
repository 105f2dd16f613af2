/** The workspace's SLA settings: read (the defaults until saved) and saved, checked, version-guarded. */
import { minutesOf, overlapsEarlier } from '#platform/day-ranges.js';
import { invalid, staleVersion } from '#platform/errors.js';
import { CommitConflict } from '#platform/store.js';
import { canonicalTimeZone } from '#platform/time-zone.js';
import { normalizeEmail, uniqueSorted } from '#platform/values.js';
import type { AssigneeOf } from './cases.js';
import { serviceSettingsOf } from './sla.js';
import type { ServiceSettings, ServiceSettingsInput } from './sla-model.js';
import type { ServiceDeps } from './store.js';

export const getServiceSettings = serviceSettingsOf;

/**
 * Saves the settings. A new `escalation.assignTo` goes through `assigneeOf` (the API's users check:
 * 400 `invalid_reference` on `escalation.assignTo` for anyone who is not a user); the one saved
 * already is kept as it is (text saved before assignees were users included: see sla-timers.ts).
 */
export async function saveServiceSettings(
  deps: ServiceDeps,
  input: ServiceSettingsInput,
  assigneeOf: AssigneeOf = async (assignee) => assignee,
): Promise<ServiceSettings> {
  const current = await serviceSettingsOf(deps);
  const expected = input.expectedVersion ?? current.version;
  if (expected !== current.version)
    throw staleVersion('service settings', 'of the workspace', current.version);
  const details: Array<{ path: string; message: string }> = [];
  const timeZone = canonicalTimeZone(input.timeZone);
  if (!timeZone) details.push({ path: 'timeZone', message: 'must be a time zone such as Europe/Paris' });
  input.businessHours.forEach((h, i) => {
    if (minutesOf(h.end) <= minutesOf(h.start))
      details.push({ path: `businessHours.${i}.end`, message: 'must be after start' });
    if (overlapsEarlier(input.businessHours, i))
      details.push({ path: `businessHours.${i}`, message: `overlaps another range on ${h.day}` });
  });
  input.holidays.forEach((date, i) => {
    const day = new Date(`${date}T00:00:00Z`);
    if (Number.isNaN(day.getTime()) || day.toISOString().slice(0, 10) !== date)
      details.push({ path: `holidays.${i}`, message: 'is not a date of the calendar' });
  });
  for (const [priority, policy] of Object.entries(input.policies))
    if (policy.resolutionMinutes < policy.firstResponseMinutes)
      details.push({
        path: `policies.${priority}.resolutionMinutes`,
        message: 'must not be shorter than the first response target',
      });
  if (details.length > 0 || !timeZone)
    throw invalid('validation_error', 'some SLA settings are not valid', details);
  const { assignTo } = input.escalation;
  const assignee =
    assignTo === undefined || assignTo === current.escalation.assignTo
      ? assignTo
      : await assigneeOf(assignTo);
  const { expectedVersion: _, ...fields } = input;
  const settings: ServiceSettings = {
    ...fields,
    timeZone,
    holidays: uniqueSorted(input.holidays),
    escalation: {
      ...input.escalation,
      ...(assignee !== undefined ? { assignTo: assignee } : {}),
      ...(input.escalation.notify ? { notify: normalizeEmail(input.escalation.notify) } : {}),
    },
    version: current.version + 1,
    updatedAt: deps.clock.now().toISOString(),
  };
  try {
    await deps.store.commit([{ kind: 'putServiceSettings', settings, expectedVersion: current.version }]);
  } catch (err) {
    if (err instanceof CommitConflict)
      throw staleVersion('service settings', 'of the workspace', (await serviceSettingsOf(deps)).version);
    throw err;
  }
  return settings;
}
