/** The admin API client: bearer auth, JSON in and out, and the API's error format surfaced as-is. */
import type { components } from './api-types.js';
import { currentToken, signOut } from './auth.js';

/** One problem of a refused request, at its path (the `details` of a validation error). */
export type ApiErrorDetail = Extract<components['schemas']['Error']['error']['details'], unknown[]>[number];

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ApiErrorDetail[] | Record<string, unknown>,
  ) {
    super(message);
  }
  /** Problems with a path (validation errors), else none. */
  get problems(): ApiErrorDetail[] {
    return Array.isArray(this.details) ? this.details : [];
  }
}

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: {
      authorization: `Bearer ${currentToken() ?? ''}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (res.status === 401) {
    signOut();
    throw new ApiError(401, 'unauthorized', 'Your session has ended: sign in again.', []);
  }
  const text = await res.text();
  const json = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const error = (json as Partial<ApiErrorBody> | undefined)?.error;
    throw new ApiError(
      res.status,
      error?.code ?? 'error',
      error?.message ?? `HTTP ${res.status}`,
      error?.details ?? [],
    );
  }
  return json as T;
}

export const query = (params: Record<string, string | number | undefined>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
};

// ---- the records the screens show: the server's schemas, through its OpenAPI document ----
type Schemas = components['schemas'];
export type Contact = Schemas['Contact'];
export type Activity = Schemas['Activity'];
export type Enrollment = Schemas['Enrollment'];
export type FollowUp = Schemas['FollowUp'];
export type Form = Schemas['Form'];
export type DroppedSubmission = Schemas['DroppedSubmission'];
export type Template = Schemas['EmailTemplate'];
export type Workflow = Schemas['Workflow'];
export type WorkflowDetail = Schemas['WorkflowView'];
export type Pipeline = Schemas['Pipeline'];
export type Deal = Schemas['Deal'];
export type MoneyTotal = Schemas['MoneyTotal'];
export type Board = Schemas['Board'];
export type Task = Schemas['Task'];
export type Dashboard = Schemas['Dashboard'];
export type ApiErrorBody = Schemas['Error'];
