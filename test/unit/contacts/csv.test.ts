import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { CsvError, csvCell, parseCsv, toCsv } from '#contacts/csv.js';

describe('CSV', () => {
  it('parses quoted fields, escaped quotes, embedded newlines, CRLF and a byte-order mark', () => {
    const text = '\ufeffa,b,c\r\n"x, y","say ""hi""","two\nlines"\n1,,3\n';
    assert.deepEqual(parseCsv(text), [
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'two\nlines'],
      ['1', '', '3'],
    ]);
  });

  it('reports an unclosed quote with its line', () => {
    assert.throws(
      () => parseCsv('a,b\n1,"open\n2,3'),
      (err) => err instanceof CsvError && err.line === 3,
    );
  });

  it('neutralizes spreadsheet formulas on export', () => {
    for (const evil of ['=1+1', '+SUM(A1)', '-2+3', '@cmd', '\tx', '\r=1']) {
      assert.ok(csvCell(evil).replace(/^"/, '').startsWith("'"), `${JSON.stringify(evil)} is neutralized`);
    }
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell('a,"b"'), '"a,""b"""');
  });

  it('round-trips any table of safe cells', () => {
    const safeCell = fc.string().filter((s) => !/^[=+\-@\t\r]/.test(s));
    fc.assert(
      fc.property(
        fc.array(fc.array(safeCell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
        (rows) => {
          assert.deepEqual(parseCsv(toCsv(rows)), rows);
        },
      ),
    );
  });
});
