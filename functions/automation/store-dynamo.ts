import { contactPartition } from '#contacts/store-dynamo.js';
import { trackedSegmentIndex } from '#insights/store-dynamo.js';
import type { MessagingWrite } from '#messaging/store.js';
import { decode, type Item, type Key, stamp, TABLE_KEYS, type Table } from '#platform/dynamo/table.js';
import { addDeltas, guardedPut, type Part, type Translators } from '#platform/dynamo/unit-of-work.js';
import { DUPLICATE_GUARD_SECONDS } from '#platform/events.js';
import { shardOf } from '#platform/shard.js';
import type { SalesWrite } from '#sales/store.js';
import {
  type Enrollment,
  EnrollmentSchema,
  TriggeredWorkflowSchema,
  type Workflow,
  WorkflowSchema,
  WorkflowVersionSchema,
} from './model.js';
import { stepEnteredIndex, stepIndexKeys, stepIndexReads, stepNowIndex } from './step-index-dynamo.js';
import type { AutomationReads, AutomationWrite, WaiterWrite } from './store.js';
import { waiterReads } from './store-dynamo-waiters.js';

/** Trigger claims outlive any redelivery of the event that enrolled, a replay of the archive included. */
const TRIGGER_CLAIM_TTL_SECONDS = DUPLICATE_GUARD_SECONDS;
const pad = (version: number) => String(version).padStart(6, '0');

const SEGMENT_TRIGGER = 'segment:';

export const automationKeys = {
  workflow: (id: string): Key => ({ PK: `WORKFLOW#${id}`, SK: 'WORKFLOW' }),
  workflowVersion: (id: string, version: number): Key => ({
    PK: `WORKFLOW#${id}`,
    SK: `VERSION#${pad(version)}`,
  }),
  workflowStats: (id: string, version: number): Key => ({
    PK: `WORKFLOW#${id}`,
    SK: `STATS#${pad(version)}`,
  }),
  /** Active workflows by what triggers them: a Query on `TRIGGER#<key>`. */
  trigger: (triggerKey: string, workflowId: string): Key => ({
    PK: `TRIGGER#${triggerKey}`,
    SK: `WORKFLOW#${workflowId}`,
  }),
  triggerPartition: (triggerKey: string) => `TRIGGER#${triggerKey}`,
  triggerClaim: (workflowId: string, eventId: string): Key => ({
    PK: `ENRTRIGGER#${workflowId}#${eventId}`,
    SK: 'ENRTRIGGER',
  }),
  enrollment: (contactId: string, enrollmentId: string): Key => ({
    PK: contactPartition(contactId),
    SK: `ENR#${enrollmentId}`,
  }),
  enrollmentPrefix: 'ENR#',
  enrollmentCount: (contactId: string, workflowId: string): Key => ({
    PK: contactPartition(contactId),
    SK: `WFSEQ#${workflowId}`,
  }),
  stepClaim: (contactId: string, enrollmentId: string, stepId: string): Key => ({
    PK: contactPartition(contactId),
    SK: `STEP#${enrollmentId}#${stepId}`,
  }),
  /** The enrollments by step (GSI1, sharded): step-index-dynamo.ts. */
  ...stepIndexKeys,
};
const allWorkflows = (id: string) => ({ GSI1PK: 'WORKFLOWS', GSI1SK: id });

/**
 * GSI2: enrollments whose execution is not yet confirmed started, by enrollment time, for the
 * reconciler. Spread over shards so a burst of enrollments does not make one hot index partition.
 */
const UNCONFIRMED_SHARDS = 8;
const unconfirmedIndex = (e: Enrollment) => ({
  GSI2PK: `ENRUNSTARTED#${shardOf(e.id, UNCONFIRMED_SHARDS)}`,
  GSI2SK: `${e.enrolledAt}#${e.id}`,
});

const decodeWorkflow = (item: Item): Workflow => decode(WorkflowSchema, item);
const decodeEnrollment = (item: Item): Enrollment => decode(EnrollmentSchema, item);

const stats = (TableName: string, e: Enrollment, deltas: Record<string, number>): Part =>
  addDeltas(TableName, automationKeys.workflowStats(e.workflowId, e.version), 'WorkflowStats', deltas);

type OwnWrite = Exclude<AutomationWrite, MessagingWrite | SalesWrite | WaiterWrite>;

export const automationTranslators: Translators<OwnWrite> = {
  putWorkflow: ({ workflow, expectedUpdatedAt }, TableName) =>
    guardedPut(
      TableName,
      {
        ...automationKeys.workflow(workflow.id),
        ...allWorkflows(workflow.id),
        ...stamp('Workflow'),
        ...workflow,
      },
      { attribute: 'updatedAt', expected: expectedUpdatedAt },
    ),
  putWorkflowVersion: ({ version }, TableName) =>
    guardedPut(
      TableName,
      {
        ...automationKeys.workflowVersion(version.workflowId, version.version),
        ...stamp('WorkflowVersion'),
        ...version,
      },
      { attribute: 'PK', expected: undefined },
    ),
  setTrigger: ({ triggerKey, triggered }, TableName) => [
    {
      item: {
        Put: {
          TableName,
          Item: {
            ...automationKeys.trigger(triggerKey, triggered.workflowId),
            // A segment's trigger makes the segment tracked (its membership is kept: insights).
            ...(triggerKey.startsWith(SEGMENT_TRIGGER)
              ? trackedSegmentIndex(triggerKey.slice(SEGMENT_TRIGGER.length), triggered.workflowId)
              : {}),
            ...stamp('WorkflowTrigger'),
            ...triggered,
          },
        },
      },
    },
  ],
  deleteTrigger: ({ triggerKey, workflowId }, TableName) => [
    { item: { Delete: { TableName, Key: automationKeys.trigger(triggerKey, workflowId) } } },
  ],
  startEnrollment: (write, TableName) => {
    const e = write.enrollment;
    const countCondition = [
      write.previousCount === 0 ? 'attribute_not_exists(PK)' : '#count = :prev',
      ...(write.allowWhileActive ? [] : ['attribute_not_exists(#active)']),
    ].join(' AND ');
    return [
      {
        part: 'trigger',
        item: {
          Put: {
            TableName,
            Item: {
              ...automationKeys.triggerClaim(e.workflowId, write.triggerEventId),
              ...stamp('TriggerClaim'),
              contactId: e.contactId,
              enrollmentId: e.id,
              [TABLE_KEYS.ttlAttribute]:
                Math.floor(Date.parse(e.enrolledAt) / 1000) + TRIGGER_CLAIM_TTL_SECONDS,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      },
      {
        part: 'count',
        item: {
          Update: {
            TableName,
            Key: automationKeys.enrollmentCount(e.contactId, e.workflowId),
            UpdateExpression: 'SET #count = :n, #active = :id, #type = :type',
            ConditionExpression: countCondition,
            ExpressionAttributeNames: {
              '#count': 'count',
              '#active': 'activeEnrollmentId',
              '#type': '_type',
            },
            ExpressionAttributeValues: {
              ':n': e.number,
              ':id': e.id,
              ':type': 'EnrollmentCount',
              ...(write.previousCount === 0 ? {} : { ':prev': write.previousCount }),
            },
          },
        },
      },
      {
        item: {
          Put: {
            TableName,
            Item: {
              ...automationKeys.enrollment(e.contactId, e.id),
              ...(e.startedAt ? {} : unconfirmedIndex(e)),
              ...stamp('Enrollment'),
              ...e,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      },
      stats(TableName, e, { enrolled: 1, active: 1 }),
    ];
  },
  confirmEnrollment: ({ enrollment: e, at }, TableName) => [
    {
      item: {
        Update: {
          TableName,
          Key: automationKeys.enrollment(e.contactId, e.id),
          UpdateExpression: 'SET #started = if_not_exists(#started, :at) REMOVE GSI2PK, GSI2SK',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeNames: { '#started': 'startedAt' },
          ExpressionAttributeValues: { ':at': at },
        },
      },
    },
  ],
  enterStep: ({ enrollment: e, stepId, at }, TableName) => [
    {
      part: 'claim',
      item: {
        Put: {
          TableName,
          // Indexed under the step: who ever entered it (the `entered` list).
          Item: {
            ...automationKeys.stepClaim(e.contactId, e.id, stepId),
            ...stepEnteredIndex(e, stepId, at),
            ...stamp('StepClaim'),
            at,
            contactId: e.contactId,
            enrollmentId: e.id,
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    },
    {
      part: 'enrollment',
      item: {
        Update: {
          TableName,
          Key: automationKeys.enrollment(e.contactId, e.id),
          // GSI1: the enrollment is listed under the step it is at now (the `current` list).
          UpdateExpression: 'SET #step = :step, GSI1PK = :nowPk, GSI1SK = :nowSk',
          // The gauges move from the step we read: only if the enrollment is still there.
          ConditionExpression: `#status = :active AND ${e.currentStep ? '#step = :prev' : 'attribute_not_exists(#step)'}`,
          ExpressionAttributeNames: { '#step': 'currentStep', '#status': 'status' },
          ExpressionAttributeValues: {
            ':step': stepId,
            ':nowPk': stepNowIndex(e, stepId, at).GSI1PK,
            ':nowSk': stepNowIndex(e, stepId, at).GSI1SK,
            ':active': 'active',
            ...(e.currentStep ? { ':prev': e.currentStep } : {}),
          },
        },
      },
    },
    stats(TableName, e, {
      [`entered:${stepId}`]: 1,
      [`current:${stepId}`]: 1,
      ...(e.currentStep && e.currentStep !== stepId ? { [`current:${e.currentStep}`]: -1 } : {}),
    }),
  ],
  endEnrollment: ({ enrollment: e, status, reason, at }, TableName) => [
    {
      part: 'enrollment',
      item: {
        Update: {
          TableName,
          Key: automationKeys.enrollment(e.contactId, e.id),
          // An ended enrollment is at no step: it leaves the `current` list (GSI1).
          UpdateExpression: `SET #status = :status, #ended = :at${reason ? ', #reason = :reason' : ''} REMOVE GSI1PK, GSI1SK`,
          // The gauges leave the step we read: only if the enrollment is still there.
          ConditionExpression: `#status = :active AND ${e.currentStep ? '#step = :step' : 'attribute_not_exists(#step)'}`,
          ExpressionAttributeNames: {
            '#status': 'status',
            '#ended': 'endedAt',
            '#step': 'currentStep',
            ...(reason ? { '#reason': 'stopReason' } : {}),
          } as Record<string, string>,
          ExpressionAttributeValues: {
            ':status': status,
            ':at': at,
            ':active': 'active',
            ...(e.currentStep ? { ':step': e.currentStep } : {}),
            ...(reason ? { ':reason': reason } : {}),
          },
        },
      },
    },
    {
      item: {
        Update: {
          TableName,
          Key: automationKeys.enrollmentCount(e.contactId, e.workflowId),
          UpdateExpression: 'REMOVE #active',
          ExpressionAttributeNames: { '#active': 'activeEnrollmentId' },
        },
      },
    },
    stats(TableName, e, {
      active: -1,
      [`outcome:${reason ?? status}`]: 1,
      ...(e.currentStep ? { [`current:${e.currentStep}`]: -1 } : {}),
    }),
  ],
};

export function automationReads(table: Table): AutomationReads {
  const getEnrollment = async (contactId: string, enrollmentId: string) => {
    const item = await table.get(automationKeys.enrollment(contactId, enrollmentId));
    return item ? decodeEnrollment(item) : undefined;
  };
  return {
    async getWorkflow(id) {
      const item = await table.get(automationKeys.workflow(id));
      return item ? decodeWorkflow(item) : undefined;
    },
    listWorkflows: (options) =>
      table.page({ index: 'GSI1', partition: 'WORKFLOWS' }, options, decodeWorkflow),
    async getWorkflowVersion(id, version) {
      const item = await table.get(automationKeys.workflowVersion(id, version));
      return item ? decode(WorkflowVersionSchema, item) : undefined;
    },
    async getWorkflowStats(id, version) {
      const item = await table.get(automationKeys.workflowStats(id, version));
      const gauges: Record<string, number> = {};
      for (const [name, value] of Object.entries(item ?? {}))
        if (name !== 'PK' && name !== 'SK' && typeof value === 'number') gauges[name] = value;
      return gauges;
    },
    async findTriggeredWorkflows(triggerKey) {
      const items = await table.all({ partition: automationKeys.triggerPartition(triggerKey) }, 100);
      return items.map((item) => decode(TriggeredWorkflowSchema, item));
    },
    async getEnrollmentCount(contactId, workflowId) {
      const item = await table.get(automationKeys.enrollmentCount(contactId, workflowId));
      return {
        count: typeof item?.count === 'number' ? item.count : 0,
        ...(typeof item?.activeEnrollmentId === 'string'
          ? { activeEnrollmentId: item.activeEnrollmentId }
          : {}),
      };
    },
    getEnrollment,
    async findEnrollmentByTrigger(workflowId, triggerEventId) {
      const claim = await table.get(automationKeys.triggerClaim(workflowId, triggerEventId));
      return claim ? getEnrollment(String(claim.contactId), String(claim.enrollmentId)) : undefined;
    },
    async listUnconfirmedEnrollments(before, limit) {
      const pages = await Promise.all(
        Array.from({ length: UNCONFIRMED_SHARDS }, (_, shard) =>
          table.query(
            {
              index: 'GSI2',
              partition: `ENRUNSTARTED#${shard}`,
              before: before.toISOString(),
              ascending: true,
            },
            { limit },
          ),
        ),
      );
      return pages
        .flatMap((p) => p.items.map(decodeEnrollment))
        .sort((a, b) => a.enrolledAt.localeCompare(b.enrolledAt))
        .slice(0, limit);
    },
    ...stepIndexReads(table),
    ...waiterReads(table),
    listEnrollments: (contactId, options) =>
      table.page(
        { partition: contactPartition(contactId), prefix: automationKeys.enrollmentPrefix },
        options,
        decodeEnrollment,
      ),
  };
}
