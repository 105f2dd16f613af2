/**
 * A scoring rule's filter, checked and normalized before the settings are saved: a tag as tags are
 * stored (lower case), a purchase source and an event name in their own spelling, a page pattern as
 * a path, and a template, form or booking page that exists — every problem at its rule's filter.
 */
import { type ErrorDetail, validationError } from '#platform/errors.js';
import { ULID_PATTERN } from '#platform/ids.js';
import { normalizeTag } from '#platform/values.js';
import { EVENT_NAME } from '#tracking/model.js';
import type { ScoringRule } from './model.js';
import type { ScoringDeps } from './store.js';

const PURCHASE_SOURCE = /^[a-z0-9][a-z0-9_-]{0,39}$/;

type Check = { value: string } | { problem: string };

async function checkFilter(deps: ScoringDeps, rule: ScoringRule, filter: string): Promise<Check> {
  const exists = async (what: string, read: (id: string) => Promise<unknown>) =>
    ULID_PATTERN.test(filter) && (await read(filter))
      ? { value: filter }
      : { problem: `no ${what} ${filter}` };
  switch (rule.on) {
    case 'email_opened':
    case 'email_clicked':
      return exists('template', (id) => deps.store.getTemplate(id));
    case 'form_submitted':
      return exists('form', (id) => deps.store.getForm(id));
    case 'appointment_booked':
      return exists('booking page', (id) => deps.store.getMeetingType(id));
    case 'tag_added': {
      const tag = normalizeTag(filter);
      return tag.length <= 100 ? { value: tag } : { problem: 'must be a tag of at most 100 characters' };
    }
    case 'purchase_made':
      return PURCHASE_SOURCE.test(filter.toLowerCase())
        ? { value: filter.toLowerCase() }
        : { problem: 'must be a purchase source such as shop' };
    case 'event_tracked':
      return EVENT_NAME.test(filter)
        ? { value: filter }
        : { problem: 'must be an event name such as signed_up' };
    case 'page_visited':
      return filter.startsWith('/') && !/\s/.test(filter)
        ? { value: filter }
        : { problem: 'must be a path such as /pricing or /docs/*' };
    case 'deal_created':
      return { problem: 'a deal_created rule takes no filter' };
  }
}

/** The rules with their filters normalized; a validation error naming every bad filter. */
export async function checkedRules(deps: ScoringDeps, rules: ScoringRule[]): Promise<ScoringRule[]> {
  const checks = await Promise.all(
    rules.map((rule) => (rule.filter === undefined ? undefined : checkFilter(deps, rule, rule.filter))),
  );
  const problems: ErrorDetail[] = checks.flatMap((c, i) =>
    c && 'problem' in c ? [{ path: `rules.${i}.filter`, message: c.problem, code: 'invalid_filter' }] : [],
  );
  if (problems.length > 0) throw validationError('the scoring settings are not valid', problems);
  return rules.map((rule, i) => {
    const c = checks[i];
    return c && 'value' in c ? { ...rule, filter: c.value } : rule;
  });
}
