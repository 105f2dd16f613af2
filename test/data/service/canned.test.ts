/**
 * Canned responses on DynamoDB Local: saved with their merge fields checked (a syntax error or an
 * unknown field refused at `text`), version-guarded, listed by name, written out for a case with
 * its contact's and the case's values, deleted.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as contacts from '#contacts/rules.js';
import { DomainError } from '#platform/errors.js';
import { deleteCanned, listCanned, renderCanned, saveCanned } from '#service/canned.js';
import { openCase } from '#service/cases.js';
import { createTestTable, type TestTable } from '#test/support/dynamo.js';

let t: TestTable;
before(async () => {
  t = await createTestTable();
});

const refusedAt = (code: string, path?: string) => (err: DomainError) => {
  assert.ok(err instanceof DomainError, String(err));
  assert.equal(err.code, code);
  if (path) assert.equal((err.details as Array<{ path: string }>)[0]?.path, path);
  return true;
};

describe('canned responses', () => {
  it('are checked, version-guarded, listed by name, written out for a case and deleted', async () => {
    await assert.rejects(
      saveCanned(t.deps, undefined, { name: 'Broken', text: 'Hi {{ contact.firstName ' }),
      refusedAt('validation_error', 'text'),
    );
    await assert.rejects(
      saveCanned(t.deps, undefined, { name: 'Unknown', text: 'Hi {{ customer.name }}' }),
      refusedAt('validation_error', 'text'),
    );
    const reset = await saveCanned(t.deps, undefined, {
      name: 'Reset password',
      text: 'Hi {{ contact.firstName | default: "there" }},\n\nI reset it (case #{{ case.ref }}).\n\n{{ agent }}',
    });
    await saveCanned(t.deps, undefined, { name: 'Angry customer', text: 'We are sorry.' });
    assert.deepEqual(
      (await listCanned(t.deps)).map((r) => r.name),
      ['Angry customer', 'Reset password'],
    );

    await contacts.createContact(t.deps, { email: 'ada@example.com', firstName: 'Ada' });
    const c = await openCase(t.deps, {
      subject: 'Locked out',
      email: 'ada@example.com',
      priority: 'normal',
      channel: 'api',
      tags: [],
      message: { kind: 'inbound', text: 'Help', attachments: [] },
    });
    const { text } = await renderCanned(t.deps, c.id, reset.id, 'Grace');
    assert.equal(text, `Hi Ada,\n\nI reset it (case #${c.ref}).\n\nGrace`);

    const edited = await saveCanned(t.deps, reset.id, { name: 'Reset password', text: 'Done.', version: 1 });
    assert.equal(edited.version, 2);
    await assert.rejects(
      saveCanned(t.deps, reset.id, { name: 'Reset password', text: 'Again', version: 1 }),
      refusedAt('version_conflict'),
    );
    await deleteCanned(t.deps, reset.id);
    await assert.rejects(renderCanned(t.deps, c.id, reset.id), refusedAt('not_found'));
    await assert.rejects(deleteCanned(t.deps, reset.id), refusedAt('not_found'));
  });
});
