/**
 * The workspace's email settings: the frequency cap on marketing emails. Saved whole; with the
 * `updatedAt` the edit started from, only if nobody saved since (a 409 otherwise, as the screen
 * does); without it, over whatever is saved (an API client setting a value).
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
  /** The `updatedAt` of the settings this edit started from (absent: saved over whatever is there). */
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
