/**
 * The event backbone: Tendril's bus with its archive and dead-letter queue, and the rules that
 * deliver events to consumer functions, each with its own dead-letter queue.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import { EventBus, Match, Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ALL_TENDRIL_EVENTS, type EventPattern } from '#platform/event-rules.js';
import { REPLAY_WINDOW_DAYS } from '#platform/events.js';
import { pinLogicalId } from './pin.js';

/** Logical ids the dead-letter queues had before the stack was split (their messages must survive). */
const QUEUE_IDS: Record<string, string> = {
  BusDeadLetters: 'BusDeadLettersFB26BCF9',
  ScheduleDeadLetters: 'ScheduleDeadLetters0406ECBC',
  EnrollDeadLetters: 'EnrollDeadLettersFC7546B3',
  EmailEventsDeadLetters: 'EmailEventsDeadLettersEC0156A3',
  DashboardDeadLetters: 'DashboardDeadLettersB72BC236',
  OutboxDeadLetters: 'OutboxDeadLettersA73F12D9',
};

/** A dead-letter queue: encrypted, TLS only, 14 days. */
export function deadLetterQueue(scope: Construct, id: string): Queue {
  const queue = new Queue(scope, id, {
    encryption: QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
  });
  const pinned = QUEUE_IDS[id];
  if (pinned) pinLogicalId(queue, pinned);
  Validations.of(queue).acknowledge({
    id: 'AwsSolutions-SQS3',
    reason: 'This queue is itself a dead-letter queue.',
  });
  return queue;
}

export class EventBackbone extends Construct {
  readonly bus: EventBus;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const busDlq = deadLetterQueue(this, 'BusDeadLetters');
    this.bus = new EventBus(this, 'Bus', { deadLetterQueue: busDlq });
    pinLogicalId(this.bus, 'BusEA82B648');
    const archive = this.bus.archive('Archive', {
      description: 'Every Tendril event, for replay within the duplicate guards (they outlive it by a day)',
      eventPattern: { source: Match.prefix(ALL_TENDRIL_EVENTS.source[0].prefix) },
      retention: Duration.days(REPLAY_WINDOW_DAYS),
    });
    pinLogicalId(archive, 'BusArchiveD76499E2');
  }

  /**
   * A rule delivering to a consumer function: 8 delivery retries over up to 6 hours, then its own
   * dead-letter queue. (What the function itself fails is retried by Lambda: see asyncFailures.)
   */
  consumerRule(
    id: string,
    deadLetterId: string,
    pattern: EventPattern,
    fn: IFunction,
    bus: 'tendril' | 'default',
  ): Rule {
    const dlq = deadLetterQueue(this, deadLetterId);
    return new Rule(this, id, {
      ...(bus === 'tendril' ? { eventBus: this.bus } : {}),
      eventPattern: {
        source: [...pattern.source],
        detailType: [...pattern['detail-type']],
        ...(pattern.detail ? { detail: pattern.detail as Record<string, unknown[]> } : {}),
      },
      targets: [
        new LambdaFunction(fn, { deadLetterQueue: dlq, retryAttempts: 8, maxEventAge: Duration.hours(6) }),
      ],
    });
  }

  /** A rule invoking a function every `minutes`, delivery failures to its dead-letter queue. */
  timerRule(id: string, minutes: number, fn: IFunction): Rule {
    const dlq = deadLetterQueue(this, `${id}DeadLetters`);
    return new Rule(this, id, {
      schedule: Schedule.rate(Duration.minutes(minutes)),
      targets: [new LambdaFunction(fn, { deadLetterQueue: dlq, retryAttempts: 2 })],
    });
  }
}
