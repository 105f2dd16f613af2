/**
 * The workflow language's types as the builder sees them (the same as functions/automation/language.ts:
 * a unit test checks it), and the document they make up.
 */

export type Operator = 'eq' | 'neq' | 'gt' | 'gte' | 'lt' | 'lte' | 'contains' | 'exists';
export type FieldValue = string | number | boolean;

export type Condition =
  | { hasTag: string }
  | { field: string; op: Operator; value?: FieldValue }
  | { emailOpened: { step: string } }
  | { emailClicked: { step: string } }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

export interface SplitBranch {
  percent: number;
  steps: Step[];
}

export type Step =
  | { id: string; type: 'sendEmail'; templateId: string; subscriptionType?: string }
  | { id: string; type: 'wait'; duration: string }
  | { id: string; type: 'waitUntil'; time: string; timezone: 'contact' | 'workflow' }
  | { id: string; type: 'if'; condition: Condition; then: Step[]; else: Step[] }
  | { id: string; type: 'split'; branches: SplitBranch[] }
  | { id: string; type: 'addTag'; tag: string }
  | { id: string; type: 'removeTag'; tag: string }
  | { id: string; type: 'createTask'; title: string; dueIn: string; owner?: string }
  | { id: string; type: 'updateField'; field: string; value: FieldValue | null }
  | {
      id: string;
      type: 'createDeal';
      pipelineId: string;
      stage: string;
      name?: string;
      amount?: number;
      currency?: string;
    }
  | { id: string; type: 'moveDeal'; pipelineId: string; stage: string }
  | { id: string; type: 'notifyOwner'; subject: string; message: string }
  | { id: string; type: 'webhook'; webhookId: string }
  | { id: string; type: 'waitForEvent'; event: WaitEvent; timeout: string }
  | { id: string; type: 'exit' };
export type StepType = Step['type'];
/** What a waitForEvent step waits for: a click in an earlier email, an email from the contact, a tag. */
export type WaitEvent =
  | { type: 'emailClicked'; step: string }
  | { type: 'emailReplied' }
  | { type: 'tagAdded'; tag: string };

/** A trigger as the document holds it: its type and that type's own fields. */
export type Trigger = { type: string } & Record<string, unknown>;
export type Goal =
  | { type: 'tagAdded'; tag: string }
  | { type: 'emailReplied' }
  | { type: 'condition'; condition: Condition };

export interface Definition {
  name: string;
  timezone?: string;
  trigger: Trigger;
  goal?: Goal;
  reenrollment?: 'never' | 'afterExit';
  steps: Step[];
  [key: string]: unknown;
}
