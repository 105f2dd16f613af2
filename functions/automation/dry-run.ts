/**
 * A dry run: the workflow's draft followed for one contact in simulation — nothing is sent, written
 * or scheduled, waits are skipped — listing the path taken and each step's outcome, with the email
 * each send step would send rendered for the contact. Tags and fields set by steps are applied to a
 * copy of the contact as the run goes, so later conditions see them; an email's opens and clicks
 * are what the marketer assumes (none by default), for conditions and waitForEvent steps alike. The goal is checked before each step, as it is
 * when an enrollment runs.
 */
import type { Contact, FieldValue } from '#contacts/model.js';
import { getContact } from '#contacts/rules.js';
import { mergeContext, renderTemplate, TemplateRenderError } from '#messaging/template-engine.js';
import { validationError } from '#platform/errors.js';
import { conditionHolds } from './conditions.js';
import { crmStepOutcome } from './dry-run-crm.js';
import {
  durationSeconds,
  isWorkflowProperty,
  type Step,
  type WorkflowDefinition,
  workflowDefinitionSchema,
} from './language.js';
import { pathStepId, pickPath } from './split.js';
import type { AutomationDeps } from './store.js';
import { getWorkflowRecord } from './workflows.js';

export interface DryRunInput {
  contactId: string;
  /** The send steps whose email the contact is taken to have opened, or clicked (a click is an open). */
  opened?: string[];
  clicked?: string[];
}

export interface DryRunStep {
  stepId: string;
  type: Step['type'] | 'goal';
  /** What happened, in words: "would send “Welcome”", "waits 2 days (skipped)", "Yes". */
  outcome: string;
  /** A send step's email as it would go out. */
  email?: { subject: string; html: string; text: string };
}

export interface DryRunResult {
  contactId: string;
  steps: DryRunStep[];
  /** How the run ended: `completed`, `exited` (an exit step), `goal_met`, or a reason it stopped. */
  ending: string;
}

class Ended {
  constructor(readonly ending: string) {}
}

export async function dryRunWorkflow(
  deps: AutomationDeps,
  workflowId: string,
  input: DryRunInput,
): Promise<DryRunResult> {
  const workflow = await getWorkflowRecord(deps, workflowId);
  const parsed = workflowDefinitionSchema.safeParse(workflow.definition);
  if (!parsed.success)
    throw validationError(
      'the draft is not valid: fix it before a dry run',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message, code: i.code })),
    );
  const def = parsed.data;
  const contact: Contact = structuredClone(await getContact(deps, input.contactId));
  const steps: DryRunStep[] = [];
  const opened = new Set([...(input.opened ?? []), ...(input.clicked ?? [])]);
  const clicked = new Set(input.clicked ?? []);
  /** The deals the run's createDeal steps would make: the step, by pipeline. */
  const dealsMade = new Map<string, string>();
  const holds = (c: Parameters<typeof conditionHolds>[1]) =>
    conditionHolds(contact, c, (kind, step) => (kind === 'opened' ? opened : clicked).has(step));

  const run = async (list: Step[]): Promise<void> => {
    for (const step of list) {
      if (await goalMet(def, holds, contact)) {
        steps.push({ stepId: step.id, type: 'goal', outcome: 'the goal is met: the enrollment ends here' });
        throw new Ended('goal_met');
      }
      const at = (outcome: string, extra: Partial<DryRunStep> = {}) =>
        steps.push({ stepId: step.id, type: step.type, outcome, ...extra });
      switch (step.type) {
        case 'sendEmail':
          at(...(await wouldSend(deps, step.templateId, contact)));
          break;
        case 'wait':
          at(`waits ${inWords(durationSeconds(step.duration) ?? 0)} (skipped)`);
          break;
        case 'waitUntil':
          at(
            `waits until ${step.time} ${step.timezone === 'contact' ? 'in the contact’s time zone' : def.timezone} (skipped)`,
          );
          break;
        case 'if': {
          const yes = await holds(step.condition);
          at(yes ? 'Yes' : 'No');
          await run(yes ? step.then : step.else);
          break;
        }
        case 'split': {
          const index = pickPath(
            `dry-run/${contact.id}/${step.id}`,
            step.branches.map((b) => b.percent),
          );
          const letter = pathStepId(step.id, index)
            .slice(step.id.length + 1)
            .toUpperCase();
          at(`path ${letter} (${step.branches[index]?.percent}% of enrollments)`);
          await run(step.branches[index]?.steps ?? []);
          break;
        }
        case 'addTag':
          if (!contact.tags.includes(step.tag)) contact.tags.push(step.tag);
          at(`would add the tag ${step.tag}`);
          break;
        case 'removeTag':
          contact.tags = contact.tags.filter((t) => t !== step.tag);
          at(`would remove the tag ${step.tag}`);
          break;
        case 'createTask':
          at(
            `would create the task “${step.title}”, due in ${inWords(durationSeconds(step.dueIn) ?? 0)}, for ${step.owner ?? contact.owner ?? 'no one (unassigned)'}`,
          );
          break;
        case 'updateField':
          setOnCopy(contact, step.field, step.value);
          at(
            step.value === null
              ? `would clear ${step.field}`
              : `would set ${step.field} to ${JSON.stringify(step.value)}`,
          );
          break;
        case 'createDeal':
        case 'moveDeal':
        case 'notifyOwner':
        case 'webhook':
          at(await crmStepOutcome(deps, step, contact, dealsMade));
          if (step.type === 'createDeal') dealsMade.set(step.pipelineId, step.id);
          break;
        case 'waitForEvent':
          at(waitForEventOutcome(step, contact, clicked));
          break;
        case 'exit':
          at('the enrollment ends here');
          throw new Ended('exited');
      }
    }
  };
  try {
    await run(def.steps);
    return { contactId: contact.id, steps, ending: 'completed' };
  } catch (err) {
    if (err instanceof Ended) return { contactId: contact.id, steps, ending: err.ending };
    throw err;
  }
}

async function goalMet(
  def: WorkflowDefinition,
  holds: (c: Parameters<typeof conditionHolds>[1]) => Promise<boolean>,
  contact: Contact,
): Promise<boolean> {
  if (def.goal?.type === 'tagAdded') return contact.tags.includes(def.goal.tag);
  if (def.goal?.type === 'condition') return holds(def.goal.condition);
  return false; // emailReplied: no reply happens in a dry run
}

async function wouldSend(
  deps: AutomationDeps,
  templateId: string,
  contact: Contact,
): Promise<[string, Partial<DryRunStep>?]> {
  if (contact.unsubscribedAt || contact.emailSuppression)
    return ['would not send: the contact does not receive marketing email'];
  const template = await deps.store.getTemplate(templateId);
  if (!template) return ['would stop: the template no longer exists'];
  try {
    const email = await renderTemplate(
      template,
      mergeContext(contact, { unsubscribeUrl: 'https://example.invalid/u/dry-run' }),
    );
    return [`would send “${email.subject}”`, { email }];
  } catch (err) {
    if (err instanceof TemplateRenderError)
      return [`would fail: the template does not render (${err.message})`];
    throw err;
  }
}

/**
 * Whether a waitForEvent step's event has happened in the run: the tag is on the contact (steps of the
 * run included), a click in the email is assumed; a reply never happens in a dry run (it has no enrollment).
 */
export function waitForEventOutcome(
  step: Extract<Step, { type: 'waitForEvent' }>,
  contact: Contact,
  clicked: Set<string>,
): string {
  const event = step.event;
  const wait = inWords(durationSeconds(step.timeout) ?? 0);
  switch (event.type) {
    case 'tagAdded':
      return contact.tags.includes(event.tag)
        ? `received: the contact has the tag ${event.tag}; goes on at once`
        : `would wait up to ${wait} for the tag ${event.tag}, then go on (skipped)`;
    case 'emailClicked':
      return clicked.has(event.step)
        ? `received: a click in ${event.step} (as assumed); goes on at once`
        : `would wait up to ${wait} for a click in ${event.step}, then go on (skipped)`;
    case 'emailReplied':
      return `would wait up to ${wait} for a reply by email, then go on (skipped)`;
  }
}

function setOnCopy(contact: Contact, field: string, value: FieldValue | null) {
  if (isWorkflowProperty(field)) {
    if (value === null) delete contact[field];
    else contact[field] = String(value);
  } else if (value === null) delete contact.fields[field];
  else contact.fields[field] = value;
}

/** 90000 → "1 day 1 hour"; whole units, at most two. */
export function inWords(seconds: number): string {
  const units: Array<[string, number]> = [
    ['week', 604_800],
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
    ['second', 1],
  ];
  const parts: string[] = [];
  let left = seconds;
  for (const [name, size] of units) {
    const n = Math.floor(left / size);
    if (n > 0 && parts.length < 2) {
      parts.push(`${n} ${name}${n === 1 ? '' : 's'}`);
      left -= n * size;
    }
  }
  return parts.join(' ') || '0 seconds';
}
