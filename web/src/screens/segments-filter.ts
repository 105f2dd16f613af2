/** A segment's conditions in words, and the comparison operators as the editor names them. */
import type { Segment } from '../api.js';
import { OPERATOR_WORDS } from '../builder/labels.js';

export type Filter = Segment['filter'];
export type Comparison = NonNullable<Filter['fields']>[number];

/** The same words as the workflow builder's conditions. */
export const OPERATORS: Record<Comparison['op'], string> = OPERATOR_WORDS;

/** A filter in words: “tagged lead and webinar · not tagged customer · created in the last 30 days”. */
export function describeFilter(filter: Filter): string {
  const parts: string[] = [];
  const { tags, fields, created, engagement } = filter;
  if (tags?.all?.length) parts.push(`tagged ${tags.all.join(' and ')}`);
  if (tags?.any?.length) parts.push(`tagged ${tags.any.join(' or ')}`);
  if (tags?.none?.length) parts.push(`not tagged ${tags.none.join(' or ')}`);
  for (const f of fields ?? [])
    parts.push(`${f.field} ${OPERATORS[f.op]}${f.op === 'exists' ? '' : ` ${String(f.value)}`}`);
  if (created?.withinDays) parts.push(`created in the last ${created.withinDays} days`);
  if (created?.after) parts.push(`created after ${new Date(created.after).toLocaleDateString()}`);
  if (created?.before) parts.push(`created before ${new Date(created.before).toLocaleDateString()}`);
  if (engagement) parts.push(`${engagement.type} an email in the last ${engagement.withinDays} days`);
  return parts.join(' · ') || 'every contact';
}
