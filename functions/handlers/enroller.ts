/**
 * EventBridge target for the trigger events (ENROLLMENT_TRIGGERS): enrolls the contact in the workflows
 * they trigger, schedules the dateReached workflows a contact's new dates trigger, and ends the
 * waitForEvent steps waiting for a contact's tag, click or email; an email from the contact ends their
 * enrollments whose goal is emailReplied.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { depsOf } from '#app/runtime.js';
import { dateChangesOf, scheduleDateTriggers } from '#automation/date-trigger.js';
import { enrollFromEvent, triggersOf } from '#automation/enrollment.js';
import { endRepliedEnrollments, replyingContactOf } from '#automation/reply-goal.js';
import { sfnCallbacks, sfnEngine } from '#automation/sfn-engine.js';
import { automationStore } from '#automation/store-dynamo-composed.js';
import { resumeWaiters, waitingContactOf } from '#automation/wait-for-event.js';
import { parseEvent } from '#platform/events.js';
import { lambdaHandler } from '#platform/lambda.js';
import { lazily } from '#platform/lazy.js';
import { logger } from '#platform/logger.js';
import type { Scheduler } from '#platform/scheduler.js';

const deps = depsOf(automationStore);
const engine = sfnEngine({});
const callbacks = sfnCallbacks();
// The Scheduler client is loaded by the first date field that needs a schedule.
const schedulerOnce = lazily<Scheduler>(() => import('#app/scheduler.js').then((m) => m.scheduler));

export const handler = lambdaHandler(
  'enroller',
  async (event: EventBridgeEvent<string, unknown>, context) => {
    const parsed = parseEvent(event['detail-type'], event.detail);
    const triggers = triggersOf(parsed);
    const started = [];
    for (const trigger of triggers) started.push(...(await enrollFromEvent(deps, engine, trigger)));
    if (started.length > 0) {
      logger.info('enrolled', { contactId: triggers[0]?.contactId, enrollments: started.map((e) => e.id) });
      context.metrics.count('ContactEnrolled', started.length);
    }
    // A date field set or changed: the dateReached workflows it triggers are scheduled for its day.
    const dates = dateChangesOf(parsed);
    const scheduled = dates ? await scheduleDateTriggers(deps, schedulerOnce, dates) : 0;
    // An email from the contact: their sequences with an emailReplied goal end now.
    const replying = replyingContactOf(parsed);
    const ended = replying ? await endRepliedEnrollments(deps, replying) : 0;
    // A tag, a click or an email from the contact: the waitForEvent steps waiting for it go on.
    const waiting = waitingContactOf(parsed);
    const resumed = waiting ? await resumeWaiters(deps, callbacks, waiting) : 0;
    if (resumed > 0) context.metrics.count('WaitResumed', resumed);
    return {
      enrolled: started.length,
      ...(scheduled ? { scheduled } : {}),
      ...(resumed ? { resumed } : {}),
      ...(ended ? { goalsMet: ended } : {}),
    };
  },
);
