/**
 * Pretty-prints JSON exactly as `JSON.stringify(value, null, 2)` does, recording the line of every
 * path (`steps.0.templateId`), so an API error's path can be shown at its line in the editor.
 */
export function prettyWithLines(value: unknown): { text: string; lines: Map<string, number> } {
  const out: string[] = [''];
  const lines = new Map<string, number>();
  const write = (s: string) => {
    out[out.length - 1] += s;
  };
  const newline = (indent: number) => out.push(' '.repeat(indent));
  const walk = (v: unknown, path: string[], indent: number) => {
    lines.set(path.join('.'), out.length);
    if (Array.isArray(v)) {
      if (v.length === 0) return write('[]');
      write('[');
      v.forEach((item, i) => {
        newline(indent + 2);
        walk(item, [...path, String(i)], indent + 2);
        if (i < v.length - 1) write(',');
      });
      newline(indent);
      write(']');
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v).filter(([, x]) => x !== undefined);
      if (entries.length === 0) return write('{}');
      write('{');
      entries.forEach(([k, x], i) => {
        newline(indent + 2);
        lines.set([...path, k].join('.'), out.length);
        write(`${JSON.stringify(k)}: `);
        walk(x, [...path, k], indent + 2);
        lines.set([...path, k].join('.'), lines.get([...path, k].join('.')) ?? out.length);
        if (i < entries.length - 1) write(',');
      });
      newline(indent);
      write('}');
    } else {
      write(JSON.stringify(v));
    }
  };
  walk(value, [], 0);
  return { text: out.join('\n'), lines };
}

/** The line of a path, or of its closest ancestor that exists. */
export function lineOf(lines: Map<string, number>, path: string): number {
  const parts = path.split('.').filter(Boolean);
  for (let n = parts.length; n >= 0; n--) {
    const line = lines.get(parts.slice(0, n).join('.'));
    if (line !== undefined) return line;
  }
  return 1;
}
