/** A contact behind a step's counts (GET /v1/workflows/{id}/steps/{stepId}/contacts). */
import * as z from 'zod/mini';
import '#platform/zod-messages.js';

export const STEP_LIST_STATUSES = ['current', 'entered'] as const;

export const StepContactSchema = z.lazy(() =>
  z
    .object({
      contactId: z.string(),
      enrollmentId: z.string(),
      /** When the enrollment entered the step. */
      enteredAt: z.string(),
      email: z.optional(z.string()),
      firstName: z.optional(z.string()),
      lastName: z.optional(z.string()),
    })
    .check(z.meta({ id: 'StepContact' })),
);
export type StepContact = z.infer<typeof StepContactSchema>;
