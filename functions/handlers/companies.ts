/**
 * EventBridge target of the companies rule (COMPANY_AND_SEARCH_EVENTS): contacts join and leave
 * companies by email domain, a company's domain is swept, deals are indexed by contact
 * (#companies/consumer.js); then the search index is kept (#search/consumer.js: after the
 * association, so a contact is indexed with the company it just joined). Both are idempotent.
 * Failures are retried by Lambda, then land on the rule's dead-letter queue.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { depsOf } from '#app/runtime.js';
import { onCompanyEvent } from '#companies/consumer.js';
import { companiesStore } from '#companies/store-dynamo.js';
import { parseEvent } from '#platform/events.js';
import { lambdaHandler } from '#platform/lambda.js';
import { onSearchEvent } from '#search/consumer.js';
import { searchStore } from '#search/store-dynamo.js';

const deps = depsOf(companiesStore);
const searchDeps = depsOf(searchStore);

export const handler = lambdaHandler(
  'companies',
  async (event: EventBridgeEvent<string, unknown>, context) => {
    const parsed = parseEvent(event['detail-type'], event.detail);
    const outcome = await onCompanyEvent(deps, parsed);
    context.metrics.count('CompanyEvent', 1, { outcome });
    const indexed = await onSearchEvent(searchDeps, parsed);
    context.metrics.count('SearchIndexEvent', 1, { outcome: indexed });
    return { outcome, indexed };
  },
);
