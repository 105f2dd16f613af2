/**
 * EventBridge target for the trigger events (ENROLLMENT_TRIGGERS): enrolls the contact in the workflows
 * they trigger, and schedules the dateReached workflows a contact's new dates trigger.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { depsOf } from '#app/runtime.js';
import { dateChangesOf, scheduleDateTriggers } from '#automation/date-trigger.js';
import { enrollFromEvent, triggersOf } from '#automation/enrollment.js';
import { sfnEngine } from '#automation/sfn-engine.js';
import { automationStore } from '#automation/store-dynamo.js';
import { parseEvent } from '#platform/events.js';
import { lambdaHandler } from '#platform/lambda.js';
import { lazily } from '#platform/lazy.js';
import { logger } from '#platform/logger.js';
import type { Scheduler } from '#platform/scheduler.js';

const deps = depsOf(automationStore);
const engine = sfnEngine({});
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
    return { enrolled: started.length, ...(scheduled ? { scheduled } : {}) };
  },
);
