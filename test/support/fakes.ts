/** Test doubles for the ports that reach outside (mail, schedules). */
import type { Mailer, OutgoingEmail } from '#messaging/mailer.js';
import { RetryableError } from '#platform/errors.js';
import type { ScheduledAction, Scheduler } from '#platform/scheduler.js';

export class RecordingMailer implements Mailer {
  readonly sent: OutgoingEmail[] = [];
  /** How many next sends fail with a throttling error. */
  failures = 0;
  async send(email: OutgoingEmail) {
    if (this.failures > 0) {
      this.failures--;
      throw new RetryableError('TooManyRequestsException: slow down');
    }
    this.sent.push(email);
    return `msg-${this.sent.length}-${Math.random().toString(36).slice(2)}`;
  }
}

/** Keeps schedules in memory, like EventBridge Scheduler: create is idempotent per name, delete forgets. */
export class RecordingScheduler implements Scheduler {
  readonly schedules = new Map<string, { at: Date; action: ScheduledAction }>();
  readonly cancelled: string[] = [];
  async scheduleOnce(name: string, at: Date, action: ScheduledAction) {
    // EventBridge Scheduler's rule for a name (CreateSchedule refuses any other).
    if (!/^[0-9a-zA-Z\-_.]{1,64}$/.test(name))
      throw new Error(`invalid schedule name ${name} (${name.length} characters)`);
    if (!this.schedules.has(name)) this.schedules.set(name, { at, action });
  }
  async cancel(name: string) {
    this.cancelled.push(name);
    this.schedules.delete(name);
  }
}
