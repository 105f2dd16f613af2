/**
 * The builder's "Wait for an event" step in a real browser against `npm start`. A marketer adds it
 * after an email with the keyboard alone (the "+", the menu, the panel's fields by Tab), finds it
 * waiting for a click in that email, tries a tag from the suggestions, goes back to "clicks a link in"
 * the email (chosen from the emails before it only) and sets how long at most. Moved above its email,
 * the API refuses the draft and the problem shows on this step; put back, the workflow is created with
 * exactly the document the JSON tab shows, and an edit in the JSON tab comes back to the builder and
 * is saved as a draft. axe-core finds nothing with the step's panel open; screenshots at 1440 and 390 px.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { adminClient, type LocalServer } from '#test/support/local-server.js';
import { checkBothSizes, expectFocus, tabThrough } from './a11y.js';
import { browserSession, shotBothSizes } from './session.js';
import { makeTemplates } from './workflow-fixtures.js';

let server: LocalServer;
let page: Page;
browserSession('workflow-wait-event', {}, (session) => {
  ({ server, page } = session);
});

const card = () => page.locator('#wfb-step-wait-event-1');
const panel = () => page.locator('#wfb-panel');

describe('the builder’s Wait for an event step', () => {
  it('is added and set up from lists and the keyboard, and saved as the JSON tab shows it', {
    timeout: 240_000,
  }, async () => {
    const api = adminClient(server);
    const templates = await makeTemplates(api, [
      ['Demo invite', 'Book your demo'],
      ['Reminder', 'Still keen on a demo?'],
    ]);
    // Tags in use, offered by the tag pickers.
    const lead = await api('POST', '/v1/contacts', {
      email: 'p@example.com',
      tags: ['demo-request', 'demo-booked'],
    });
    assert.equal(lead.status, 201, JSON.stringify(lead.json));

    await page.goto(`${server.url}/#/workflows/new`);
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('tab', { name: 'Builder', selected: true }).waitFor();
    await page.getByLabel('Workflow name').fill('Demo chaser');
    await page.locator('#wfb-trigger').click();
    await page.getByRole('combobox', { name: 'Tag' }).click();
    await page.getByRole('option', { name: 'demo-request' }).click();
    await page.locator('#wfb-trigger').getByText('Tag “demo-request” is added').waitFor();

    await page.getByRole('button', { name: 'Add the first step' }).click();
    await page.getByRole('menuitem', { name: 'Send email', exact: true }).click();
    await expectFocus(page, '#wfb-step-email-1');
    await page.getByLabel('Email template').selectOption({ label: 'Demo invite' });

    // The keyboard alone: from the email's card, Tab to the "+" after it, Enter, ↓ to the step type.
    await page.locator('#wfb-step-email-1').focus();
    await tabThrough(page, '#wfb-add-steps-1', 10);
    await page.keyboard.press('Enter');
    await expectFocus(page, '#wfb-add-sendEmail');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowDown');
    await expectFocus(page, '#wfb-add-waitForEvent');
    await page.keyboard.press('Enter');
    await expectFocus(page, '#wfb-step-wait-event-1');
    // By default it waits for a click in the email before it, three days at most.
    await card().getByText('Up to 3 days for a click in “Demo invite”').waitFor();
    await page.keyboard.press('Enter');
    await expectFocus(page, '#wfb-panel-title');
    await page.getByRole('heading', { name: 'Wait for an event' }).waitFor();
    // Every field is reached by Tab, in order.
    const reached = await tabThrough(page, '#wfb-timeout-unit', 20);
    const order = ['#wfb-event', '#wfb-event-email', '#wfb-timeout-amount', '#wfb-timeout-unit'];
    assert.deepEqual(
      reached.filter((id) => order.includes(id)),
      order,
      reached.join(', '),
    );

    // A tag instead, chosen from the suggestions with ↓ and Enter.
    await page.getByLabel('Wait until the contact').selectOption({ label: 'Is tagged' });
    const tag = page.getByRole('combobox', { name: 'Tag' });
    await tag.focus();
    await tag.press('ArrowDown');
    await tag.press('Enter');
    await card().getByText('Up to 3 days for the tag “demo-booked”').waitFor();

    // Back to "clicks a link in" the email, chosen from the emails before it; at most 5 days.
    await page
      .getByLabel('Wait until the contact')
      .selectOption({ label: 'Clicks a link in an earlier email' });
    const emailPicker = panel().getByLabel('Email', { exact: true });
    await emailPicker.selectOption({ label: 'Demo invite (email-1)' });
    await page.locator('#wfb-timeout-amount').fill('5');
    await page.locator('#wfb-timeout-unit').selectOption('days');
    await card().getByText('Up to 5 days for a click in “Demo invite”').waitFor();
    await checkBothSizes(page, 'the Wait for an event step’s panel');
    await shotBothSizes(page, 'workflow-wait-event');

    // An email after it is not one it can wait for.
    await page.getByRole('button', { name: 'Add a step after ‘wait-event-1’' }).click();
    await page.getByRole('menuitem', { name: 'Send email', exact: true }).click();
    await expectFocus(page, '#wfb-step-email-2');
    await page.getByLabel('Email template').selectOption({ label: 'Reminder' });
    await card().click();
    assert.deepEqual(await emailPicker.locator('option').allTextContents(), [
      'Choose an email',
      'Demo invite (email-1)',
    ]);

    // Moved above its email, the draft is refused and the problem is on this step.
    await page.locator('#wfb-move-up').click();
    await page.getByRole('button', { name: 'Create workflow' }).click();
    await page.locator('.wfb-problems').getByText('the draft was not saved').waitFor();
    await page
      .locator('#wfb-step-wait-event-1.bad')
      .getByText(/1 problem/)
      .waitFor();
    assert.equal(await page.locator('.wfb-card.bad').count(), 1, 'only the step concerned is marked');
    await card().click();
    await panel().getByText('step email-1 is not a sendEmail step before this one').first().waitFor();
    assert.equal(await emailPicker.getAttribute('aria-invalid'), 'true');
    await page.locator('#wfb-move-down').click();

    await page.getByRole('button', { name: 'Create workflow' }).click();
    await page.getByRole('heading', { level: 1, name: /Demo chaser/ }).waitFor();
    const workflowId = /#\/workflows\/([0-9A-Z]{26})/.exec(page.url())?.[1] ?? '';
    assert.ok(workflowId, page.url());
    const stored = (await api('GET', `/v1/workflows/${workflowId}`)).json.workflow.definition;
    assert.deepEqual(stored.steps, [
      { id: 'email-1', type: 'sendEmail', templateId: templates['Demo invite'] },
      {
        id: 'wait-event-1',
        type: 'waitForEvent',
        event: { type: 'emailClicked', step: 'email-1' },
        timeout: 'P5D',
      },
      { id: 'email-2', type: 'sendEmail', templateId: templates.Reminder },
    ]);

    // The JSON tab: the stored document, the same text after going back and forth.
    await page.getByRole('tab', { name: 'JSON' }).click();
    const json = page.getByLabel('Definition (JSON, see docs/workflows.md)');
    const text = await json.inputValue();
    assert.deepEqual(JSON.parse(text), stored);
    await page.getByRole('tab', { name: 'Builder' }).click();
    await card().waitFor();
    await page.getByRole('tab', { name: 'JSON' }).click();
    assert.equal(await json.inputValue(), text);

    // Edited in the JSON tab (a reply instead, a week at most): the builder shows it, and it is saved.
    const edited = structuredClone(stored);
    edited.steps[1] = { ...edited.steps[1], event: { type: 'emailReplied' }, timeout: 'P1W' };
    await json.fill(JSON.stringify(edited, null, 2));
    await page.getByRole('tab', { name: 'Builder' }).click();
    await card().getByText('Up to 1 week for a reply by email').waitFor();
    await card().click();
    assert.equal(await page.getByLabel('Wait until the contact').inputValue(), 'emailReplied');
    assert.equal(await page.locator('#wfb-timeout-unit').inputValue(), 'weeks');
    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByRole('status').getByText('Draft saved.').waitFor();
    const saved = (await api('GET', `/v1/workflows/${workflowId}`)).json.workflow.definition;
    assert.deepEqual(saved, edited);
  });
});
