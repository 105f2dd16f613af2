/**
 * What a function may use (its capabilities), the environment each brings, and the DynamoDB actions
 * each grants: the vocabulary of the manifest (manifest.ts), read by the stack, local mode and tests.
 */

/** What a function may use; each capability brings its environment (below) and its IAM grants (infra). */
export type Capability =
  /** Items by key, batches of them, queries of the table and its indexes. */
  | 'table:read'
  /** And putting and updating items, alone or in transactions (never deleting: see below). */
  | 'table:write'
  /** And deleting items (a transaction's Delete parts need it too). */
  | 'table:delete'
  /** And batch writes: bulk loads and erasing a whole partition. */
  | 'table:load'
  | 'signing-secret'
  | 'send-email'
  | 'schedules'
  | 'publish-workflows'
  | 'start-workflows'
  /** Answer the task tokens of waitForEvent steps' callback Tasks (SendTaskSuccess). */
  | 'resume-workflows'
  | 'put-events'
  /** The private files bucket (imports' uploads): read, write, presign. */
  | 'files'
  /** The files bucket's inbound email (raw messages, `inbound/`) and case attachments (`case-files/`). */
  | 'case-files'
  /** Send to the chunk queue (imports' rows, bulk actions' contacts). */
  | 'chunk-queue'
  /** Send to the campaign queue (campaigns' recipients: they never wait behind an import's chunks). */
  | 'campaign-queue'
  /** Send to the webhook queue (one message per delivery attempt). */
  | 'webhook-queue'
  /** Verify signed-in users' tokens (the admin app's Cognito user pool and client; no IAM grant). */
  | 'user-pool'
  /** Read the users who may own records (the user pool's ListUsers and AdminGetUser on it only). */
  | 'user-directory'
  /** Build absolute links to the public pages (no IAM grant). */
  | 'public-url'
  /** The address customers write to (case replies' Reply-To; no IAM grant). */
  | 'support-email';

/** Every environment variable a handler reads (functions/platform/config.ts). */
export const ENV_NAMES = [
  'TABLE_NAME',
  'EVENT_BUS_NAME',
  'SIGNING_SECRET_ARN',
  'SENDER_EMAIL',
  'SES_CONFIGURATION_SET',
  'PUBLIC_API_URL',
  'STEP_FUNCTION_ARN',
  'STATE_MACHINE_ROLE_ARN',
  'STATE_MACHINE_ARN_PREFIX',
  'WORKFLOW_LOG_GROUP_ARN',
  'WORKFLOW_MACHINE_PREFIX',
  'SCHEDULE_GROUP_NAME',
  'SCHEDULE_TARGET_ARN',
  'SCHEDULE_ROLE_ARN',
  'SCHEDULE_DLQ_ARN',
  'FILES_BUCKET',
  'CHUNK_QUEUE_URL',
  'CAMPAIGN_QUEUE_URL',
  'USER_POOL_ID',
  'USER_POOL_CLIENT_ID',
  'WEBHOOK_QUEUE_URL',
  'SUPPORT_EMAIL',
] as const;
export type EnvName = (typeof ENV_NAMES)[number];

/** The environment each capability needs. */
export const CAPABILITY_ENV: Record<Capability, readonly EnvName[]> = {
  'table:read': ['TABLE_NAME'],
  'table:write': ['TABLE_NAME'],
  'table:delete': ['TABLE_NAME'],
  'table:load': ['TABLE_NAME'],
  'signing-secret': ['SIGNING_SECRET_ARN'],
  'send-email': ['SENDER_EMAIL', 'SES_CONFIGURATION_SET', 'PUBLIC_API_URL', 'SIGNING_SECRET_ARN'],
  schedules: ['SCHEDULE_GROUP_NAME', 'SCHEDULE_TARGET_ARN', 'SCHEDULE_ROLE_ARN', 'SCHEDULE_DLQ_ARN'],
  'publish-workflows': [
    'STEP_FUNCTION_ARN',
    'STATE_MACHINE_ROLE_ARN',
    'STATE_MACHINE_ARN_PREFIX',
    'WORKFLOW_LOG_GROUP_ARN',
    'WORKFLOW_MACHINE_PREFIX',
  ],
  'start-workflows': ['STATE_MACHINE_ARN_PREFIX'],
  'resume-workflows': [],
  'put-events': ['EVENT_BUS_NAME'],
  files: ['FILES_BUCKET'],
  'case-files': ['FILES_BUCKET'],
  'chunk-queue': ['CHUNK_QUEUE_URL'],
  'campaign-queue': ['CAMPAIGN_QUEUE_URL'],
  'user-pool': ['USER_POOL_ID', 'USER_POOL_CLIENT_ID'],
  'user-directory': ['USER_POOL_ID'],
  'webhook-queue': ['WEBHOOK_QUEUE_URL'],
  'public-url': ['PUBLIC_API_URL'],
  'support-email': ['SUPPORT_EMAIL'],
};

/**
 * The DynamoDB actions of each table capability: never Scan, nor the stream's (its consumer is
 * granted those by its event source), nor table management. Writing includes reading; deleting and
 * batch writes each include writing, and are granted only to the functions that do them.
 */
const READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
const WRITE = [...READ, 'dynamodb:ConditionCheckItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];
export const TABLE_ACTIONS: Partial<Record<Capability, readonly string[]>> = {
  'table:read': READ,
  'table:write': WRITE,
  'table:delete': [...WRITE, 'dynamodb:DeleteItem'],
  'table:load': [...WRITE, 'dynamodb:BatchWriteItem'],
};
