/**
 * The action steps of the compiled state machine: steps that only act on the CRM (an email, a tag, a
 * task, a field, a deal, a notice) and whose Task output nothing reads. Consecutive ones share one
 * Task (`fused`), and the waits right after them are that Task's own (see compiler.ts).
 */
import { durationSeconds, type Step, type WorkflowDefinition } from './language.js';

const ACTION_TYPES = [
  'sendEmail',
  'addTag',
  'removeTag',
  'createTask',
  'updateField',
  'createDeal',
  'moveDeal',
  'notifyOwner',
] as const satisfies readonly Step['type'][];

export type ActionStep = Extract<Step, { type: (typeof ACTION_TYPES)[number] }>;
export type WaitStep = Extract<Step, { type: 'wait' | 'waitUntil' }>;

const ACTIONS = new Set<Step['type']>(ACTION_TYPES);
export const isAction = (step: Step | undefined): step is ActionStep => !!step && ACTIONS.has(step.type);
export const isWait = (step: Step | undefined): step is WaitStep =>
  step?.type === 'wait' || step?.type === 'waitUntil';

/** One wait of a chain as the acting Task's Lambda computes it: fixed seconds, or the next HH:MM. */
export type ChainWait = { seconds: number } | { time: string; timezone: string };

/** The seconds of a duration the definition's schema has checked. */
export function seconds(iso: string): number {
  const value = durationSeconds(iso);
  if (value === undefined) throw new Error(`not a duration: ${iso}`);
  return value;
}

export function chainWait(step: WaitStep, def: WorkflowDefinition): ChainWait {
  return step.type === 'wait'
    ? { seconds: seconds(step.duration) }
    : { time: step.time, timezone: step.timezone === 'workflow' ? def.timezone : 'contact' };
}

/** The Task parameters of one action step (without the ids every Task carries). */
export function actionParameters(step: ActionStep): Record<string, unknown> {
  const base = { action: step.type, stepId: step.id };
  switch (step.type) {
    case 'sendEmail':
      return {
        ...base,
        templateId: step.templateId,
        ...(step.subscriptionType ? { subscriptionType: step.subscriptionType } : {}),
      };
    case 'addTag':
    case 'removeTag':
      return { ...base, tag: step.tag };
    case 'createTask':
      return {
        ...base,
        title: step.title,
        dueInSeconds: durationSeconds(step.dueIn),
        ...(step.owner ? { owner: step.owner } : {}),
      };
    case 'updateField':
      return { ...base, field: step.field, value: step.value };
    case 'createDeal':
      return {
        ...base,
        pipelineId: step.pipelineId,
        stage: step.stage,
        ...(step.name ? { name: step.name } : {}),
        ...(step.amount !== undefined ? { amount: step.amount } : {}),
        ...(step.currency ? { currency: step.currency } : {}),
      };
    case 'moveDeal':
      return { ...base, pipelineId: step.pipelineId, stage: step.stage };
    case 'notifyOwner':
      return { ...base, subject: step.subject, message: step.message };
  }
}
