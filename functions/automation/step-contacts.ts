/**
 * Who is behind a step's counts: the contacts of the published version at a step now (`current`)
 * or that ever entered it (`entered`), newest entry first, a page at a time.
 */
import { notFound } from '#platform/errors.js';
import type { ListOptions, Page } from '#platform/store.js';
import { allSteps, type WorkflowDefinition } from './language.js';
import { pathStepId } from './split.js';
import type { STEP_LIST_STATUSES, StepContact } from './step-contact.js';
import type { AutomationDeps } from './store.js';
import { getWorkflowRecord } from './workflows.js';

/** The step ids a version counts: its steps and each split's paths (`<split>/a`). */
function countedSteps(def: WorkflowDefinition): Set<string> {
  const ids = new Set<string>();
  for (const { step } of allSteps(def.steps)) {
    ids.add(step.id);
    if (step.type === 'split') for (const [i] of step.branches.entries()) ids.add(pathStepId(step.id, i));
  }
  return ids;
}

export async function listStepContacts(
  deps: AutomationDeps,
  workflowId: string,
  stepId: string,
  query: ListOptions & { status: (typeof STEP_LIST_STATUSES)[number] },
): Promise<Page<StepContact>> {
  const workflow = await getWorkflowRecord(deps, workflowId);
  const version = workflow.publishedVersion
    ? await deps.store.getWorkflowVersion(workflowId, workflow.publishedVersion)
    : undefined;
  // Counts (and so their contacts) are kept for the steps of the published version only.
  if (!version || !countedSteps(version.definition as WorkflowDefinition).has(stepId))
    throw notFound('step', stepId);
  const page = await deps.store.listStepEnrollments(workflowId, version.version, stepId, query.status, {
    limit: query.limit,
    cursor: query.cursor,
  });
  const contacts = await deps.store.getContacts([...new Set(page.items.map((e) => e.contactId))]);
  return {
    // A contact erased meanwhile takes its enrollments with it: it is left out.
    items: page.items.flatMap((e) => {
      const c = contacts.get(e.contactId);
      if (!c) return [];
      return [
        {
          ...e,
          email: c.email,
          ...(c.firstName ? { firstName: c.firstName } : {}),
          ...(c.lastName ? { lastName: c.lastName } : {}),
        },
      ];
    }),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}
