/** Formula-injection-safe CSV writing (reading is csv-parse's, in functions/imports). */

/**
 * One cell, safe to open in a spreadsheet: values starting with = + - @ (or tab/CR) would run as
 * formulas in Excel/Sheets, so they are prefixed with a single quote (OWASP CSV injection advice).
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export const toCsv = (rows: string[][]): string =>
  `${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
