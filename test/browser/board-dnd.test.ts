/**
 * The pipeline board in a real browser against `npm start`: a card dragged with the mouse to another
 * stage (SortableJS) stays there after a reload; another moved with its stage list keeps the focus
 * in its new column; a refused move (409) is put back with a message; the deal panel (Escape
 * closes it, the focus goes back) marks a deal lost with a reason, gives another a contact chosen
 * in the contact picker by part of a name (then removes it) and deletes that one; a stage is
 * renamed in the stage editor; the deal list filters by status. axe-core finds nothing at 1440 and
 * 390 px; screenshots at both widths.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { adminClient, type LocalServer } from '#test/support/local-server.js';
import { checkBothSizes, DESKTOP, expectFocus, PHONE } from './a11y.js';
import { browserSession, SHOTS } from './session.js';

let server: LocalServer;
let page: Page;
browserSession('board-dnd', {}, (session) => {
  ({ server, page } = session);
});
const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);

async function shots(name: string) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: join(SHOTS, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(DESKTOP);
}

const column = (stage: string) => page.locator(`ul.deal-drop[data-stage="${stage}"]`);
const card = (id: string) => page.locator(`li.deal[data-id="${id}"]`);

/** Drags a card by its facts (not its buttons) onto a column, with real pointer moves. */
async function drag(dealId: string, stage: string) {
  const from = await card(dealId).locator('.deal-facts').boundingBox();
  const to = await column(stage).boundingBox();
  assert.ok(from && to);
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  await page.mouse.down();
  await page.mouse.move(from.x + from.width / 2 + 10, from.y + from.height / 2 + 5, { steps: 3 });
  await page.mouse.move(to.x + to.width / 2, to.y + to.height - 10, { steps: 15 });
  await page.mouse.move(to.x + to.width / 2, to.y + to.height - 5, { steps: 3 });
  await page.mouse.up();
}

describe('pipeline board', () => {
  it('moves deals by drag and drop and by keyboard, marks one lost, deletes one, renames a stage', {
    timeout: 240_000,
  }, async () => {
    const sam = await api('POST', '/v1/users', { name: 'Sam Seller', email: 'sam@board.example' });
    assert.equal(sam.status, 201, JSON.stringify(sam.json));
    const ada = await api('POST', '/v1/contacts', {
      email: 'ada@board.example',
      firstName: 'Ada',
      lastName: 'Lovelace',
    });
    const pipeline = await api('POST', '/v1/pipelines', {
      name: 'Sales',
      stages: [
        { name: 'Qualified', probability: 0.2 },
        { name: 'Proposal', probability: 0.5 },
        { name: 'Won', probability: 1 },
        { name: 'Lost', probability: 0 },
      ],
    });
    const pipelineId = String(pipeline.json.id);
    const deal = async (title: string, extra: Record<string, unknown> = {}) => {
      const res = await api('POST', '/v1/deals', {
        title,
        amount: 1200,
        currency: 'EUR',
        pipelineId,
        stage: 'Qualified',
        ...extra,
      });
      assert.equal(res.status, 201, JSON.stringify(res.json));
      return String(res.json.id);
    };
    const acme = await deal('Acme', { contactId: ada.json.id, owner: sam.json.id, closeDate: '2027-03-31' });
    const globex = await deal('Globex', { amount: 900, currency: 'USD' });
    const initech = await deal('Initech');

    await page.goto(`${server.url}/#/pipelines/${pipelineId}`);
    await page.locator('#token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const acmeCard = card(acme);
    await acmeCard.getByText('Sam Seller').waitFor();
    const contact = acmeCard.getByRole('link', { name: 'Ada Lovelace' });
    assert.equal(await contact.getAttribute('href'), `#/contacts/${ada.json.id}`);
    await acmeCard.getByText('0 days').waitFor();
    await acmeCard
      .locator('dd')
      .getByText(/31 Mar 2027|Mar 31, 2027/)
      .waitFor();

    // Dragged with the mouse: shown at once in Proposal, saved (it is there after a reload).
    await drag(acme, 'Proposal');
    await column('Proposal').locator(`li[data-id="${acme}"]`).waitFor();
    await page.getByText('Moved “Acme” to Proposal.').waitFor();
    await page.reload();
    await column('Proposal').locator(`li[data-id="${acme}"]`).waitFor();
    assert.equal((await api('GET', `/v1/deals/${acme}`)).json.stage, 'Proposal');

    // By keyboard: the stage list; the focus stays on it, in the deal's new column.
    const select = page.locator(`#move-${globex}`);
    await select.focus();
    await select.selectOption('Proposal');
    await column('Proposal').locator(`li[data-id="${globex}"]`).waitFor();
    await expectFocus(page, `ul.deal-drop[data-stage="Proposal"] #move-${globex}`);
    await page.getByText('Moved “Globex” to Proposal.').waitFor();

    // A refused move is put back, with a message.
    await page.route(`**/v1/deals/${initech}`, (route) =>
      route.request().method() === 'PATCH'
        ? route.fulfill({
            status: 409,
            contentType: 'application/json',
            body: JSON.stringify({
              error: { code: 'version_conflict', message: 'deal changed', details: {} },
            }),
          })
        : route.continue(),
    );
    await page.locator(`#move-${initech}`).selectOption('Won');
    await page.getByRole('alert').filter({ hasText: 'Could not move “Initech” to Won' }).waitFor();
    await column('Qualified').locator(`li[data-id="${initech}"]`).waitFor();
    await expectFocus(page, `ul.deal-drop[data-stage="Qualified"] #move-${initech}`);
    await page.unroute(`**/v1/deals/${initech}`);
    await checkBothSizes(page, 'pipeline board');
    await shots('board-dnd');

    // The panel: Escape closes it and the focus goes back to the card's title.
    const openInitech = card(initech).getByRole('button', { name: 'Initech' });
    await openInitech.click();
    const panel = page.getByRole('dialog', { name: 'Initech' });
    await panel.waitFor();
    await checkBothSizes(page, 'deal panel');
    await shots('deal-panel');
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
    await expectFocus(page, `li[data-id="${initech}"] .deal-open`);
    // Lost, with a reason: on the card, in the Lost column.
    await openInitech.click();
    await panel.getByRole('button', { name: 'Mark lost…' }).click();
    await panel.getByLabel('Lost reason').fill('Went with a competitor');
    await panel.getByRole('button', { name: 'Mark lost', exact: true }).click();
    await panel.getByText('Lost: Went with a competitor').waitFor();
    await panel.getByRole('button', { name: 'Close' }).click();
    await column('Lost')
      .locator(`li[data-id="${initech}"]`)
      .getByText('Lost: Went with a competitor')
      .waitFor();
    assert.equal((await api('GET', `/v1/deals/${initech}`)).json.lostReason, 'Went with a competitor');

    // A contact chosen in the panel by part of a name (the contact picker, from the keyboard),
    // saved; then removed and saved again.
    await card(globex).getByRole('button', { name: 'Globex' }).click();
    const globexPanel = page.getByRole('dialog', { name: 'Globex' });
    const picker = globexPanel.getByRole('combobox', { name: 'Contact' });
    await picker.fill('lovel');
    const option = globexPanel.getByRole('option', { name: /Ada Lovelace/ });
    await option.waitFor();
    await checkBothSizes(page, 'deal panel, contact picker open');
    await picker.press('ArrowDown');
    await picker.press('Enter');
    const removeContact = globexPanel.getByRole('button', { name: 'Remove contact Ada Lovelace' });
    await expectFocus(page, 'dialog.deal-panel button.link');
    await globexPanel.getByRole('button', { name: 'Save' }).click();
    await globexPanel.getByText('Saved.').waitFor();
    assert.equal((await api('GET', `/v1/deals/${globex}`)).json.contactId, ada.json.id);
    await card(globex).getByRole('link', { name: 'Ada Lovelace' }).waitFor();
    await shots('deal-panel-contact');
    await removeContact.click();
    await expectFocus(page, '#panel-contact');
    await globexPanel.getByRole('button', { name: 'Save' }).click();
    await card(globex).getByRole('link', { name: 'Ada Lovelace' }).waitFor({ state: 'detached' });
    assert.equal((await api('GET', `/v1/deals/${globex}`)).json.contactId, undefined);

    // Deleted after a confirmation.
    await globexPanel.getByRole('button', { name: 'Delete…' }).click();
    await globexPanel.getByRole('button', { name: 'Delete deal' }).click();
    await globexPanel.waitFor({ state: 'hidden' });
    await card(globex).waitFor({ state: 'detached' });
    assert.equal((await api('GET', `/v1/deals/${globex}`)).status, 404);

    // A stage renamed in the editor: its deal follows.
    await page.getByRole('button', { name: 'Edit stages' }).click();
    await page.getByLabel('Stage 2 name').fill('Offer');
    await checkBothSizes(page, 'stage editor');
    await page.getByRole('button', { name: 'Save stages' }).click();
    await page.getByText('Stages saved.').waitFor();
    await column('Offer').locator(`li[data-id="${acme}"]`).waitFor();
    assert.equal((await api('GET', `/v1/deals/${acme}`)).json.stage, 'Offer');

    // The deal list: lost deals, with their reason; a row opens the panel.
    await page.getByRole('link', { name: 'Deal list' }).click();
    await page.getByRole('heading', { name: 'Deals', level: 1 }).waitFor();
    await page.locator('#filter-status').selectOption('lost');
    const row = page.getByRole('row').filter({ hasText: 'Initech' });
    await row.getByText('Went with a competitor').waitFor();
    assert.equal(await page.getByRole('row').filter({ hasText: 'Acme' }).count(), 0);
    await checkBothSizes(page, 'deal list');
    await shots('deal-list');
    await row.getByRole('link', { name: 'Initech' }).click();
    await page.getByRole('dialog', { name: 'Initech' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
  });
});
