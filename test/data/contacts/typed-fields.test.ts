/**
 * Typed custom fields on DynamoDB Local: a number imported as text is stored as a number, every
 * write path refuses what does not fit, and segments compare by type.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createForm } from '#capture/forms.js';
import { submitForm } from '#capture/submission.js';
import { createFieldDefinition, updateFieldDefinition } from '#contacts/field-definitions.js';
import * as contacts from '#contacts/rules.js';
import { evaluateFilter } from '#insights/segments.js';
import { DomainError } from '#platform/errors.js';
import { createTestTable, type TestTable } from '#test/support/dynamo.js';
import { runImport } from '#test/support/imports.js';

let t: TestTable;
before(async () => {
  t = await createTestTable();
  await createFieldDefinition(t.deps, { name: 'score', label: 'Lead score', type: 'number' });
  await createFieldDefinition(t.deps, { name: 'renewal', label: 'Renewal', type: 'date' });
  await createFieldDefinition(t.deps, {
    name: 'tier',
    label: 'Tier',
    type: 'select',
    options: ['Gold', 'Silver'],
  });
});

const invalidAt = (path: string) => (e: unknown) =>
  e instanceof DomainError && e.kind === 'invalid' && JSON.stringify(e.details).includes(path);

describe('typed custom fields', () => {
  it('store a CSV number as a number, fail the rows that do not fit, and compare by type in segments', async () => {
    const rows = Array.from(
      { length: 30 },
      (_, i) => `lead${i}@example.com,${i * 5},2026-0${(i % 9) + 1}-15,gold`,
    );
    const job = await runImport(
      t.deps,
      [
        'email,score,renewal,tier',
        ...rows,
        'bad1@example.com,many,2026-01-01,Gold',
        'bad2@example.com,3,2026-02-30,Bronze',
      ].join('\n'),
    );
    assert.deepEqual([job.counts.created, job.counts.failed], [30, 2]);
    const errors = await t.deps.store.listRowErrors(job.id, { limit: 10 });
    assert.deepEqual(
      errors.items.map((e) => [e.line, e.reasons.map((r) => r.split(':')[0]).join(',')]),
      [
        [32, 'score'],
        [33, 'renewal,tier'],
      ],
    );
    const id = await t.deps.store.findContactIdByEmail('lead10@example.com');
    const c = await contacts.getContact(t.deps, String(id));
    assert.deepEqual(c.fields, { score: 50, renewal: '2026-02-15', tier: 'Gold' });
    const over = await evaluateFilter(
      t.deps,
      { fields: [{ field: 'score', op: 'gt', value: 100 }] },
      { limit: 50 },
    );
    assert.equal(over.items.length, 9, 'scores 105..145');
    const later = await evaluateFilter(
      t.deps,
      { fields: [{ field: 'renewal', op: 'gte', value: '2026-09-01' }] },
      { limit: 50 },
    );
    assert.equal(later.items.length, 3);
  });

  it('refuse a value that does not fit on the API and on forms, writing nothing', async () => {
    const before = JSON.stringify(await t.items());
    await assert.rejects(
      contacts.createContact(t.deps, { email: 'x@example.com', fields: { score: 'high' } }),
      invalidAt('fields.score'),
    );
    const form = await createForm(t.deps, {
      name: 'Typed',
      fields: [
        { name: 'email', label: 'Email', type: 'email', required: true },
        { name: 'score', label: 'Score', type: 'text', required: false },
      ],
      tags: [],
      spam: { requireToken: false },
    });
    const after = JSON.stringify(await t.items());
    assert.notEqual(after, before, 'the form was created');
    await assert.rejects(
      submitForm(
        t.deps,
        {
          formId: form.id,
          values: { email: 'y@example.com', score: 'lots' },
          query: {},
          sourceIp: '1.2.3.4',
        },
        's',
      ),
      invalidAt('"score"'),
    );
    const ok = await submitForm(
      t.deps,
      { formId: form.id, values: { email: 'y@example.com', score: '80' }, query: {}, sourceIp: '1.2.3.4' },
      's',
    );
    assert.ok(ok.kind === 'accepted');
    assert.equal((await contacts.getContact(t.deps, ok.contactId)).fields.score, 80);
    const c = await contacts.createContact(t.deps, { email: 'z@example.com', fields: { score: 12 } });
    await assert.rejects(
      contacts.updateContact(t.deps, c.id, { version: 1, fields: { tier: 'Bronze' } }),
      invalidAt('fields.tier'),
    );
    const patched = await contacts.updateContact(t.deps, c.id, {
      version: 1,
      fields: { tier: 'silver', score: null },
    });
    assert.deepEqual(patched.fields, { tier: 'Silver' });
  });

  it('change a select’s options but never a type, and refuse a second definition of a name', async () => {
    const updated = await updateFieldDefinition(t.deps, 'tier', { options: ['Gold', 'Silver', 'Bronze'] });
    assert.deepEqual(updated.options, ['Gold', 'Silver', 'Bronze']);
    await assert.rejects(
      createFieldDefinition(t.deps, { name: 'tier', label: 'Again', type: 'text' }),
      (e: unknown) => e instanceof DomainError && e.code === 'field_exists',
    );
    await assert.rejects(updateFieldDefinition(t.deps, 'score', { options: ['a'] }), invalidAt('options'));
  });
});
