/** EventBridge target for ContactTagged / FormSubmitted: enrolls the contact in the workflows they trigger. */
import type { EventBridgeEvent } from 'aws-lambda';
import { parseEvent } from '../contracts/events.js';
import { enrollFromEvent } from '../core/workflows.js';
import { requireEnv } from '../shared/config.js';
import { logger } from '../shared/logger.js';
import { deps } from '../shared/runtime.js';
import { sfnEngine } from '../shared/sfn-engine.js';

const engine = sfnEngine({ stepFunctionArn: requireEnv('STEP_FUNCTION_ARN') });

export async function handler(event: EventBridgeEvent<string, unknown>): Promise<{ enrolled: number }> {
  const parsed = parseEvent(event['detail-type'], event.detail);
  const d = parsed.detail as { eventId: string; contactId: string; tag?: string; formId?: string };
  const triggerKey =
    parsed.detailType === 'ContactTagged'
      ? `tag:${d.tag}`
      : parsed.detailType === 'FormSubmitted'
        ? `form:${d.formId}`
        : undefined;
  if (!triggerKey) return { enrolled: 0 };
  const started = await enrollFromEvent(deps, engine, {
    eventId: d.eventId,
    contactId: d.contactId,
    triggerKey,
  });
  if (started.length > 0)
    logger.info('enrolled', { contactId: d.contactId, enrollments: started.map((e) => e.id) });
  return { enrolled: started.length };
}
