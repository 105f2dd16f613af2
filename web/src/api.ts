/** The admin API client: bearer auth, JSON in and out, and the API's error format surfaced as-is. */
import type { components, operations } from './api-types.js';
import { currentToken, whenSignedInAgain } from './auth.js';

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

/**
 * One authenticated request; a refusal becomes an ApiError. A 401 (the session ended) waits for the
 * user to sign in again over the screen, then sends the request again: what they typed and submitted
 * goes through (a refused token means the API did nothing with it). Signing out instead fails it.
 */
async function request(method: string, path: string, body?: unknown): Promise<Response> {
  for (;;) {
    const token = currentToken() ?? '';
    const res = await fetch(path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    }).catch(() => {
      // The browser's own words ("Failed to fetch", "NetworkError when…") tell a user nothing.
      throw new ApiError(
        0,
        'network',
        'Tendril could not be reached. Check your connection, then retry.',
        [],
      );
    });
    if (res.status !== 401) return refusal(res);
    // Signed in again while this request was on its way: send it again with the new token.
    if (currentToken() && currentToken() !== token) continue;
    await whenSignedInAgain().catch(() => {
      throw new ApiError(401, 'unauthorized', 'Your session has ended: sign in again.', []);
    });
  }
}

/** A response that is not a 2xx becomes an ApiError: the API's own words, or its status in words. */
async function refusal(res: Response): Promise<Response> {
  if (res.ok) return res;
  const text = await res.text();
  let error: Partial<ApiErrorBody['error']> | undefined;
  try {
    error = text ? (JSON.parse(text) as Partial<ApiErrorBody>).error : undefined;
  } catch {
    // not the API's JSON (a proxy's page): the status says enough
  }
  throw new ApiError(
    res.status,
    typeof error?.code === 'string' ? error.code : 'error',
    typeof error?.message === 'string'
      ? error.message
      : res.status >= 500
        ? `Tendril could not answer just now (HTTP ${res.status}). Try again in a moment.`
        : `The request was refused (HTTP ${res.status}).`,
    error?.details ?? [],
  );
}

/** What a 2xx whose body is not JSON (a proxy's or a captive portal's HTML page) is said as. */
export const UNEXPECTED_ANSWER = 'The server sent an unexpected answer. Try again.';

export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await request(method, path, body);
  const text = await res.text();
  if (!text) return undefined as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    // Never the parser's words ("Unexpected token '<'").
    throw new ApiError(res.status, 'unexpected_answer', UNEXPECTED_ANSWER, []);
  }
}

/**
 * A CSV download of the API (it needs the bearer token, so no plain link can fetch it): every page,
 * following X-Next-Cursor, joined under one header row.
 */
export async function apiCsv(path: string): Promise<{ text: string; filename: string }> {
  let text = '';
  let filename = 'download.csv';
  let cursor: string | null = null;
  do {
    const sep = path.includes('?') ? '&' : '?';
    const res = await request('GET', cursor ? `${path}${sep}cursor=${encodeURIComponent(cursor)}` : path);
    const page = await res.text();
    filename = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? filename;
    // Later pages repeat the header row.
    text += text ? page.slice(page.indexOf('\n') + 1) : page;
    cursor = res.headers.get('x-next-cursor');
  } while (cursor);
  return { text, filename };
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
export type Purchase = Schemas['Purchase'];
export type Form = Schemas['Form'];
export type DroppedSubmission = Schemas['DroppedSubmission'];
export type Template = Schemas['EmailTemplate'];
export type Workflow = Schemas['Workflow'];
export type WorkflowDetail = Schemas['WorkflowView'];
export type StepContact = Schemas['StepContact'];
/** The contacts at a published workflow's step now (`current`) or that ever entered it, a page. */
export const stepContacts = (
  workflowId: string,
  stepId: string,
  status: 'current' | 'entered',
  cursor?: string,
) =>
  api<Page<StepContact>>(
    'GET',
    // A split's path (`<split>/a`) goes as the split's step and a `path` (never a `/` in the URL's path).
    `/v1/workflows/${workflowId}/steps/${encodeURIComponent(stepId.split('/')[0] ?? stepId)}/contacts${query({ status, path: stepId.split('/')[1], limit: 25, cursor })}`,
  );
export type Pipeline = Schemas['Pipeline'];
export type Deal = Schemas['Deal'];
export type MoneyTotal = Schemas['MoneyTotal'];
export type Board = Schemas['Board'];
export type Task = Schemas['Task'];
export type Dashboard = Schemas['Dashboard'];
export type DealAttribution = Schemas['DealAttribution'];
export type ApiErrorBody = Schemas['Error'];
export type Import = Schemas['Import'];
export type Campaign = Schemas['Campaign'];
export type CampaignView = Schemas['CampaignView'];
export type Segment = Schemas['Segment'];
export type EmailSettings = Schemas['EmailSettings'];
export type AudienceSize = Schemas['AudienceSize'];
/** A new import and where its file is uploaded (one PUT, or parts). */
export type CreatedImport = operations['createImport']['responses'][201]['content']['application/json'];
export type ImportView = Schemas['ImportView'];
export type ImportPreview = Schemas['ImportPreview'];
export type ImportOptions = Schemas['ImportOptions'];
export type ColumnTarget = Schemas['ColumnTarget'];
export type BulkJob = Schemas['BulkJob'];
export type BulkJobView = Schemas['BulkJobView'];
export type BulkAction = Schemas['BulkAction'];
export type Audience = Schemas['Audience'];
export type ApiKey = Schemas['ApiKey'];
export type CreatedApiKey = operations['createApiKey']['responses'][201]['content']['application/json'];
export type Webhook = Schemas['Webhook'];
export type WebhookDelivery = Schemas['WebhookDelivery'];
export type CreatedWebhook = operations['createWebhook']['responses'][201]['content']['application/json'];
export type WebhookEventType = NonNullable<
  operations['createWebhook']['requestBody']
>['content']['application/json']['eventTypes'][number];
export type MeetingType = Schemas['MeetingType'];
export type WorkingHours = Schemas['WorkingHours'];
export type Appointment = Schemas['Appointment'];
export type ScoringSettings = Schemas['ScoringSettings'];
export type ScoringRule = Schemas['ScoringRule'];
export type ScoringSignal = ScoringRule['on'];
export type ContactStanding = Schemas['ContactStanding'];
export type ScoreChange = Schemas['ScoreChange'];
export type LifecycleStage = NonNullable<ContactStanding['stage']>;
export type StandingSummary = Schemas['StandingSummary'];
export type ContactPrediction = Schemas['ContactPrediction'];
export type PredictionFactor = Schemas['PredictionFactor'];
export type PredictionModelView = Schemas['PredictionModelView'];
export type Article = Schemas['Article'];
export type Case = Schemas['Case'];
export type CaseStatus = Case['status'];
export type CaseMessage = Schemas['CaseMessage'];
export type CaseView = Schemas['CaseView'];
export type ServiceSettings = Schemas['ServiceSettings'];
export type CannedResponse = Schemas['CannedResponse'];
export type ArticleSummary = Schemas['ArticleSummary'];
