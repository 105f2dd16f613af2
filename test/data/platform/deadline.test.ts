/** A request that runs out of time gives up before it writes: busy (503, Retry-After), never a late write. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as contacts from '#contacts/rules.js';
import { COMMIT_BUDGET_MS, withDeadline } from '#platform/deadline.js';
import { DomainError } from '#platform/errors.js';
import { STATUS_OF } from '#platform/http/handler.js';
import { withOptimisticRetry } from '#platform/retry.js';
import { CommitConflict } from '#platform/store.js';
import { createTestTable, type TestTable } from '#test/support/dynamo.js';

let t: TestTable;
before(async () => {
  t = await createTestTable();
});

const isBusy = (e: unknown) =>
  e instanceof DomainError && STATUS_OF[e.kind] === 503 && (e.retryAfterSeconds ?? 0) > 0;

describe('request deadlines', () => {
  it('refuses to start a commit without time to finish it, and writes nothing', async () => {
    const before = JSON.stringify(await t.items());
    await assert.rejects(
      withDeadline(COMMIT_BUDGET_MS - 100, () =>
        contacts.createContact(t.deps, { email: 'late@example.com' }),
      ),
      isBusy,
    );
    assert.equal(JSON.stringify(await t.items()), before);
    // With time enough, the same use case writes.
    const c = await withDeadline(10_000, () => contacts.createContact(t.deps, { email: 'late@example.com' }));
    assert.equal(c.email, 'late@example.com');
  });

  it('stops optimistic retries at the deadline with busy, instead of retrying past it', async () => {
    let attempts = 0;
    await assert.rejects(
      withDeadline(3 * COMMIT_BUDGET_MS, () =>
        withOptimisticRetry(
          async () => {
            attempts++;
            await new Promise((resolve) => setTimeout(resolve, 200));
            throw new CommitConflict({ kind: 'createContact' } as never, 'createContact');
          },
          () => true,
          1_000,
        ),
      ),
      isBusy,
    );
    assert.ok(attempts >= 2 && attempts < 1_000, `${attempts} attempts`);
  });
});
