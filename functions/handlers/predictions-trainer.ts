/**
 * Once a day (a timer): trains the conversion model on the workspace's contacts and stores it with
 * its held-out AUC, or records why it could not (functions/predictions/training.ts).
 */
import { depsOf } from '#app/runtime.js';
import { lambdaHandler } from '#platform/lambda.js';
import { logger } from '#platform/logger.js';
import { predictionsStore } from '#predictions/store-dynamo.js';
import { trainModel } from '#predictions/training.js';

const deps = depsOf(predictionsStore);
/** At most one training an hour, however often the timer fires (local mode's time-scaled timers). */
const NOT_WITHIN_MINUTES = 60;

export const handler = lambdaHandler('predictions-trainer', async (event: { time?: unknown } | undefined) => {
  // An EventBridge scheduled event carries its time: a redelivery of it is the same run.
  const runKey = typeof event?.time === 'string' ? event.time : undefined;
  const run = await trainModel(deps, { runKey, notWithinMinutes: NOT_WITHIN_MINUTES });
  logger.info('predictions trained', { run });
  return run;
});
