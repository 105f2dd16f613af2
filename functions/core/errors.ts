/** Domain errors. The HTTP layer maps `status` and `code` onto the `{"error":{...}}` response. */
export interface ErrorDetail {
  path: string;
  message: string;
  code?: string;
}

export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] | Record<string, unknown> = [],
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string, id: string) =>
  new DomainError(404, 'not_found', `${what} ${id} does not exist`, { id });

export const validationError = (message: string, details: ErrorDetail[]) =>
  new DomainError(400, 'validation_error', message, details);

export const conflict = (code: string, message: string, details: Record<string, unknown> = {}) =>
  new DomainError(409, code, message, details);

/** A 400 for a body field that names a record that does not exist. */
export const invalidReference = (path: string, what: string, id: string) =>
  new DomainError(400, 'invalid_reference', `${what} ${id} does not exist`, [
    { path, message: `${what} ${id} does not exist`, code: 'invalid_reference' },
  ]);
