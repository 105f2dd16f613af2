/**
 * EventBridge target of CaseResolved: emails the customer a CSAT survey ("How did we do?", five
 * signed one-click rating links), threaded on the case. One survey per resolution (a retried event
 * never sends twice), none for a flagged case, an automatic-only conversation, or within a day of
 * the previous survey. Failures are retried by Lambda, then land on the rule's dead-letter queue.
 */
import type { EventBridgeEvent } from 'aws-lambda';
import { countedMailer, emailContext } from '#app/email-context.js';
import { depsOf } from '#app/runtime.js';
import { requireEnv } from '#platform/config.js';
import { parseEvent } from '#platform/events.js';
import { lambdaHandler } from '#platform/lambda.js';
import { surveyCase } from '#service/csat-survey.js';
import { serviceStore } from '#service/store-dynamo.js';

const deps = depsOf(serviceStore);
const supportAddress = requireEnv('SUPPORT_EMAIL');

export const handler = lambdaHandler(
  'case-surveys',
  async (event: EventBridgeEvent<string, unknown>, context) => {
    const parsed = parseEvent(event['detail-type'], event.detail);
    if (parsed.detailType !== 'CaseResolved') return { outcome: 'ignored' };
    const mailer = countedMailer(context.metrics, 'case-surveys');
    const outcome = await surveyCase(
      deps,
      { ...emailContext, mailer, supportAddress },
      parsed.detail.caseId,
      parsed.detail.occurredAt,
    );
    context.metrics.count('CaseSurvey', 1, { outcome });
    return { outcome };
  },
);
