/**
 * EventBridge target of the companies rule (COMPANY_EVENTS): contacts join and leave companies by
 * email domain, a company's domain is swept, deals are indexed by contact (#companies/consumer.js).
 * Failures are retried by Lambda, then land on the rule's dead-letter queue.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { depsOf } from '#app/runtime.js';
import { onCompanyEvent } from '#companies/consumer.js';
import { companiesStore } from '#companies/store-dynamo.js';
import { parseEvent } from '#platform/events.js';
import { lambdaHandler } from '#platform/lambda.js';

const deps = depsOf(companiesStore);

export const handler = lambdaHandler(
  'companies',
  async (event: EventBridgeEvent<string, unknown>, context) => {
    const outcome = await onCompanyEvent(deps, parseEvent(event['detail-type'], event.detail));
    context.metrics.count('CompanyEvent', 1, { outcome });
    return { outcome };
  },
);
