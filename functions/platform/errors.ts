/**
 * Domain errors: a kind (what went wrong, in the domain's words) and a stable code. They carry no
 * transport detail: the HTTP layer (platform/http/handler.ts) alone maps a kind onto a status.
 */
export interface ErrorDetail {
  path: string;
  message: string;
  code?: string;
}

export const ERROR_KINDS = [
  /** The input breaks a rule (validation, a reference to nothing, a time in the past). */
  'invalid',
  /** The addressed record does not exist. */
  'not_found',
  /** The request contradicts the current state (stale version, taken email, closed follow-up). */
  'conflict',
  /** The caller may not do this (a forged token, a foreign origin). */
  'forbidden',
  /** The caller is not signed in. */
  'unauthenticated',
  /** Too many requests from this caller; try later. */
  'rate_limited',
  /** The input is larger than allowed. */
  'too_large',
  /** The input comes in a form that is not understood (media type). */
  'unsupported',
  /** Contention or a dependency that is momentarily unavailable; nothing was written; retry. */
  'busy',
] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] | Record<string, unknown> = [],
    /** Seconds after which a retry may succeed (busy, rate_limited). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string, id: string) =>
  new DomainError('not_found', 'not_found', `${what} ${id} does not exist`, { id });

export const validationError = (message: string, details: ErrorDetail[]) =>
  new DomainError('invalid', 'validation_error', message, details);

/** A rule broken at one path, with its own code (e.g. `send_at_in_past`). */
export const invalid = (code: string, message: string, details: ErrorDetail[] = []) =>
  new DomainError('invalid', code, message, details);

export const conflict = (code: string, message: string, details: Record<string, unknown> = {}) =>
  new DomainError('conflict', code, message, details);

export const forbidden = (code: string, message: string) => new DomainError('forbidden', code, message);

export const busy = (message: string, retryAfterSeconds = 1) =>
  new DomainError('busy', 'busy', message, [], retryAfterSeconds);

/** A body field that names a record that does not exist. */
export const invalidReference = (path: string, what: string, id: string) =>
  invalid('invalid_reference', `${what} ${id} does not exist`, [
    { path, message: `${what} ${id} does not exist`, code: 'invalid_reference' },
  ]);

/** A record that is at another version than the caller read. */
export const staleVersion = (what: string, id: string, currentVersion: number) =>
  conflict('version_conflict', `${what} ${id} is at version ${currentVersion}; reload and retry`, {
    currentVersion,
  });

/**
 * A failure worth retrying later (a throttled provider): workflow steps let Step Functions retry it
 * (`Tendril.Retryable` in the compiled Retry), schedules let EventBridge Scheduler retry.
 */
export class RetryableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Tendril.Retryable';
  }
}
