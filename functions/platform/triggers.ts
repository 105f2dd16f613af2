/** What invokes a function of the manifest (functions/platform/manifest.ts). */
import type { EventPattern, OUTBOX_STREAM_FILTER } from './event-rules.js';

export type Trigger =
  /** Routes of the HTTP API (functions/app/api.ts says which). */
  | { kind: 'http' }
  /** The HTTP API's Lambda authorizer of the routes API keys may call (those with `scopes`). */
  | { kind: 'authorizer' }
  /** An EventBridge rule with its own dead-letter queue, on Tendril's bus or the default bus (SES). */
  | { kind: 'rule'; rule: string; deadLetters: string; bus: 'tendril' | 'default'; pattern: EventPattern }
  /** The table's stream, filtered. */
  | { kind: 'stream'; filter: typeof OUTBOX_STREAM_FILTER }
  /** EventBridge Scheduler's one-time schedules. */
  | { kind: 'schedule' }
  /** The Task states of every workflow state machine. */
  | { kind: 'workflow-task' }
  /**
   * Email to the support address: an SES receipt rule stores the raw message in the files bucket and
   * invokes the function asynchronously (locally: the SMTP server of `npm start`).
   */
  | { kind: 'mail' }
  /** A recurring timer (an EventBridge schedule rule), every `minutes`. */
  | { kind: 'timer'; rule: string; minutes: number }
  /**
   * An SQS queue (event-source mapping: `batchSize` messages per invocation, at most `maxConcurrency`
   * invocations at once, partial batch failures); a message received `maxReceives` times goes to
   * the queue's dead-letter queue.
   */
  | {
      kind: 'queue';
      queue: string;
      deadLetters: string;
      batchSize: number;
      maxConcurrency: number;
      maxReceives: number;
    };
