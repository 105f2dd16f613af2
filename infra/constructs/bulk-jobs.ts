/**
 * The engine of list-scale jobs: the private files bucket uploads go to, and the chunk queues the
 * planners fill and the chunk workers drain (SQS event-source mapping with maximum concurrency and
 * partial batch failures), each with its dead-letter queue — one for imports' and bulk actions'
 * chunks, one for campaigns' (a campaign never waits behind an import). A chunk that fails
 * `maxReceives` times is parked there (alarmed with every dead-letter queue); a chunk waiting
 * longer than an hour means the workers are stuck (alarmed here).
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { BlockPublicAccess, Bucket, BucketEncryption, HttpMethods } from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deadLetterQueue } from './event-backbone.js';

export interface QueueTrigger {
  queue: string;
  deadLetters: string;
  batchSize: number;
  maxConcurrency: number;
  maxReceives: number;
}

/** A chunk queue of the manifest (a function's queue trigger) and what its consumer may run for. */
export interface ChunkQueueSpec {
  trigger: QueueTrigger;
  consumerTimeout: Duration;
  /** What a message of this queue is, for the alarm's description. */
  what: string;
}

export class BulkJobs extends Construct {
  /** Alarms of its own (a chunk waiting over an hour), for the stack to send to the alarm topic. */
  readonly alarms: Alarm[] = [];
  readonly files: Bucket;
  /** Each chunk queue by the manifest's name (JobChunkQueue, CampaignChunkQueue), with its dead letters. */
  private readonly queues = new Map<string, { queue: Queue; deadLetters: Queue; trigger: QueueTrigger }>();

  constructor(scope: Construct, id: string, props: { queues: ChunkQueueSpec[] }) {
    super(scope, id);
    this.files = new Bucket(this, 'Files', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      removalPolicy: RemovalPolicy.RETAIN,
      // Uploaded lists are personal data: kept for a month (for the error report and a re-run), then gone.
      lifecycleRules: [
        { prefix: 'imports/', expiration: Duration.days(30) },
        { prefix: 'exports/', expiration: Duration.days(7) },
        // Raw inbound email (customer service): read into its case within seconds, kept a month.
        { prefix: 'inbound/', expiration: Duration.days(30) },
        { abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      // The browser PUTs the file (or each part of a large one) with a presigned URL (the signature is
      // the authorization), and reads each part's ETag to complete a multipart upload.
      cors: [
        {
          allowedMethods: [HttpMethods.PUT],
          allowedOrigins: ['*'],
          allowedHeaders: ['content-type'],
          exposedHeaders: ['ETag'],
          maxAge: 3600,
        },
      ],
    });
    Validations.of(this.files).acknowledge({
      id: 'AwsSolutions-S1',
      reason:
        'Uploads are written only through presigned URLs issued to admins; CloudTrail data events are the audit trail.',
    });
    props.queues.forEach(({ trigger, consumerTimeout, what }, i) => {
      const deadLetters = deadLetterQueue(this, trigger.deadLetters);
      const queue = new Queue(this, trigger.queue, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        // AWS's advice for a Lambda consumer: six times the function's timeout.
        visibilityTimeout: Duration.seconds(consumerTimeout.toSeconds() * 6),
        retentionPeriod: Duration.days(4),
        deadLetterQueue: { queue: deadLetters, maxReceiveCount: trigger.maxReceives },
      });
      // The first queue's alarm keeps the id it had when it was the only one.
      const waiting = new Alarm(this, i === 0 ? 'ChunksWaiting' : `${trigger.queue}Waiting`, {
        alarmDescription: `${what} has waited over an hour: its workers are stuck or throttled.`,
        metric: queue.metricApproximateAgeOfOldestMessage({
          period: Duration.minutes(5),
          statistic: 'Maximum',
        }),
        threshold: 3600,
        evaluationPeriods: 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      this.alarms.push(waiting);
      this.queues.set(trigger.queue, { queue, deadLetters, trigger });
    });
  }

  /** The chunk queue the manifest names. */
  queue(name: string): Queue {
    const entry = this.queues.get(name);
    if (!entry) throw new Error(`no chunk queue ${name}`);
    return entry.queue;
  }

  /**
   * Read and write import files (GetObject also answers HeadObject); ListBucket on the prefix, so a
   * file not uploaded yet is a 404, not a 403.
   */
  grantFiles(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
        resources: [this.files.arnForObjects('imports/*'), this.files.arnForObjects('exports/*')],
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [this.files.bucketArn],
        conditions: { StringLike: { 's3:prefix': ['imports/*', 'exports/*'] } },
      }),
    );
  }

  /** Reading raw inbound email and keeping, then reading, case attachments. */
  grantCaseFiles(grantee: IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: [this.files.arnForObjects('inbound/*'), this.files.arnForObjects('case-files/*')],
      }),
    );
  }

  /** A queue's workers: batches of the manifest's size, at most its concurrency, partial failures. */
  consume(fn: IFunction, queueName: string): void {
    const entry = this.queues.get(queueName);
    if (!entry) throw new Error(`no chunk queue ${queueName}`);
    fn.addEventSource(
      new SqsEventSource(entry.queue, {
        batchSize: entry.trigger.batchSize,
        maxConcurrency: entry.trigger.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
  }
}
