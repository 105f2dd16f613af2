import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { csvCell, toCsv } from '#contacts/csv.js';

describe('CSV export', () => {
  it('neutralizes spreadsheet formulas on export', () => {
    for (const evil of ['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\tx', '\r=1']) {
      assert.ok(csvCell(evil).replace(/^"/, '').startsWith("'"), `${JSON.stringify(evil)} is neutralized`);
    }
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell('a,"b"'), '"a,""b"""');
  });

  it('writes what the import parser (csv-parse) reads back, for any table of safe cells', () => {
    const safeCell = fc.string().filter((s) => !/^[=+\-@\t\r]/.test(s));
    fc.assert(
      fc.property(
        fc.array(fc.array(safeCell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
        (rows) => {
          assert.deepEqual(parse(toCsv(rows), { relax_column_count: true }), rows);
        },
      ),
    );
  });
});
