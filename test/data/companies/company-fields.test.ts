/**
 * Company custom fields on DynamoDB Local: definitions (a taken name is a 409, a select needs
 * options, options only on a select, relabel and new options), values converted by type on create
 * and change, an undefined field and a value that does not fit are 400s at `fields.<name>` with
 * nothing written, null clears, the change is on the timeline.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { createCompany, getCompany, updateCompany } from '#companies/companies.js';
import { createCompanyField, updateCompanyField } from '#companies/company-fields.js';
import { companyTimeline } from '#companies/timeline.js';
import { DomainError } from '#platform/errors.js';
import { createTestTable, type TestTable } from '#test/support/dynamo.js';

let t: TestTable;
before(async () => {
  t = await createTestTable();
});

const refused =
  (kind: string, ...paths: string[]) =>
  (err: unknown) => {
    assert.ok(err instanceof DomainError, String(err));
    assert.equal(err.kind, kind);
    const details = (err.details ?? []) as Array<{ path: string }>;
    for (const p of paths) assert.ok(Array.isArray(details) && details.some((d) => d.path === p), p);
    return true;
  };

describe('company fields', () => {
  it('are defined with a type; a taken name is a 409; options only on a select', async () => {
    await createCompanyField(t.deps, { name: 'employees', label: 'Employees', type: 'number' });
    await createCompanyField(t.deps, { name: 'renewal', label: 'Renewal', type: 'date' });
    await createCompanyField(t.deps, { name: 'partner', label: 'Partner', type: 'boolean' });
    await createCompanyField(t.deps, {
      name: 'tier',
      label: 'Tier',
      type: 'select',
      options: ['Gold', 'Silver'],
    });
    await createCompanyField(t.deps, { name: 'notes', label: 'Notes', type: 'text' });
    await assert.rejects(
      createCompanyField(t.deps, { name: 'tier', label: 'Again', type: 'text' }),
      refused('conflict'),
    );
    await assert.rejects(
      createCompanyField(t.deps, { name: 'region', label: 'Region', type: 'select' }),
      refused('invalid', 'options'),
    );
    await assert.rejects(
      createCompanyField(t.deps, { name: 'region', label: 'Region', type: 'text', options: ['a'] }),
      refused('invalid', 'options'),
    );
    const tier = await updateCompanyField(t.deps, 'tier', {
      label: 'Account tier',
      options: ['Gold', 'Silver', 'Bronze'],
    });
    assert.deepEqual(
      [tier.label, tier.type, tier.options],
      ['Account tier', 'select', ['Gold', 'Silver', 'Bronze']],
    );
    await assert.rejects(updateCompanyField(t.deps, 'nope', { label: 'x' }), refused('not_found'));
    assert.deepEqual(
      (await t.deps.store.listCompanyFields()).map((d) => d.name),
      ['employees', 'notes', 'partner', 'renewal', 'tier'],
    );
  });

  it('convert values by type, refuse undefined fields and misfits, clear with null', async () => {
    const c = await createCompany(t.deps, {
      name: 'Typed Inc',
      fields: { employees: '250', renewal: '2027-01-31', partner: 'yes', tier: 'gold' },
    });
    assert.deepEqual(c.fields, { employees: 250, renewal: '2027-01-31', partner: true, tier: 'Gold' });
    await assert.rejects(
      createCompany(t.deps, { name: 'Bad', fields: { employees: 'many', colour: 'red' } }),
      refused('invalid', 'fields.colour'),
    );
    await assert.rejects(
      updateCompany(
        t.deps,
        c.id,
        { fields: { employees: 'many', renewal: '2027-02-30', tier: 'Platinum' } },
        c.version,
      ),
      refused('invalid', 'fields.employees', 'fields.renewal', 'fields.tier'),
    );
    assert.deepEqual((await getCompany(t.deps, c.id)).fields, c.fields, 'nothing written');
    const next = await updateCompany(
      t.deps,
      c.id,
      { fields: { employees: 300, partner: null, notes: 'Key account' } },
      c.version,
    );
    assert.deepEqual(next.fields, {
      employees: 300,
      renewal: '2027-01-31',
      tier: 'Gold',
      notes: 'Key account',
    });
    const edited = (await companyTimeline(t.deps, c.id, { limit: 5 })).items.find((e) => e.type === 'edited');
    assert.deepEqual(edited?.changed?.sort(), ['fields.employees', 'fields.notes', 'fields.partner']);
    const cleared = await updateCompany(
      t.deps,
      c.id,
      { fields: { employees: null, renewal: null, tier: null, notes: null } },
      next.version,
    );
    assert.equal(cleared.fields, undefined);
  });
});
