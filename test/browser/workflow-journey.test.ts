/**
 * A marketer's whole journey with a workflow, in a real browser against `npm start`, only by clicking,
 * pressing keys and choosing from lists (no JSON, no ids): in the visual builder a demo-request
 * nurture — a form trigger, a goal, a welcome email, a wait, an if on a click in the welcome email
 * (Yes: an offer), an A/B split (A: a guide) — saved, dry-run for a contact who clicks (the path and
 * the rendered email), published; two leads submit the public form and the cards' counts move: both
 * at the wait, then past it to the end, the split's paths adding up. Then the wait is changed and a
 * step added to path B with the keyboard, the new version is reviewed (what changed, who is running)
 * and published, and a third lead goes through version 2. axe-core finds nothing at 1440 and 390 px;
 * screenshots of both sizes go to test/e2e/screenshots/workflow-journey-*.png.
 *
 * Waits are time-scaled (TENDRIL_TIME_SCALE=3600: the one-day wait lasts 24 seconds), so the leads
 * are seen waiting at the wait step and then passing it.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { adminClient, type LocalServer, outbox } from '#test/support/local-server.js';
import { checkBothSizes, expectFocus } from './a11y.js';
import { browserSession, SHOTS, shotBothSizes } from './session.js';
import { makeForm, makeTemplates } from './workflow-fixtures.js';

let server: LocalServer;
let page: Page;
browserSession('workflow-journey', { env: { TENDRIL_TIME_SCALE: '3600' } }, (session) => {
  ({ server, page } = session);
});

/** Full-page screenshots at 1440 and 390 px, `workflow-journey-<name>[-phone].png`. */
const shot = (name: string) => shotBothSizes(page, `workflow-journey-${name}`);

/** Opens the "+" whose name starts with `label` and chooses a step type; the new card gets the focus. */
async function addStep(label: string, type: string, id: string) {
  await page.getByRole('button', { name: label }).click();
  await page
    .getByRole('menu', { name: 'Step types' })
    .getByRole('menuitem', { name: type, exact: true })
    .click();
  await expectFocus(page, `#wfb-step-${id}`);
}

const card = (id: string) => page.locator(`#wfb-step-${id}`);
/** A step's counts line ("2 entered · 1 here now", beside its card), once it reads `text`. */
const counts = (id: string, text: string | RegExp) =>
  page
    .locator(`.wfb-counts[data-step="${id}"]`)
    .filter({ hasText: typeof text === 'string' ? new RegExp(`^${text}$`) : text });
/** The "+" opening a split path, named with how many enrollments took it once counts are shown. */
const pathStart = (letter: 'A' | 'B') =>
  page.getByRole('button', { name: `Add a step at the start of the path ${letter} (50%) of ‘split-1’` });
/** How many enrollments took a split path, as its "+" says ("… (2 enrollments took this path)"). */
async function tookPath(letter: 'A' | 'B'): Promise<number> {
  const label = (await pathStart(letter).getAttribute('aria-label')) ?? '';
  const n = /\((\d+) enrollments? took this path\)$/.exec(label)?.[1];
  assert.ok(n !== undefined, `path ${letter} shows no count: ${label}`);
  return Number(n);
}

/** A lead fills in the public form, as a browser posts it. */
async function submitForm(formId: string, email: string, firstName: string) {
  const res = await fetch(`${server.url}/f/${formId}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email, firstName }).toString(),
  });
  assert.equal(res.status, 200, await res.text());
}

describe('a marketer’s workflow journey', () => {
  it('builds, dry-runs, publishes, watches the counts, edits and republishes a nurture workflow', {
    timeout: 300_000,
  }, async () => {
    try {
      await journey();
    } catch (err) {
      // What the page showed when it failed.
      await page
        .screenshot({ path: join(SHOTS, 'workflow-journey-failure.png'), fullPage: true })
        .catch(() => {});
      throw err;
    }
  });
});

async function journey() {
  // Setup through the API: the templates to pick, the form the leads fill in, a contact for the
  // dry run and a customer (so the goal's tag is one in use, offered in the list).
  const api = adminClient(server);
  const templates = await makeTemplates(api, [
    ['Welcome', 'Welcome, {{ contact.firstName | default: "friend" }}'],
    ['Offer', 'A special offer'],
    ['Guide', 'Your guide'],
  ]);
  const formId = await makeForm(api, 'Demo request', 'demo');
  for (const contact of [
    { email: 'grace@example.com', firstName: 'Grace', lastName: 'Hopper' },
    { email: 'buyer@example.com', tags: ['customer'] },
  ]) {
    const res = await api('POST', '/v1/contacts', contact);
    assert.equal(res.status, 201, JSON.stringify(res.json));
  }

  await page.goto(`${server.url}/#/workflows/new`);
  await page.getByLabel('Admin token').fill(server.token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Add the first step' }).waitFor();

  // Build: the name, the trigger (a form by its name), the goal (a tag from the suggestions).
  await page.getByLabel('Workflow name').fill('Demo nurture');
  await page.locator('#wfb-trigger').click();
  await page.getByLabel('Contacts enroll when').selectOption({ label: 'Form is submitted' });
  await page.getByLabel('Form', { exact: true }).selectOption({ label: 'Demo request' });
  await page.locator('#wfb-trigger').getByText('Demo request').waitFor();
  await page.locator('#wfb-goal').click();
  await page.getByLabel('The enrollment ends early when').selectOption({ label: 'The contact gets a tag' });
  await page.getByRole('combobox', { name: 'Goal tag' }).click();
  await page.getByRole('option', { name: 'customer' }).click();
  await page.locator('#wfb-goal').getByText('Contact gets tag “customer”').waitFor();

  // The steps, each from a "+" and its menu, each reference from a list.
  await addStep('Add the first step', 'Send email', 'email-1');
  await page.getByLabel('Email template').selectOption({ label: 'Welcome' });
  await page
    .frameLocator('iframe[title="Preview of Welcome"]')
    .getByRole('link', { name: 'Read more' })
    .waitFor();
  await addStep('Add a step after ‘email-1’', 'Wait', 'wait-1');
  await page.getByLabel('Number').fill('1');
  await card('wait-1').getByText('1 day').waitFor();
  await addStep('Add a step after ‘wait-1’', 'If/then branch', 'if-1');
  await page.getByLabel('Condition', { exact: true }).selectOption({
    label: 'Clicked a link in an earlier email',
  });
  await page.getByLabel('Email', { exact: true }).selectOption({ label: 'Welcome (email-1)' });
  await card('if-1').getByText('If clicked a link in “Welcome”').waitFor();
  await addStep('Add a step at the start of the Yes branch of ‘if-1’', 'Send email', 'email-2');
  await page.getByLabel('Email template').selectOption({ label: 'Offer' });
  await addStep('Add a step after ‘if-1’', 'A/B split', 'split-1');
  await card('split-1').getByText('A 50% / B 50%').waitFor();
  await addStep('Add a step at the start of the path A (50%) of ‘split-1’', 'Send email', 'email-3');
  await page.getByLabel('Email template').selectOption({ label: 'Guide' });
  await card('email-3').getByText('Guide').waitFor();
  await checkBothSizes(page, 'the built workflow in the builder');
  await shot('built');

  await page.getByRole('button', { name: 'Create workflow' }).click();
  await page.getByRole('heading', { level: 1, name: /Demo nurture/ }).waitFor();
  const workflowId = /#\/workflows\/([0-9A-Z]{26})/.exec(page.url())?.[1] ?? '';
  assert.ok(workflowId, page.url());
  const saved = (await api('GET', `/v1/workflows/${workflowId}`)).json.workflow.definition;
  assert.deepEqual(saved.trigger, { type: 'formSubmitted', formId: formId });
  assert.deepEqual(saved.goal, { type: 'tagAdded', tag: 'customer' });
  assert.deepEqual(saved.steps, [
    { id: 'email-1', type: 'sendEmail', templateId: templates.Welcome },
    { id: 'wait-1', type: 'wait', duration: 'P1D' },
    {
      id: 'if-1',
      type: 'if',
      condition: { emailClicked: { step: 'email-1' } },
      then: [{ id: 'email-2', type: 'sendEmail', templateId: templates.Offer }],
      else: [],
    },
    {
      id: 'split-1',
      type: 'split',
      branches: [
        { percent: 50, steps: [{ id: 'email-3', type: 'sendEmail', templateId: templates.Guide }] },
        { percent: 50, steps: [] },
      ],
    },
  ]);

  // Dry run for Grace, who clicks a link in the welcome email: the Yes branch, then one split path.
  const dryRun = page.getByRole('region', { name: 'Dry run' });
  const who = dryRun.getByRole('combobox', { name: 'Contact' });
  await who.click();
  await who.pressSequentially('hopp');
  await dryRun.getByRole('option', { name: /Grace Hopper/ }).click();
  await dryRun
    .getByLabel('Engagement with email-1', { exact: true })
    .selectOption({ label: 'clicks a link in it' });
  await dryRun.getByRole('button', { name: 'Run' }).press('Enter');
  const path = dryRun.getByRole('list').filter({ hasText: 'would send' });
  await path.waitFor();
  const lines = (await path.getByRole('listitem').allInnerTexts()).map((t) => t.split('\n')[0]);
  assert.deepEqual(lines.slice(0, 4), [
    'email-1 (sendEmail): would send “Welcome, Grace”',
    'wait-1 (wait): waits 1 day (skipped)',
    'if-1 (if): Yes',
    'email-2 (sendEmail): would send “A special offer”',
  ]);
  const letter = /^split-1 \(split\): path ([AB]) \(50% of enrollments\)$/.exec(lines[4] ?? '')?.[1];
  assert.ok(letter, `the split's line: ${lines[4]}`);
  // Path A sends the guide; path B is empty.
  assert.deepEqual(lines.slice(5), letter === 'A' ? ['email-3 (sendEmail): would send “Your guide”'] : []);
  await dryRun.getByText('It reaches the end of the workflow.').waitFor();
  await dryRun.getByText('See the email “Welcome, Grace”').press('Enter');
  const rendered = dryRun.frameLocator('iframe[title="The email of step email-1"]');
  await rendered.getByRole('heading', { name: 'Welcome, Grace' }).waitFor();
  await rendered.getByRole('link', { name: 'Read more' }).waitFor();
  await checkBothSizes(page, 'a dry run of the built workflow');
  await shot('dry-run');
  assert.equal((await outbox(server, 'grace@example.com')).length, 0, 'a dry run sends nothing');

  // Published (the first version needs no review); every card counts from zero.
  await page.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.locator('h1 .status').getByText('active').waitFor();
  await counts('email-1', '0 entered · 0 here now').waitFor();

  // Two leads request a demo on the public form: they enroll, get the welcome email and wait a day.
  for (const [email, name] of [
    ['ada@example.com', 'Ada'],
    ['lin@example.com', 'Lin'],
  ] as const) {
    await submitForm(formId, email, name);
  }
  await counts('email-1', /^2 entered/).waitFor({ timeout: 60_000 });
  await counts('wait-1', /^[12] entered · [12] here now$/).waitFor({ timeout: 60_000 });
  await shot('waiting');
  // A (time-scaled) day later both have passed the wait, taken No (no click) and one split path.
  await page
    .locator('.wfb-stats')
    .getByText(/Live:\s*2 enrolled · 0 active\s*· 2 completed/)
    .waitFor({ timeout: 90_000 });
  for (const id of ['email-1', 'wait-1', 'if-1', 'split-1'])
    await counts(id, '2 entered · 0 here now').waitFor();
  await counts('email-2', '0 entered · 0 here now').waitFor();
  const [tookA, tookB] = [await tookPath('A'), await tookPath('B')];
  assert.equal(tookA + tookB, 2, `the split's paths: A ${tookA}, B ${tookB}`);
  // A path's count lists who took it, as a step's counts do (its path goes in the query string).
  const took = tookA > 0 ? 'A' : 'B';
  await page
    .getByRole('button', { name: new RegExp(`^\\d+ entered: list the contacts who took path ${took} `) })
    .press('Enter');
  const whoTook = page
    .getByRole('dialog', { name: /^Contacts · / })
    .getByRole('list', { name: `Contacts who entered split-1/${took.toLowerCase()}` });
  await whoTook.getByRole('link').first().waitFor();
  assert.equal(await whoTook.getByRole('link').count(), took === 'A' ? tookA : tookB);
  await page.keyboard.press('Escape');
  await counts('email-3', `${tookA} entered · 0 here now`).waitFor();
  for (const [email, name] of [
    ['ada@example.com', 'Ada'],
    ['lin@example.com', 'Lin'],
  ] as const)
    assert.ok(
      (await outbox(server, email)).some((e) => e.subject === `Welcome, ${name}`),
      `${email} got the welcome email`,
    );
  // The dry run's email is still shown while the counts refresh around it.
  await rendered.getByRole('heading', { name: 'Welcome, Grace' }).waitFor({ timeout: 5_000 });
  await checkBothSizes(page, 'the published workflow with counts');
  await shot('counts');

  // Edit: the wait becomes two days (by clicking its card) and path B gets the offer (by keyboard).
  await card('wait-1').click();
  await page.getByLabel('Number').fill('2');
  await card('wait-1').getByText('2 days').waitFor();
  await pathStart('B').focus();
  await page.keyboard.press('Enter');
  await expectFocus(page, '#wfb-add-sendEmail');
  await page.keyboard.press('ArrowDown');
  await expectFocus(page, '#wfb-add-wait');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await expectFocus(page, '#wfb-step-email-4');
  await page.keyboard.press('Enter');
  await expectFocus(page, '#wfb-panel-title');
  await page.getByLabel('Email template').selectOption({ label: 'Offer' });
  await card('email-4').getByText('Offer').waitFor();

  // Republished: reviewed first — what changed, and who is still running on version 1.
  await page.getByRole('button', { name: 'Save and publish' }).press('Enter');
  const review = page.getByRole('region', { name: 'Publish version 2?' });
  const changes = review.getByRole('list', { name: 'Changes' });
  await changes.waitFor();
  assert.deepEqual((await changes.getByRole('listitem').allInnerTexts()).sort(), [
    'email-4 (sendEmail) added',
    'wait-1 (wait) changed',
  ]);
  await review.getByText('No enrollment is running.').waitFor();
  await checkBothSizes(page, 'the publish review');
  await shot('review');
  await review.getByRole('button', { name: 'Publish version 2' }).press('Enter');
  await page.getByRole('heading', { level: 1, name: /v2/ }).waitFor();
  // The dry run of the draft before the edit no longer says what happens: it is cleared on save.
  assert.equal(await page.locator('#dry-run-result').count(), 0, 'the old dry run is cleared');
  const view = (await api('GET', `/v1/workflows/${workflowId}`)).json;
  assert.equal(view.workflow.publishedVersion, 2);
  assert.equal(view.workflow.definition.steps[1].duration, 'P2D');
  assert.deepEqual(view.workflow.definition.steps[3].branches[1].steps, [
    { id: 'email-4', type: 'sendEmail', templateId: templates.Offer },
  ]);
  // The cards now count version 2 (each version's counts are its own), and a new lead goes through
  // it: welcomed, then at the wait, now two (time-scaled) days long.
  await page
    .locator('.wfb-stats')
    .getByText(/Live:\s*0 enrolled · 0 active/)
    .waitFor();
  await counts('email-4', '0 entered · 0 here now').waitFor();
  await submitForm(formId, 'mae@example.com', 'Mae');
  await counts('email-1', '1 entered · 0 here now').waitFor({ timeout: 60_000 });
  await counts('wait-1', '1 entered · 1 here now').waitFor({ timeout: 30_000 });
}
