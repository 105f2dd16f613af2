/** EventBridge target for SES events: bounces and complaints suppress, opens and clicks are recorded. */
import type { EventBridgeEvent } from 'aws-lambda';
import { handleSesEvent, type SesEvent } from '../core/email.js';
import { logger } from '../shared/logger.js';
import { deps } from '../shared/runtime.js';

export async function handler(
  event: EventBridgeEvent<string, SesEvent['detail']>,
): Promise<{ outcome: string }> {
  const outcome = await handleSesEvent(deps, {
    detailType: event['detail-type'],
    detail: event.detail ?? {},
  });
  logger.info('ses event', { detailType: event['detail-type'], outcome });
  return { outcome };
}
