/**
 * What a subscription's URL and filter must be: an https URL (http and private addresses only where
 * allowed: local mode) and an EventBridge-style pattern the matcher understands, small and shallow.
 */
import { isIP } from 'node:net';
import type { ErrorDetail } from '#platform/errors.js';
import { hostOf, isPrivateAddress } from '#platform/http/outbound.js';

export function checkUrl(url: string, allowPrivate: boolean): ErrorDetail[] {
  const problem = (message: string): ErrorDetail[] => [{ path: 'url', message, code: 'invalid_url' }];
  if (url.length > 2000) return problem('must be at most 2000 characters');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing them is the point.
  if (/[\u0000-\u0020\u007f]/.test(url)) return problem('must not contain spaces or control characters');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return problem('must be an absolute URL such as https://example.com/hooks/tendril');
  }
  if (parsed.protocol !== 'https:' && !(allowPrivate && parsed.protocol === 'http:'))
    return problem('must use https');
  const host = hostOf(parsed);
  if (
    !allowPrivate &&
    (host === 'localhost' || host.endsWith('.localhost') || (isIP(host) && isPrivateAddress(host)))
  )
    return problem('must not be a private, loopback or link-local address');
  if (parsed.username || parsed.password) return problem('must not carry a user name or password');
  return [];
}

const isText = (v: unknown) => typeof v === 'string';
const isScalar = (v: unknown) => typeof v === 'string' || typeof v === 'number';
const NUMERIC_OPS = new Set(['<', '<=', '=', '>=', '>']);
/** Each operator and the operand it takes (as EventBridge takes them). */
const OPERATORS: Record<string, (operand: unknown) => boolean> = {
  prefix: isText,
  suffix: isText,
  'equals-ignore-case': isText,
  // At most five stars: EventBridge limits a wildcard's complexity too.
  wildcard: (v) => isText(v) && (v as string).split('*').length <= 6,
  exists: (v) => typeof v === 'boolean',
  numeric: (v) =>
    Array.isArray(v) &&
    (v.length === 2 || v.length === 4) &&
    v.every((x, i) =>
      i % 2 === 0 ? NUMERIC_OPS.has(x as string) : typeof x === 'number' && Number.isFinite(x),
    ),
  'anything-but': (v) =>
    isScalar(v) ||
    (Array.isArray(v) && v.length > 0 && v.every(isScalar)) ||
    (typeof v === 'object' &&
      v !== null &&
      Object.keys(v).length === 1 &&
      ['prefix', 'suffix', 'equals-ignore-case'].some((k) => isText((v as Record<string, unknown>)[k]))),
};
const OPERATOR_LIST =
  'prefix, suffix, equals-ignore-case, wildcard (at most 5 *), exists (true or false), numeric ([">", 5] or [">", 0, "<=", 10]), anything-but';
const MAX_FILTER_CHARS = 2048;
const MAX_DEPTH = 5;

/** Problems of a filter, at their path (`filter.source`): each leaf a list of values or operators. */
export function checkFilter(filter: Record<string, unknown>): ErrorDetail[] {
  if (JSON.stringify(filter).length > MAX_FILTER_CHARS)
    return [
      { path: 'filter', message: `must be at most ${MAX_FILTER_CHARS} characters of JSON`, code: 'too_big' },
    ];
  const problems: ErrorDetail[] = [];
  const walk = (node: unknown, path: string, depth: number) => {
    if (depth > MAX_DEPTH) {
      problems.push({ path, message: `is nested more than ${MAX_DEPTH} levels`, code: 'too_deep' });
      return;
    }
    if (typeof node !== 'object' || node === null || Array.isArray(node)) {
      const message =
        depth === 1
          ? 'must be an object of field names'
          : 'must be a list of values, or an object of field names';
      problems.push({ path, message, code: 'invalid_filter' });
      return;
    }
    const entries = Object.entries(node);
    if (entries.length === 0)
      problems.push({ path, message: 'must name at least one field', code: 'invalid_filter' });
    for (const [key, value] of entries) {
      const at = `${path}.${key}`;
      if (key === '$or') {
        if (!Array.isArray(value) || value.length < 2)
          problems.push({ path: at, message: 'must list at least two patterns', code: 'invalid_filter' });
        else
          value.forEach((p, i) => {
            walk(p, `${at}.${i}`, depth + 1);
          });
      } else if (Array.isArray(value)) {
        if (value.length === 0)
          problems.push({ path: at, message: 'must list at least one value', code: 'invalid_filter' });
        value.forEach((rule, i) => {
          if (rule === null || ['string', 'number', 'boolean'].includes(typeof rule)) return;
          const [op = '', ...more] = typeof rule === 'object' ? Object.keys(rule as object) : [];
          const takes = Object.hasOwn(OPERATORS, op) ? OPERATORS[op] : undefined;
          if (more.length > 0 || !takes?.((rule as Record<string, unknown>)[op]))
            problems.push({
              path: `${at}.${i}`,
              message: `must be a value or one operator with its operand: ${OPERATOR_LIST}`,
              code: 'invalid_filter',
            });
        });
      } else walk(value, at, depth + 1);
    }
  };
  walk(filter, 'filter', 1);
  return problems;
}
