/**
 * The single-table key schema: the only module that knows how items are keyed.
 * Every access pattern in docs/data-model.md maps onto one function here.
 */
export const TABLE_KEYS = {
  partitionKey: 'PK',
  sortKey: 'SK',
  ttlAttribute: 'ttl',
  gsi1: { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
  gsi2: { name: 'GSI2', partitionKey: 'GSI2PK', sortKey: 'GSI2SK' },
} as const;

export type Key = { PK: string; SK: string };

export const keys = {
  contact: (id: string): Key => ({ PK: `CONTACT#${id}`, SK: 'PROFILE' }),
  contactPartition: (id: string) => `CONTACT#${id}`,
  /** Uniqueness guard: one item per normalized email, pointing at the contact. */
  email: (email: string): Key => ({ PK: `EMAIL#${email}`, SK: 'EMAIL' }),
  contactTag: (contactId: string, tag: string): Key => ({ PK: `CONTACT#${contactId}`, SK: `TAG#${tag}` }),
  activity: (contactId: string, occurredAt: string, id: string): Key => ({
    PK: `CONTACT#${contactId}`,
    SK: `ACT#${occurredAt}#${id}`,
  }),
  activityPrefix: 'ACT#',
  form: (id: string): Key => ({ PK: `FORM#${id}`, SK: 'FORM' }),
  template: (id: string): Key => ({ PK: `TEMPLATE#${id}`, SK: 'TEMPLATE' }),
  workflow: (id: string): Key => ({ PK: `WORKFLOW#${id}`, SK: 'WORKFLOW' }),
  workflowVersion: (id: string, version: number): Key => ({
    PK: `WORKFLOW#${id}`,
    SK: `VERSION#${String(version).padStart(6, '0')}`,
  }),
  workflowStats: (id: string, version: number): Key => ({
    PK: `WORKFLOW#${id}`,
    SK: `STATS#${String(version).padStart(6, '0')}`,
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
    PK: `CONTACT#${contactId}`,
    SK: `ENR#${enrollmentId}`,
  }),
  enrollmentPrefix: 'ENR#',
  enrollmentCount: (contactId: string, workflowId: string): Key => ({
    PK: `CONTACT#${contactId}`,
    SK: `WFSEQ#${workflowId}`,
  }),
  stepClaim: (contactId: string, enrollmentId: string, stepId: string): Key => ({
    PK: `CONTACT#${contactId}`,
    SK: `STEP#${enrollmentId}#${stepId}`,
  }),
  send: (contactId: string, enrollmentId: string, stepId: string): Key => ({
    PK: `CONTACT#${contactId}`,
    SK: `SEND#${enrollmentId}#${stepId}`,
  }),
  message: (messageId: string): Key => ({ PK: `MESSAGE#${messageId}`, SK: 'MESSAGE' }),
  suppression: (email: string): Key => ({ PK: `SUPPRESSION#${email}`, SK: 'SUPPRESSION' }),
  task: (id: string): Key => ({ PK: `TASK#${id}`, SK: 'TASK' }),
  pipeline: (id: string): Key => ({ PK: `PIPELINE#${id}`, SK: 'PIPELINE' }),
  deal: (id: string): Key => ({ PK: `DEAL#${id}`, SK: 'DEAL' }),
  followUp: (id: string): Key => ({ PK: `FOLLOWUP#${id}`, SK: 'FOLLOWUP' }),
  segment: (id: string): Key => ({ PK: `SEGMENT#${id}`, SK: 'SEGMENT' }),
  /** The contact's latest open or click (also listed on GSI1 by time, for engagement segments). */
  engagement: (contactId: string, type: 'opened' | 'clicked'): Key => ({
    PK: `CONTACT#${contactId}`,
    SK: `ENGAGED#${type}`,
  }),
  /** Dashboard counters: one partition per report group, one item per bucket (day, tag, stage...). */
  counter: (group: string, bucket: string): Key => ({ PK: `DASH#${group}`, SK: bucket }),
  counterPartition: (group: string) => `DASH#${group}`,
  /** Marks an event as applied by a consumer (idempotent projections). */
  processed: (consumer: string, eventId: string): Key => ({
    PK: `PROCESSED#${consumer}#${eventId}`,
    SK: 'PROCESSED',
  }),
  idempotency: (key: string): Key => ({ PK: `IDEMPOTENCY#${key}`, SK: 'IDEMPOTENCY' }),
  outbox: (eventId: string): Key => ({ PK: `OUTBOX#${eventId}`, SK: 'OUTBOX' }),
} as const;

/** GSI1 keys: collections listed newest first (ids are ULIDs, so id order is creation order). */
export const gsi1 = {
  allContacts: (contactId: string) => ({ GSI1PK: 'CONTACTS', GSI1SK: contactId }),
  contactsWithTag: (tag: string, contactId: string) => ({ GSI1PK: `TAG#${tag}`, GSI1SK: contactId }),
  allForms: (formId: string) => ({ GSI1PK: 'FORMS', GSI1SK: formId }),
  allTemplates: (id: string) => ({ GSI1PK: 'TEMPLATES', GSI1SK: id }),
  allWorkflows: (id: string) => ({ GSI1PK: 'WORKFLOWS', GSI1SK: id }),
  tasksByDue: (status: string, dueAt: string, id: string) => ({
    GSI1PK: `TASKS#${status}`,
    GSI1SK: `${dueAt}#${id}`,
  }),
  allPipelines: (id: string) => ({ GSI1PK: 'PIPELINES', GSI1SK: id }),
  /** A pipeline's board: deals grouped by stage. */
  dealsOnBoard: (pipelineId: string, stage: string, dealId: string) => ({
    GSI1PK: `BOARD#${pipelineId}`,
    GSI1SK: `${stage}#${dealId}`,
  }),
  followUpsOfContact: (contactId: string, sendAt: string, id: string) => ({
    GSI1PK: `FOLLOWUPS#${contactId}`,
    GSI1SK: `${sendAt}#${id}`,
  }),
  allSegments: (id: string) => ({ GSI1PK: 'SEGMENTS', GSI1SK: id }),
  contactsEngaged: (type: 'opened' | 'clicked', at: string, contactId: string) => ({
    GSI1PK: `ENGAGED#${type}`,
    GSI1SK: `${at}#${contactId}`,
  }),
  partitions: {
    tasksByDue: (status: string) => `TASKS#${status}`,
    allPipelines: 'PIPELINES',
    board: (pipelineId: string) => `BOARD#${pipelineId}`,
    followUpsOfContact: (contactId: string) => `FOLLOWUPS#${contactId}`,
    allSegments: 'SEGMENTS',
    contactsEngaged: (type: 'opened' | 'clicked') => `ENGAGED#${type}`,
    allWorkflows: 'WORKFLOWS',
    allTemplates: 'TEMPLATES',
    allContacts: 'CONTACTS',
    contactsWithTag: (tag: string) => `TAG#${tag}`,
    allForms: 'FORMS',
  },
} as const;

/** GSI2 keys: a second view of the same items. */
export const gsi2 = {
  tasksOfOwner: (owner: string, status: string, dueAt: string, id: string) => ({
    GSI2PK: `OWNER#${owner}#TASKS#${status}`,
    GSI2SK: `${dueAt}#${id}`,
  }),
  partitions: {
    tasksOfOwner: (owner: string, status: string) => `OWNER#${owner}#TASKS#${status}`,
  },
} as const;

/** Entity type marker stored on every item (`_type`), used by the stream filter and for debugging. */
export const ENTITY = {
  contact: 'Contact',
  email: 'EmailGuard',
  contactTag: 'ContactTag',
  activity: 'Activity',
  form: 'Form',
  template: 'EmailTemplate',
  workflow: 'Workflow',
  workflowVersion: 'WorkflowVersion',
  workflowStats: 'WorkflowStats',
  trigger: 'WorkflowTrigger',
  triggerClaim: 'TriggerClaim',
  enrollment: 'Enrollment',
  enrollmentCount: 'EnrollmentCount',
  stepClaim: 'StepClaim',
  send: 'EmailSend',
  message: 'MessageRef',
  suppression: 'Suppression',
  task: 'Task',
  pipeline: 'Pipeline',
  deal: 'Deal',
  followUp: 'FollowUp',
  segment: 'Segment',
  engagement: 'Engagement',
  counter: 'Counter',
  processed: 'Processed',
  idempotency: 'Idempotency',
  outbox: 'Outbox',
} as const;

/**
 * The table definition, shared by the CDK stack and the local bootstrap so both create the same table.
 */
export const TABLE_DEFINITION = {
  attributeDefinitions: [
    { AttributeName: 'PK', AttributeType: 'S' },
    { AttributeName: 'SK', AttributeType: 'S' },
    { AttributeName: 'GSI1PK', AttributeType: 'S' },
    { AttributeName: 'GSI1SK', AttributeType: 'S' },
    { AttributeName: 'GSI2PK', AttributeType: 'S' },
    { AttributeName: 'GSI2SK', AttributeType: 'S' },
  ],
  keySchema: [
    { AttributeName: 'PK', KeyType: 'HASH' },
    { AttributeName: 'SK', KeyType: 'RANGE' },
  ],
  globalSecondaryIndexes: [
    {
      IndexName: 'GSI1',
      KeySchema: [
        { AttributeName: 'GSI1PK', KeyType: 'HASH' },
        { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
    {
      IndexName: 'GSI2',
      KeySchema: [
        { AttributeName: 'GSI2PK', KeyType: 'HASH' },
        { AttributeName: 'GSI2SK', KeyType: 'RANGE' },
      ],
      Projection: { ProjectionType: 'ALL' },
    },
  ],
  streamViewType: 'NEW_IMAGE',
} as const;
