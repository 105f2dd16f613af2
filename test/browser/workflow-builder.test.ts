/**
 * The visual workflow builder in a real browser against `npm start`. A marketer builds a nurture
 * workflow only by clicking, pressing keys and choosing from lists — a form trigger, three emails, a
 * wait, an if on a click in the first email, a 50/50 split and a goal — sees the API's refusal on the
 * step it concerns (and a link to it), saves, finds the same document in the JSON tab (and again after
 * switching back and forth), publishes, and watches the first step's counts move as two leads submit
 * the form. Then a step is added, moved, duplicated, deleted and brought back with the keyboard alone,
 * and the CRM steps (a deal made and moved, the owner told, a webhook) are added with their pickers.
 * axe-core finds nothing at 1440 and 390 px; screenshots of both sizes go to test/e2e/screenshots/.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { adminClient, type LocalServer } from '#test/support/local-server.js';
import { checkBothSizes, expectFocus, tabThrough } from './a11y.js';
import { browserSession, shotBothSizes } from './session.js';
import { makeForm, makeTemplates } from './workflow-fixtures.js';

let server: LocalServer;
let page: Page;
browserSession('workflow-builder', {}, (session) => {
  ({ server, page } = session);
});

const shot = (name: string) => shotBothSizes(page, name);

/** Opens the "+" named `label` and chooses a step type from its menu; the new step's card gets the focus. */
async function addStep(label: string, type: string, id: string) {
  await page.getByRole('button', { name: label }).click();
  await page
    .getByRole('menu', { name: 'Step types' })
    .getByRole('menuitem', { name: type, exact: true })
    .click();
  await expectFocus(page, `#wfb-step-${id}`);
}

const panel = () => page.getByRole('region', { name: /.+/ }).and(page.locator('#wfb-panel'));

describe('workflow builder', () => {
  it('builds, saves, publishes and counts a nurture workflow without typing an id', {
    timeout: 300_000,
  }, async () => {
    const api = adminClient(server);
    const templates = await makeTemplates(api, [
      ['Welcome', 'Welcome, {{ contact.firstName | default: "friend" }}'],
      ['Guide', 'Your guide'],
      ['Offer', 'A special offer'],
    ]);
    const formId = await makeForm(api, 'Guide download', 'guide');
    // A customer: the tag "customer" is in use, so the goal's tag is chosen from the suggestions.
    assert.equal(
      (await api('POST', '/v1/contacts', { email: 'buyer@example.com', tags: ['customer'] })).status,
      201,
    );

    await page.goto(`${server.url}/#/workflows/new`);
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('tab', { name: 'Builder', selected: true }).waitFor();
    await page.getByRole('button', { name: 'Add the first step' }).waitFor();
    await checkBothSizes(page, 'a new workflow in the builder');

    await page.getByLabel('Workflow name').fill('Guide nurture');
    // The trigger: a form, chosen by its name.
    await page.locator('#wfb-trigger').click();
    await expectFocus(page, '#wfb-panel-title');
    await page.getByLabel('Contacts enroll when').selectOption({ label: 'Form is submitted' });
    await page.getByLabel('Form', { exact: true }).selectOption({ label: 'Guide download' });
    await page.locator('#wfb-trigger').getByText('Guide download').waitFor();
    // The goal: a tag in use, chosen from the list.
    await page.locator('#wfb-goal').click();
    await page.getByLabel('The enrollment ends early when').selectOption({ label: 'The contact gets a tag' });
    await page.getByRole('combobox', { name: 'Goal tag' }).click();
    await page.getByRole('option', { name: 'customer' }).click();
    await page.locator('#wfb-goal').getByText('Contact gets tag “customer”').waitFor();

    // The steps, each from a "+" and its menu.
    await addStep('Add the first step', 'Send email', 'email-1');
    await page.getByLabel('Email template').selectOption({ label: 'Welcome' });
    await panel().getByText('Subject: Welcome, {{ contact.firstName').waitFor();
    await page
      .frameLocator('iframe[title="Preview of Welcome"]')
      .getByRole('link', { name: 'Read more' })
      .waitFor();
    await addStep('Add a step after ‘email-1’', 'Wait', 'wait-1');
    await page.getByLabel('Number').fill('2');
    await page.locator('#wfb-step-wait-1').getByText('2 days').waitFor();
    await addStep('Add a step after ‘wait-1’', 'Send email', 'email-2');
    await page.getByLabel('Email template').selectOption({ label: 'Guide' });
    await addStep('Add a step after ‘email-2’', 'If/then branch', 'if-1');
    await page.getByLabel('Condition', { exact: true }).selectOption({
      label: 'Clicked a link in an earlier email',
    });
    await page.getByLabel('Email', { exact: true }).selectOption({ label: 'Welcome (email-1)' });
    await page.locator('#wfb-step-if-1').getByText('If clicked a link in “Welcome”').waitFor();
    await shot('workflow-builder-branch');
    await addStep('Add a step at the start of the Yes branch of ‘if-1’', 'Send email', 'email-3');
    await addStep('Add a step after ‘if-1’', 'A/B split', 'split-1');
    await page.locator('#wfb-step-split-1').getByText('A 50% / B 50%').waitFor();

    // Saved with the third email's template not chosen: refused, the problem on that step and listed
    // at the top with a link that takes the focus to it.
    await page.getByRole('button', { name: 'Create workflow' }).click();
    const problems = page.locator('.wfb-problems');
    await problems.getByText('the draft was not saved').waitFor();
    await page
      .locator('#wfb-step-email-3.bad')
      .getByText(/1 problem/)
      .waitFor();
    assert.equal(await page.locator('.wfb-card.bad').count(), 1, 'only the step concerned is marked');
    await problems.getByRole('link', { name: 'Send email email-3' }).click();
    await expectFocus(page, '#wfb-step-email-3');
    await panel().getByText('Choose a template.').first().waitFor();
    assert.equal(await page.getByLabel('Email template').getAttribute('aria-invalid'), 'true');
    await checkBothSizes(page, 'a refused draft');
    await shot('workflow-builder-refused');
    await page.getByLabel('Email template').selectOption({ label: 'Offer' });

    await page.getByRole('button', { name: 'Create workflow' }).click();
    await page.getByRole('heading', { level: 1, name: /Guide nurture/ }).waitFor();
    await page.getByRole('status').getByText('Workflow created.').waitFor();
    const workflowId = /#\/workflows\/([0-9A-Z]{26})/.exec(page.url())?.[1] ?? '';
    assert.ok(workflowId, page.url());
    const stored = (await api('GET', `/v1/workflows/${workflowId}`)).json.workflow.definition;
    assert.deepEqual(stored.trigger, { type: 'formSubmitted', formId: formId });
    assert.deepEqual(stored.goal, { type: 'tagAdded', tag: 'customer' });
    assert.deepEqual(
      stored.steps.map((s: { id: string; type: string }) => `${s.id}:${s.type}`),
      ['email-1:sendEmail', 'wait-1:wait', 'email-2:sendEmail', 'if-1:if', 'split-1:split'],
    );
    assert.equal(stored.steps[0].templateId, templates.Welcome);
    assert.equal(stored.steps[1].duration, 'P2D');
    assert.deepEqual(stored.steps[3].condition, { emailClicked: { step: 'email-1' } });
    assert.deepEqual(stored.steps[3].then, [
      { id: 'email-3', type: 'sendEmail', templateId: templates.Offer },
    ]);
    assert.deepEqual(
      stored.steps[4].branches.map((b: { percent: number }) => b.percent),
      [50, 50],
    );

    // The JSON tab shows that very document; back to the builder and to JSON again: the same text.
    await page.getByRole('tab', { name: 'JSON' }).click();
    const json = page.getByLabel('Definition (JSON, see docs/workflows.md)');
    const text = await json.inputValue();
    assert.deepEqual(JSON.parse(text), stored);
    await page.getByRole('tab', { name: 'Builder' }).click();
    await page.locator('#wfb-step-split-1').waitFor();
    await page.getByRole('tab', { name: 'JSON' }).click();
    assert.equal(await json.inputValue(), text);
    await page.getByRole('tab', { name: 'Builder' }).click();

    // Published: every card counts its enrollments; two leads arrive and the first step's count moves.
    await page.getByRole('button', { name: 'Publish', exact: true }).click();
    await page.locator('h1 .status').getByText('active').waitFor();
    const firstCount = page.locator('.wfb-counts[data-step="email-1"]');
    await firstCount.getByText('0 entered · 0 here now').waitFor();
    for (const [email, name] of [
      ['ada@example.com', 'Ada'],
      ['lin@example.com', 'Lin'],
    ] as const) {
      const res = await fetch(`${server.url}/f/${formId}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ email, firstName: name }).toString(),
      });
      assert.equal(res.status, 200, await res.text());
    }
    await firstCount.getByText(/^2 entered/).waitFor({ timeout: 60_000 });
    // Both wait two days after the first email.
    await page
      .locator('.wfb-counts[data-step="wait-1"]')
      .getByText('2 entered · 2 here now')
      .waitFor({ timeout: 30_000 });
    await page.getByText(/Live: 2 enrolled · 2 active/).waitFor();
    await checkBothSizes(page, 'a published workflow with counts');
    await shot('workflow-builder');
  });

  it('adds, moves, duplicates, deletes and restores a step with the keyboard alone', {
    timeout: 120_000,
  }, async () => {
    // From the tab list, Tab goes through the toolbar, the goal, the trigger and each "+" and step.
    await page.getByRole('tab', { name: 'Builder' }).focus();
    await tabThrough(page, '#wfb-add-steps-3');
    await page.keyboard.press('Enter');
    await expectFocus(page, '#wfb-add-sendEmail');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await expectFocus(page, '#wfb-add-waitUntil');
    await page.keyboard.press('Enter');
    await expectFocus(page, '#wfb-step-wait-until-1');
    const order = async () =>
      page.locator('.wfb-items .wfb-card[data-type]').evaluateAll((cards) => cards.map((c) => c.id.slice(9)));
    assert.deepEqual((await order()).slice(0, 5), ['email-1', 'wait-1', 'email-2', 'wait-until-1', 'if-1']);

    // Its settings: Enter on the card opens them; Escape gives the focus back to the card.
    await page.keyboard.press('Enter');
    await expectFocus(page, '#wfb-panel-title');
    await tabThrough(page, '#wfb-time');
    await page.keyboard.press('Escape');
    await expectFocus(page, '#wfb-step-wait-until-1');

    // Moved up, duplicated, deleted, and the deletion undone.
    await page.keyboard.press('Enter');
    await tabThrough(page, '#wfb-move-up');
    await page.keyboard.press('Enter');
    assert.deepEqual((await order()).slice(0, 4), ['email-1', 'wait-1', 'wait-until-1', 'email-2']);
    await expectFocus(page, '#wfb-move-up');
    await tabThrough(page, '#wfb-duplicate');
    await page.keyboard.press('Enter');
    await expectFocus(page, '#wfb-step-wait-until-2');
    await page.keyboard.press('Enter');
    await tabThrough(page, '#wfb-delete');
    await page.keyboard.press('Enter');
    await page.getByRole('status').getByText('Wait until a time of day wait-until-2 deleted.').waitFor();
    assert.ok(!(await order()).includes('wait-until-2'));
    await expectFocus(page, '#wfb-add-steps-3');
    await page.keyboard.press('Control+z');
    await expectFocus(page, '#wfb-step-wait-until-2');
    assert.deepEqual((await order()).slice(0, 5), [
      'email-1',
      'wait-1',
      'wait-until-1',
      'wait-until-2',
      'email-2',
    ]);
    await page.getByRole('button', { name: 'Save draft' }).press('Enter');
    await page.getByRole('status').getByText('Draft saved.').waitFor();
    const api = adminClient(server);
    const list = (await api('GET', '/v1/workflows')).json.items;
    const draft = list[0].definition;
    assert.deepEqual(draft.steps[2], {
      id: 'wait-until-1',
      type: 'waitUntil',
      time: '09:00',
      timezone: 'workflow',
    });
    await checkBothSizes(page, 'the builder after keyboard edits');
  });

  it('adds the CRM steps from the menu, each reference chosen from a list', {
    timeout: 120_000,
  }, async () => {
    const api = adminClient(server);
    const pipeline = await api('POST', '/v1/pipelines', {
      name: 'Sales',
      stages: [
        { name: 'Trial', probability: 0.2 },
        { name: 'Won', probability: 1 },
        { name: 'Lost', probability: 0 },
      ],
    });
    assert.equal(pipeline.status, 201, JSON.stringify(pipeline.json));
    const hook = await api('POST', '/v1/webhooks', {
      url: 'https://hooks.example.com/billing',
      description: 'Billing',
      eventTypes: ['ContactCreated'],
    });
    assert.equal(hook.status, 201, JSON.stringify(hook.json));
    // The builder loads its lists when it opens.
    await page.reload();
    await page.getByRole('tab', { name: 'Builder', selected: true }).waitFor();

    await addStep('Add a step after ‘email-1’', 'Create deal', 'create-deal-1');
    await page.getByLabel('Pipeline').selectOption({ label: 'Sales' });
    await page.getByLabel('Stage', { exact: true }).selectOption({ label: 'Trial' });
    await page.getByLabel('Deal name (optional)').fill('{{ contact.company }} trial');
    await page.getByLabel('Amount (optional)').fill('1200');
    await page.locator('#wfb-step-create-deal-1').getByText('Sales: Trial, 1200 USD').waitFor();
    await addStep('Add a step after ‘create-deal-1’', 'Move deal', 'move-deal-1');
    await page.getByLabel('Pipeline').selectOption({ label: 'Sales' });
    await page.getByLabel('Move to stage').selectOption({ label: 'Won' });
    await addStep('Add a step after ‘move-deal-1’', 'Notify owner', 'notify-owner-1');
    await page.getByLabel('Subject').fill('{{ contact.email }} is trialing');
    await page.getByLabel('Message').fill('Call them today.');
    await addStep('Add a step after ‘notify-owner-1’', 'Send webhook', 'webhook-1');
    await page.getByLabel('Webhook', { exact: true }).selectOption({
      label: 'Billing (https://hooks.example.com/billing)',
    });
    await page.locator('#wfb-step-webhook-1').getByText('Billing').waitFor();
    await checkBothSizes(page, 'the CRM steps in the builder');
    await shot('workflow-builder-crm-steps');

    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByRole('status').getByText('Draft saved.').waitFor();
    const draft = (await api('GET', '/v1/workflows')).json.items[0].definition;
    assert.deepEqual(draft.steps.slice(1, 5), [
      {
        id: 'create-deal-1',
        type: 'createDeal',
        pipelineId: pipeline.json.id,
        stage: 'Trial',
        name: '{{ contact.company }} trial',
        amount: 1200,
      },
      { id: 'move-deal-1', type: 'moveDeal', pipelineId: pipeline.json.id, stage: 'Won' },
      {
        id: 'notify-owner-1',
        type: 'notifyOwner',
        subject: '{{ contact.email }} is trialing',
        message: 'Call them today.',
      },
      { id: 'webhook-1', type: 'webhook', webhookId: hook.json.webhook.id },
    ]);
  });
});
