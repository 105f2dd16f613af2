/**
 * The wrapper of every handler that is not behind the HTTP API (EventBridge targets, the Task states
 * of workflows, schedules, the stream): the same observability as HTTP handlers.
 */
import { randomUUID } from 'node:crypto';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { DEFAULT_TIMEOUT_MS, MIDDY_OPTIONS, withDeadline } from './deadline.js';
import { type ObservedContext, observability } from './logger.js';
import { FUNCTIONS, type FunctionName, type FunctionSpec } from './manifest.js';

/** A function's Lambda timeout, as deployed (the manifest's, else the construct's default). */
export const timeoutMsOf = (name: FunctionName): number => {
  const spec: FunctionSpec = FUNCTIONS[name];
  return spec.timeoutSeconds ? spec.timeoutSeconds * 1000 : DEFAULT_TIMEOUT_MS;
};

/** The context Lambda would pass, for callers that invoke a handler in-process (local mode, tests). */
export function localContext(name: string, timeoutMs = DEFAULT_TIMEOUT_MS): Context {
  const started = Date.now();
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `tendril-local-${name}`,
    functionVersion: '$LATEST',
    // As local mode names its functions (local/main.ts): the scheduled-action function schedules itself by it.
    invokedFunctionArn: `arn:aws:lambda:${process.env.AWS_REGION ?? 'us-east-1'}:000000000000:function:tendril-local-${name}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/tendril-local-${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, timeoutMs - (Date.now() - started)),
    done: () => {},
    fail: () => {},
    succeed: () => {},
  };
}

export function lambdaHandler<E, R>(
  name: FunctionName,
  run: (event: E, context: ObservedContext) => Promise<R>,
) {
  const handler = middy<E, R, Error, Context>(MIDDY_OPTIONS)
    .use(observability<E, R>())
    .handler((event, context) =>
      withDeadline(context.getRemainingTimeInMillis() - 300, () => run(event, context as ObservedContext)),
    );
  return (event: E, context?: Context): Promise<R> =>
    handler(event, context ?? localContext(name, timeoutMsOf(name)));
}
