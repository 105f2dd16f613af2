/**
 * The customer service events of the contract (events.ts spreads them in): cases opened from email,
 * forms, the API or the admin app, the messages on them and their status.
 */
import * as z from 'zod/mini';
import './zod-messages.js';
import { EVENT_SOURCES, envelope } from './event-parts.js';

const caseDetail = () => ({
  ...envelope(),
  caseId: z.string(),
  contactId: z.string(),
  priority: z.string(),
  /** The agent the case is assigned to, when it is. */
  assignee: z.optional(z.string()),
  /** When the case was opened (response and resolution times are measured from it). */
  openedAt: z.string(),
});

export const serviceEventContracts = {
  /** A case was opened (`channel`: email, form, api, ui). */
  CaseCreated: {
    source: EVENT_SOURCES.service,
    detail: z.lazy(() => z.object({ ...caseDetail(), channel: z.string() })),
  },
  /** The contact wrote on a case (an email in): a sales sequence may end on it (`emailReplied`). */
  CaseMessageReceived: {
    source: EVENT_SOURCES.service,
    detail: z.lazy(() => z.object({ ...caseDetail(), messageId: z.string(), channel: z.string() })),
  },
  /**
   * An agent's reply went out to the contact; `first`: the case's first response, `late`: after its
   * SLA target was missed (absent in events from before it was told).
   */
  CaseReplied: {
    source: EVENT_SOURCES.service,
    detail: z.lazy(() =>
      z.object({ ...caseDetail(), messageId: z.string(), first: z.boolean(), late: z.optional(z.boolean()) }),
    ),
  },
  CaseStatusChanged: {
    source: EVENT_SOURCES.service,
    detail: z.lazy(() => z.object({ ...caseDetail(), from: z.string(), to: z.string() })),
  },
  /** The case was resolved (also announced as a CaseStatusChanged); `late`: after its SLA target was missed. */
  CaseResolved: {
    source: EVENT_SOURCES.service,
    detail: z.lazy(() => z.object({ ...caseDetail(), late: z.optional(z.boolean()) })),
  },
  /** The case's assignee changed (absent `to`: unassigned). */
  CaseAssigned: {
    source: EVENT_SOURCES.service,
    detail: z.lazy(() =>
      z.object({
        ...caseDetail(),
        status: z.string(),
        from: z.optional(z.string()),
        to: z.optional(z.string()),
      }),
    ),
  },
  /** The case missed a target of its SLA policy (`first_response` or `resolution`). */
  CaseSlaBreached: {
    source: EVENT_SOURCES.service,
    detail: z.lazy(() =>
      z.object({ ...caseDetail(), target: z.enum(['first_response', 'resolution']), dueAt: z.string() }),
    ),
  },
  /** The customer rated the case's resolution (CSAT, 1–5). */
  CaseRated: {
    source: EVENT_SOURCES.service,
    detail: z.lazy(() => z.object({ ...caseDetail(), rating: z.int(), previous: z.optional(z.int()) })),
  },
} as const;
