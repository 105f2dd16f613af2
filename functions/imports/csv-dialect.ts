/**
 * The delimiter of a CSV file, read from its header line: a comma, or the semicolon spreadsheets
 * write where the comma is the decimal mark (Excel in most of Europe), or a tab. The one seen most
 * often outside quotes wins; a comma on a tie or when none is seen (a one-column file).
 */
export type Delimiter = ',' | ';' | '\t';

export function detectDelimiter(text: string): Delimiter {
  const counts: Record<Delimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of text.replace(/^\uFEFF/, '')) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && (ch === ',' || ch === ';' || ch === '\t')) counts[ch]++;
  }
  let best: Delimiter = ',';
  for (const d of [';', '\t'] as const) if (counts[d] > counts[best]) best = d;
  return best;
}
