/** The admin API client: bearer auth, JSON in and out, and the API's error format surfaced as-is. */
import { currentToken, signOut } from './auth.js';

export interface ApiErrorDetail {
  path: string;
  message: string;
  code?: string;
}

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
    const error = (json as { error?: { code: string; message: string; details: ApiErrorDetail[] } })?.error;
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

// ---- the records the screens show (the API's OpenAPI document is the reference) ----
export interface Contact {
  id: string;
  email: string;
  firstName?: string;
  lastName?: string;
  phone?: string;
  company?: string;
  source?: string;
  fields: Record<string, string | number | boolean>;
  tags: string[];
  version: number;
  createdAt: string;
  unsubscribedAt?: string;
}
export interface Activity {
  id: string;
  type: string;
  body?: string;
  occurredAt: string;
  amount?: number;
  currency?: string;
}
export interface Enrollment {
  id: string;
  workflowId: string;
  version: number;
  status: string;
  stopReason?: string;
  currentStep?: string;
  enrolledAt: string;
}
export interface FollowUp {
  id: string;
  templateId: string;
  sendAt: string;
  status: string;
  reason?: string;
}
export interface Form {
  id: string;
  name: string;
  fields: Array<{ name: string; label: string; type: string; required: boolean }>;
  tags: string[];
  consent?: { text: string; required: boolean };
  createdAt: string;
}
export interface Template {
  id: string;
  name: string;
  subject: string;
  html: string;
  text?: string;
  version: number;
}
export interface Workflow {
  id: string;
  name: string;
  status: 'draft' | 'active' | 'paused';
  definition: Record<string, unknown>;
  publishedVersion?: number;
}
export interface WorkflowDetail {
  workflow: Workflow;
  published?: { version: number; asl: Record<string, unknown>; publishedAt: string };
  stats?: {
    enrolled: number;
    active: number;
    outcomes: Record<string, number>;
    steps: Record<string, { entered: number; current: number }>;
  };
}
export interface Pipeline {
  id: string;
  name: string;
  stages: Array<{ name: string; probability: number }>;
}
export interface Deal {
  id: string;
  title: string;
  amount: number;
  currency: string;
  stage: string;
  version: number;
  contactId?: string;
}
export interface MoneyTotal {
  currency: string;
  amount: number;
  weighted: number;
}
export interface Board {
  pipeline: Pipeline;
  stages: Array<{ name: string; probability: number; count: number; totals: MoneyTotal[]; deals: Deal[] }>;
  totals: MoneyTotal[];
}
export interface Task {
  id: string;
  title: string;
  dueAt: string;
  status: 'open' | 'done';
  contactId?: string;
  owner?: string;
  version: number;
  remindedAt?: string;
}
export interface Dashboard {
  from: string;
  to: string;
  contacts: { total: number };
  leads: { total: number; bySource: Record<string, number>; byDay: Array<{ date: string; total: number }> };
  tags: Array<{ tag: string; count: number }>;
  pipelines: Array<{
    pipelineId: string;
    name: string;
    stages: Array<{ stage: string; count: number; values: MoneyTotal[] }>;
  }>;
  email: {
    byTemplate: Array<{ templateId: string; sent: number; opened: number; clicked: number; bounced: number }>;
    byWorkflow: Array<{ workflowId: string; sent: number; opened: number; clicked: number; bounced: number }>;
  };
  followUpsDue: { total: number; byDay: Array<{ date: string; count: number }> };
}
