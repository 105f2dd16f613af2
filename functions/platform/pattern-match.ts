/**
 * EventBridge event-pattern matching (also the syntax of Lambda event-source filters): the local bus
 * and stream poller's, and webhook subscriptions' filters on an event's detail. Supports exact values (incl. null), prefix, suffix,
 * equals-ignore-case, wildcard, anything-but (value, list, prefix, suffix), numeric ranges,
 * exists, and $or. Arrays in the event match when any element matches.
 */
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Pattern = { [key: string]: readonly unknown[] | Pattern };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function matchesPattern(pattern: Pattern, event: unknown): boolean {
  const subject = isObject(event) ? event : {};
  return Object.entries(pattern).every(([key, rule]) => {
    if (key === '$or') return (rule as Pattern[]).some((p) => matchesPattern(p, subject));
    if (Array.isArray(rule)) return matchesLeaf(rule, subject[key], key in subject);
    return matchesPattern(rule as Pattern, subject[key]);
  });
}

function matchesLeaf(rules: readonly unknown[], value: unknown, present: boolean): boolean {
  const values = present ? (Array.isArray(value) ? value : [value]) : [];
  return rules.some((rule) => {
    if (isObject(rule) && 'exists' in rule) return rule.exists === (present && !isObject(value));
    if (!present) return false;
    if (isObject(rule) && 'anything-but' in rule) {
      return values.length > 0 && values.every((v) => !matchesAnythingBut(rule['anything-but'], v));
    }
    return values.some((v) => matchesRule(rule, v as Json));
  });
}

function matchesAnythingBut(spec: unknown, v: unknown): boolean {
  if (Array.isArray(spec)) return spec.some((s) => s === v);
  if (isObject(spec)) return matchesRule(spec, v as Json);
  return spec === v;
}

function matchesRule(rule: unknown, v: Json): boolean {
  if (!isObject(rule)) return rule === v;
  if ('prefix' in rule) {
    const p = rule.prefix;
    if (isObject(p) && typeof p['equals-ignore-case'] === 'string') {
      return typeof v === 'string' && v.toLowerCase().startsWith(p['equals-ignore-case'].toLowerCase());
    }
    return typeof v === 'string' && typeof p === 'string' && v.startsWith(p);
  }
  if ('suffix' in rule) {
    const s = rule.suffix;
    if (isObject(s) && typeof s['equals-ignore-case'] === 'string') {
      return typeof v === 'string' && v.toLowerCase().endsWith(s['equals-ignore-case'].toLowerCase());
    }
    return typeof v === 'string' && typeof s === 'string' && v.endsWith(s);
  }
  if ('equals-ignore-case' in rule) {
    return (
      typeof v === 'string' &&
      typeof rule['equals-ignore-case'] === 'string' &&
      v.toLowerCase() === rule['equals-ignore-case'].toLowerCase()
    );
  }
  if ('wildcard' in rule) {
    if (typeof v !== 'string' || typeof rule.wildcard !== 'string') return false;
    return matchesWildcard(rule.wildcard, v);
  }
  if ('numeric' in rule) return typeof v === 'number' && matchesNumeric(rule.numeric as unknown[], v);
  return false;
}

/**
 * `*` matches any run of characters: matched greedily, going back only to the last star, so the
 * time is at most pattern × value (a regex of many `.*` backtracks exponentially on a value that
 * almost matches — a pattern from a user must not stall the process).
 */
export function matchesWildcard(pattern: string, value: string): boolean {
  let p = 0;
  let v = 0;
  let star = -1;
  let resume = 0;
  while (v < value.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === value[v]) {
      p++;
      v++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = v;
    } else if (star >= 0) {
      p = star + 1;
      v = ++resume;
    } else return false;
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

function matchesNumeric(spec: unknown[], v: number): boolean {
  for (let i = 0; i + 1 < spec.length; i += 2) {
    const op = spec[i];
    const bound = spec[i + 1];
    if (typeof bound !== 'number') return false;
    const ok =
      op === '='
        ? v === bound
        : op === '<'
          ? v < bound
          : op === '<='
            ? v <= bound
            : op === '>'
              ? v > bound
              : op === '>='
                ? v >= bound
                : false;
    if (!ok) return false;
  }
  return true;
}
