/**
 * The workspace's email settings: the frequency cap on marketing emails. Saved whole, with
 * optimistic concurrency on the last save (a 409 when someone saved meanwhile).
 */
import { conflict } from '#platform/errors.js';
import { CommitConflict } from '#platform/store.js';
import type { EmailSettings } from './model.js';
import type { MessagingDeps } from './store.js';

export const getEmailSettings = (deps: MessagingDeps): Promise<EmailSettings> =>
  deps.store.getEmailSettings();

export interface EmailSettingsInput {
  /** `null`: no cap. */
  frequencyCap: { max: number; days: number } | null;
  /** The `updatedAt` of the settings this edit started from (absent: none were saved yet). */
  expectedUpdatedAt?: string;
}

export async function saveEmailSettings(
  deps: MessagingDeps,
  input: EmailSettingsInput,
): Promise<EmailSettings> {
  const settings: EmailSettings = {
    ...(input.frequencyCap ? { frequencyCap: input.frequencyCap } : {}),
    updatedAt: deps.clock.now().toISOString(),
  };
  try {
    await deps.store.commit([
      {
        kind: 'putEmailSettings',
        settings,
        ...(input.expectedUpdatedAt ? { expectedUpdatedAt: input.expectedUpdatedAt } : {}),
      },
    ]);
  } catch (err) {
    if (err instanceof CommitConflict)
      throw conflict('settings_changed', 'the email settings were changed meanwhile; reload and retry');
    throw err;
  }
  return settings;
}
