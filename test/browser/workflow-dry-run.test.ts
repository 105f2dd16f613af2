/**
 * A workflow's dry run and publish review in a real browser against `npm start`: the draft followed
 * for a contact chosen by name (a click assumed), each step's outcome and its email; then a new
 * version reviewed before it is published — the steps it changes and the enrollment still running on
 * version 1 — and published. axe-core finds nothing at 1440 and 390 px.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { adminClient, eventually, type LocalServer } from '#test/support/local-server.js';
import { checkBothSizes } from './a11y.js';
import { browserSession, SHOTS } from './session.js';

let server: LocalServer;
let page: Page;
browserSession('workflow-dry-run', {}, (session) => {
  ({ server, page } = session);
});

describe('a workflow’s dry run and publish review', () => {
  it('follows the draft for a contact, then reviews and publishes a new version', {
    timeout: 180_000,
  }, async () => {
    const api = adminClient(server);
    const template = await api('POST', '/v1/templates', {
      name: 'Hello',
      subject: 'Hello {{ contact.firstName }}',
      html: '<p>Hello {{ contact.firstName }}</p><a href="{{ unsubscribeUrl }}">Unsubscribe</a>',
    });
    assert.equal(template.status, 201);
    const definition = {
      name: 'Nurture',
      trigger: { type: 'tagAdded', tag: 'lead' },
      steps: [
        { id: 'hello', type: 'sendEmail', templateId: template.json.id },
        { id: 'pause', type: 'wait', duration: 'P2D' },
        {
          id: 'clicked',
          type: 'if',
          condition: { emailClicked: { step: 'hello' } },
          then: [{ id: 'hot', type: 'addTag', tag: 'hot' }],
          else: [],
        },
      ],
    };
    const wf = await api('POST', '/v1/workflows', definition);
    assert.equal(wf.status, 201, JSON.stringify(wf.json));
    assert.equal((await api('POST', `/v1/workflows/${wf.json.id}/publish`)).status, 200);
    // Someone enrolled on version 1: they wait two days at `pause`.
    await api('POST', '/v1/contacts', {
      email: 'ada@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
      tags: ['lead'],
    });
    await eventually(async () => {
      const view = await api('GET', `/v1/workflows/${wf.json.id}`);
      return view.json.stats?.steps?.pause?.current === 1 ? true : undefined;
    }, 30_000);
    // The draft gets a step.
    const edited = await api('PUT', `/v1/workflows/${wf.json.id}`, {
      ...definition,
      steps: [...definition.steps, { id: 'nurtured', type: 'addTag', tag: 'nurtured' }],
    });
    assert.equal(edited.status, 200, JSON.stringify(edited.json));

    await page.goto(`${server.url}/#/workflows/${wf.json.id}`);
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const dryRun = page.getByRole('region', { name: 'Dry run' });
    const who = dryRun.getByRole('combobox', { name: 'Contact' });
    await who.fill('lovel');
    await dryRun.getByRole('option', { name: /Ada Lovelace/ }).waitFor();
    await who.press('ArrowDown');
    await who.press('Enter');
    await dryRun.getByLabel('hello').selectOption('clicked');
    await dryRun.getByRole('button', { name: 'Run' }).press('Enter');
    const path = dryRun.getByRole('list').filter({ hasText: 'would send' });
    await path.waitFor();
    assert.deepEqual(
      (await path.getByRole('listitem').allInnerTexts()).map((t) => t.split('\n')[0]),
      [
        'hello (sendEmail): would send “Hello Ada”',
        'pause (wait): waits 2 days (skipped)',
        'clicked (if): Yes',
        'hot (addTag): would add the tag hot',
        'nurtured (addTag): would add the tag nurtured',
      ],
    );
    await dryRun.getByText('It reaches the end of the workflow.').waitFor();
    await dryRun.getByText('See the email “Hello Ada”').press('Enter');
    await dryRun.frameLocator('iframe[title="The email of step hello"]').getByText('Hello Ada').waitFor();
    await checkBothSizes(page, 'a dry run');
    await page.screenshot({ path: join(SHOTS, 'workflow-dry-run.png'), fullPage: true });

    // Publishing version 2: reviewed first.
    await page.getByRole('button', { name: 'Publish', exact: true }).press('Enter');
    const review = page.getByRole('region', { name: 'Publish version 2?' });
    await review.getByRole('list', { name: 'Changes' }).getByText('nurtured').waitFor();
    assert.match(
      await review.getByRole('list', { name: 'Changes' }).innerText(),
      /nurtured \(addTag\) added/,
    );
    assert.match(
      await review.getByRole('list', { name: 'Running enrollments' }).innerText(),
      /1 enrollment on version 1: 1 at pause/,
    );
    await checkBothSizes(page, 'a publish review');
    await page.screenshot({ path: join(SHOTS, 'workflow-publish-review.png'), fullPage: true });
    await review.getByRole('button', { name: 'Publish version 2' }).press('Enter');
    await page.getByRole('heading', { name: /v2/ }).waitFor();
    assert.equal((await api('GET', `/v1/workflows/${wf.json.id}`)).json.workflow.publishedVersion, 2);
  });
});
