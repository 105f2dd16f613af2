/**
 * The single-table key schema: the only module that knows how items are keyed.
 * Every access pattern in docs/data-model.md maps onto one function here.
 */
export const TABLE_KEYS = {
  partitionKey: 'PK',
  sortKey: 'SK',
  ttlAttribute: 'ttl',
  gsi1: { name: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' },
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
  openTasksByDue: (dueAt: string, id: string) => ({ GSI1PK: 'TASKS#open', GSI1SK: `${dueAt}#${id}` }),
  partitions: {
    allWorkflows: 'WORKFLOWS',
    allTemplates: 'TEMPLATES',
    allContacts: 'CONTACTS',
    contactsWithTag: (tag: string) => `TAG#${tag}`,
    allForms: 'FORMS',
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
  ],
  streamViewType: 'NEW_IMAGE',
} as const;
