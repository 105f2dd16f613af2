/**
 * The segments screen in a real browser against `npm start`: the empty state; a new segment saved
 * from the keyboard (a refusal said in the user's words first); its page lists exactly the contacts
 * that match and counts them exactly with a background job; the list shows it in words with its size.
 * It is edited in the same condition editor, filled in (the live count and its size follow), and
 * deleted after a confirmation, once the workflow it triggers no longer stops it (the refusal names
 * the workflow). axe-core finds nothing at 1440 and 390 px; screenshots at both widths.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { adminClient, type LocalServer } from '#test/support/local-server.js';
import { checkBothSizes } from './a11y.js';
import { browserSession, shotBothSizes } from './session.js';

let server: LocalServer;
let page: Page;
browserSession('segments', {}, (session) => {
  ({ server, page } = session);
});

describe('segments', () => {
  it('are saved from a form, list their contacts and are counted exactly', { timeout: 180_000 }, async () => {
    const api = adminClient(server);
    for (const [email, tags] of [
      ['ada@example.com', ['lead', 'webinar']],
      ['grace@example.com', ['lead', 'webinar']],
      ['alan@example.com', ['lead', 'webinar', 'customer']],
      ['linus@example.com', ['lead']],
    ] as const) {
      const res = await api('POST', '/v1/contacts', { email, tags });
      assert.equal(res.status, 201, JSON.stringify(res.json));
    }

    await page.goto(`${server.url}/#/segments`);
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('No segments yet').waitFor();
    await checkBothSizes(page, 'no segments');
    await shotBothSizes(page, 'segments-empty');

    await page.getByRole('link', { name: 'New segment' }).click();
    // The count follows the filter as it is built: all four, then the three webinar leads, then two.
    const live = page.locator('.live-count [role="status"]');
    await live.getByText('4 contacts match now.').waitFor();
    await page.getByLabel('Tagged with all of').fill('lead, webinar');
    await live.getByText('3 contacts match now.').waitFor();
    await page.getByLabel('Not tagged with').fill('customer');
    await live.getByText('2 contacts match now.').waitFor();
    // Saved without a name: refused, the problem named in the form's words.
    await page.getByRole('button', { name: 'Save segment' }).press('Enter');
    await page
      .getByRole('alert')
      .getByText(/^Name /)
      .waitFor();
    await checkBothSizes(page, 'a refused segment');
    await shotBothSizes(page, 'segment-refused');
    await page.getByLabel('Name').fill('Webinar leads');
    await page.getByLabel('Name').press('Enter');

    // Its page: exactly the two who match, and an exact count.
    await page.getByRole('heading', { name: 'Webinar leads' }).waitFor();
    await page.getByText('tagged lead and webinar · not tagged customer').waitFor();
    const people = page.getByRole('list', { name: 'Contacts in the segment' });
    await people.getByRole('link').first().waitFor();
    assert.deepEqual((await people.getByRole('link').allTextContents()).sort(), [
      'ada@example.com',
      'grace@example.com',
    ]);
    await page.getByRole('button', { name: 'Count exactly' }).press('Enter');
    await page.getByText('Done: 2 contacts counted.').waitFor({ timeout: 60_000 });
    await checkBothSizes(page, 'a segment');
    await shotBothSizes(page, 'segment');

    // The list, in words and with its size.
    await page.getByRole('link', { name: '← Segments' }).click();
    const row = page.getByRole('row', { name: /Webinar leads/ });
    await row.getByText('tagged lead and webinar · not tagged customer').waitFor();
    // Counted exactly for a small segment; an upper bound from its cheapest index otherwise.
    await row.getByText(/^(2|at most [34]) contacts$/).waitFor();
    await checkBothSizes(page, 'the segments list');
    await shotBothSizes(page, 'segments');
  });

  it('are edited in the same editor and deleted after a confirmation', { timeout: 180_000 }, async () => {
    const api = adminClient(server);
    await page.getByRole('link', { name: 'Webinar leads' }).click();
    await page.getByRole('heading', { name: 'Webinar leads' }).waitFor();
    const segmentId = page.url().split('#/segments/')[1] ?? '';
    await page.getByRole('button', { name: 'Edit' }).press('Enter');

    // The same editor, filled in, with its live count; the focus is in it.
    await page.getByRole('heading', { name: 'Edit Webinar leads' }).waitFor();
    const name = page.getByLabel('Name');
    assert.equal(await name.inputValue(), 'Webinar leads');
    assert.equal(await name.evaluate((el) => el === (el.ownerDocument as Document).activeElement), true);
    assert.equal(await page.getByLabel('Tagged with all of').inputValue(), 'lead, webinar');
    assert.equal(await page.getByLabel('Not tagged with').inputValue(), 'customer');
    const live = page.locator('.live-count [role="status"]');
    await live.getByText('2 contacts match now.').waitFor();
    // Cancel changes nothing.
    await page.getByLabel('Not tagged with').fill('');
    await page.getByRole('button', { name: 'Cancel' }).press('Enter');
    await page.getByText('Nothing was changed.').waitFor();
    await page.getByText('tagged lead and webinar · not tagged customer').waitFor();

    // Customers no longer left out: three match, the name changes, its size follows.
    await page.getByRole('button', { name: 'Edit' }).press('Enter');
    await page.getByLabel('Not tagged with').fill('');
    await live.getByText('3 contacts match now.').waitFor();
    await page.getByLabel('Name').fill('All webinar leads');
    await checkBothSizes(page, 'a segment being edited');
    await shotBothSizes(page, 'segment-edit');
    await page.getByRole('button', { name: 'Save changes' }).press('Enter');
    await page.getByRole('heading', { name: 'All webinar leads' }).waitFor();
    await page.getByText(/^Saved All webinar leads/).waitFor();
    await page.getByText(/^tagged lead and webinar · (3|at most [34]) contacts$/).waitFor();
    const people = page.getByRole('list', { name: 'Contacts in the segment' });
    await people.getByRole('link', { name: 'alan@example.com' }).waitFor();
    assert.equal(await people.getByRole('link').count(), 3);

    // In use: a published workflow it triggers stops the delete, named in the dialog.
    const wf = await api('POST', '/v1/workflows', {
      name: 'Webinar follow-up',
      trigger: { type: 'segmentEntered', segmentId },
      steps: [{ id: 'wait', type: 'wait', duration: 'P1D' }],
    });
    assert.equal(wf.status, 201, JSON.stringify(wf.json));
    const workflowId = String((wf.json as { id: string }).id);
    const published = await api('POST', `/v1/workflows/${workflowId}/publish`);
    assert.equal(published.status, 200, JSON.stringify(published.json));
    await page.getByRole('button', { name: 'Delete' }).press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Delete the segment All webinar leads?' });
    await dialog.waitFor();
    await dialog.getByRole('button', { name: 'Delete segment' }).press('Enter');
    const refusal = dialog.getByRole('alert');
    await refusal.getByText(/It is in use: it triggers this workflow/).waitFor();
    await refusal.getByRole('link', { name: 'Webinar follow-up' }).waitFor();
    await checkBothSizes(page, 'a refused delete');
    await shotBothSizes(page, 'segment-delete-refused');
    // Escape keeps it.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    assert.equal((await api('GET', `/v1/segments/${segmentId}`)).status, 200);

    // Paused, the workflow no longer uses it: confirmed, it is deleted and the list is empty again.
    assert.equal((await api('POST', `/v1/workflows/${workflowId}/pause`)).status, 200);
    await page.getByRole('button', { name: 'Delete' }).press('Enter');
    await dialog.waitFor();
    await checkBothSizes(page, 'the delete confirmation');
    await shotBothSizes(page, 'segment-delete');
    await dialog.getByRole('button', { name: 'Delete segment' }).press('Enter');
    await page.getByText('No segments yet').waitFor();
    assert.equal((await api('GET', `/v1/segments/${segmentId}`)).status, 404);
  });
});
