/** EventBridge target: keeps the dashboard counters current, applying each event once. */
import type { EventBridgeEvent } from 'aws-lambda';
import { parseEvent } from '../contracts/events.js';
import { projectEvent } from '../core/dashboard.js';
import { deps } from '../shared/runtime.js';

export async function handler(event: EventBridgeEvent<string, unknown>): Promise<{ outcome: string }> {
  const outcome = await projectEvent(deps, parseEvent(event['detail-type'], event.detail));
  return { outcome };
}
