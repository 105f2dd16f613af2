import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectDelimiter } from '#imports/csv-dialect.js';

describe('CSV delimiter', () => {
  it('reads it from the header line: comma, semicolon (European Excel) or tab', () => {
    assert.equal(detectDelimiter('email,firstName\na@x.com,A\n'), ',');
    assert.equal(detectDelimiter('E-mail;Vorname;Betrag\na@x.com;A;1,50\n'), ';');
    assert.equal(detectDelimiter('\uFEFFemail\tname\r\na@x.com\tA\r\n'), '\t');
  });
  it('counts only outside quotes and only on the first line; a comma on a tie or with none', () => {
    assert.equal(detectDelimiter('"a;b;c",email\n'), ',');
    assert.equal(detectDelimiter('"Name, full";email;phone\n'), ';');
    assert.equal(detectDelimiter('email\na;b;c;d\n'), ',');
    assert.equal(detectDelimiter('a;b,c\n'), ',');
    assert.equal(detectDelimiter(''), ',');
  });
});
