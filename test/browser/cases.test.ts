/**
 * The cases inbox and a case's page in a real browser against `npm start`: the inbox fails and
 * Retries, is empty, then shows the case an email to the SMTP port opened; j and Enter open it from
 * the keyboard; r writes a reply, sent with a new status (it arrives in the mail outbox, answering the
 * customer's email in its In-Reply-To and References, and in the thread); the customer's answer to
 * that email, threaded only by its In-Reply-To, shows on the same case and reopens it (no new case in
 * the inbox); a note stays internal; the case is assigned to a user chosen by name, and the inbox
 * shows that user's open cases (and none of mine); a refused new case shows its problem. axe-core
 * finds nothing at 1440 and 390 px.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createTransport } from 'nodemailer';
import type { Page } from 'playwright-core';
import {
  adminClient,
  eventually,
  type LocalServer,
  outbox,
  type StoredEmail,
} from '#test/support/local-server.js';
import { checkBothSizes, DESKTOP, expectFocus, PHONE } from './a11y.js';
import { browserSession, SHOTS } from './session.js';

let server: LocalServer;
let page: Page;
browserSession('cases', {}, (session) => {
  ({ server, page } = session);
});
const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);
const header = (email: StoredEmail, name: string) =>
  email.headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;
const shot = async (name: string) => {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: join(SHOTS, `${name}-phone.png`), fullPage: true });
  await page.setViewportSize(DESKTOP);
};

describe('cases in the admin app', () => {
  it('the inbox fails, Retries, is empty, then lists the case an email opened', {
    timeout: 120_000,
  }, async () => {
    await page.route('**/v1/cases?*', (route) =>
      route.fulfill({ status: 502, contentType: 'text/html', body: '<h1>Bad gateway</h1>' }),
    );
    await page.goto(`${server.url}/#/cases`);
    await page.getByLabel('Admin token').fill(server.token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('HTTP 502').waitFor();
    await page.unroute('**/v1/cases?*');
    await page.getByRole('button', { name: 'Retry' }).click();
    await page.getByText('No cases here.').waitFor();
    await checkBothSizes(page, 'the empty inbox');

    await createTransport({
      host: '127.0.0.1',
      port: server.smtpPort,
      secure: false,
      ignoreTLS: true,
    }).sendMail({
      from: 'Ada Lovelace <ada@example.com>',
      to: 'support@tendril.local',
      subject: 'Invoice shows the wrong address',
      text: 'Hello,\n\nmy invoice still has my old address.\n\nAda',
      messageId: '<invoice-1@example.com>',
      attachments: [{ filename: 'invoice.txt', content: 'INV-1 old address' }],
    });
    await eventually(
      async () => ((await api('GET', '/v1/cases')).json.items.length ? true : undefined),
      30_000,
    );
    await page.reload();
    const link = page.getByRole('link', { name: /Invoice shows the wrong address/ });
    await link.waitFor();
    await checkBothSizes(page, 'the inbox with a case');
    await shot('cases-inbox');

    await page.getByRole('heading', { name: 'Cases', level: 1 }).click();
    await page.keyboard.press('j');
    await expectFocus(page, '.case-list a.case-link'); // j focuses the first case
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /Invoice shows the wrong address/, level: 1 }).waitFor();
  });

  it('replies from the keyboard with a new status, threads the answer, and adds an internal note', {
    timeout: 120_000,
  }, async () => {
    const thread = page.getByRole('list', { name: 'Conversation' });
    await thread.getByText('my invoice still has my old address.').waitFor();
    await page.getByRole('button', { name: 'invoice.txt' }).waitFor();
    await page
      .getByRole('list', { name: 'Service level' })
      .getByText(/First response due/)
      .waitFor();
    await page.getByRole('heading', { level: 1 }).click();
    await page.keyboard.press('r');
    await expectFocus(page, '#reply-text');
    await page.keyboard.type('Thanks Ada, I corrected it and sent a new invoice.');
    await page.getByLabel('Then set the case to').selectOption('pending');
    await page.getByRole('button', { name: 'Send reply' }).click();
    await thread.getByText('I corrected it and sent a new invoice.').waitFor();
    await page.getByRole('list', { name: 'Service level' }).getByText('First response met').waitFor();
    assert.equal(await page.getByLabel('Status').inputValue(), 'pending');
    const sent = await eventually(async () => {
      const mails = await outbox(server, 'ada@example.com');
      return mails.find((m) => m.body?.text?.includes('I corrected it')) ? mails : undefined;
    });
    const reply = sent.find((m) => m.body?.text?.includes('I corrected it')) as StoredEmail & {
      messageId: string;
    };
    assert.match(reply.subject, /^Re: Invoice shows the wrong address \[#/);
    // Threaded: it answers the customer's email, by the Message-ID that email came with.
    assert.equal(header(reply, 'In-Reply-To'), '<invoice-1@example.com>');
    assert.ok(
      String(header(reply, 'References')).split(/\s+/).includes('<invoice-1@example.com>'),
      `References: ${header(reply, 'References')}`,
    );

    // The customer answers that email. The subject lost the case reference (a mail client may drop
    // it): only In-Reply-To, the reply's Message-ID as SES gives it, can thread the answer.
    await createTransport({
      host: '127.0.0.1',
      port: server.smtpPort,
      secure: false,
      ignoreTLS: true,
    }).sendMail({
      from: 'Ada Lovelace <ada@example.com>',
      to: 'support@tendril.local',
      subject: 'Re: Invoice shows the wrong address',
      text: 'The new invoice has the right address, thank you!',
      messageId: '<invoice-2@example.com>',
      inReplyTo: `<${reply.messageId}@email.amazonses.com>`,
    });
    // Taken in (the mail server hands it on asynchronously): then the page shows what it did.
    await eventually(async () => {
      const open = (await api('GET', '/v1/cases?status=open')).json.items;
      return open.length > 0 ? true : undefined;
    }, 30_000);
    await page.reload();
    await thread.getByText('The new invoice has the right address, thank you!').waitFor();
    await thread.getByText('I corrected it and sent a new invoice.').waitFor(); // the same conversation
    assert.equal(await page.getByLabel('Status').inputValue(), 'open', 'waiting on the customer no more');
    // No new case: the New queue is empty, the Open queue has this one case.
    await page.getByRole('link', { name: '← Cases' }).click();
    await page.getByRole('heading', { name: 'New', level: 2, exact: true }).waitFor();
    await page.getByText('No cases here.').waitFor();
    await page
      .getByRole('navigation', { name: 'Queues' })
      .getByRole('link', { name: 'Open', exact: true })
      .click();
    await page.getByRole('heading', { name: 'Open', level: 2, exact: true }).waitFor();
    const cases = page.getByRole('list', { name: 'Cases', exact: true }).getByRole('listitem');
    await cases.filter({ hasText: 'Invoice shows the wrong address' }).getByText('Customer wrote').waitFor();
    assert.equal(await cases.count(), 1, 'one case in the Open queue');
    await page.getByRole('link', { name: /Invoice shows the wrong address/ }).click();
    await thread.getByText('The new invoice has the right address, thank you!').waitFor();

    await page.getByLabel('Internal note').check();
    await page.getByLabel('Note (only agents see it)').fill('Billing system had the old address cached.');
    await page.getByRole('button', { name: 'Add note' }).click();
    await thread.getByText('Billing system had the old address cached.').waitFor();
    assert.equal((await outbox(server, 'ada@example.com')).length, sent.length, 'a note is never emailed');
    // Assigned to a user, chosen by name.
    const grace = await api('POST', '/v1/users', { name: 'Grace Hopper', email: 'grace@cases.example' });
    assert.equal(grace.status, 201, JSON.stringify(grace.json));
    await page.reload();
    const assignee = page.getByLabel('Assignee');
    await assignee.locator('option', { hasText: 'Grace Hopper' }).waitFor({ state: 'attached' });
    assert.equal(await assignee.inputValue(), '', 'unassigned');
    await assignee.selectOption({ label: 'Grace Hopper' });
    await page.getByRole('button', { name: 'Assign' }).click();
    const caseId = await eventually(async () => {
      const hers = await api('GET', `/v1/cases?assignee=${grace.json.id}`);
      return hers.json.items.length === 1 ? String(hers.json.items[0].id) : undefined;
    });
    assert.equal((await api('GET', `/v1/cases/${caseId}`)).json.case.assignee, grace.json.id);
    await page.getByRole('button', { name: 'Assign' }).and(page.locator(':disabled')).waitFor();
    await checkBothSizes(page, 'a case with its conversation');
    await shot('case-page');

    // The inbox: her open cases by her name; mine (the admin's) has none.
    await page.getByRole('link', { name: '← Cases' }).click();
    await page.getByLabel("Agent's open cases").selectOption({ label: 'Grace Hopper' });
    await page.getByRole('heading', { name: 'Open cases of Grace Hopper' }).waitFor();
    const row = page.locator('.case-row').filter({ hasText: 'Invoice shows the wrong address' });
    await row.getByText('Assigned to Grace Hopper').waitFor();
    await checkBothSizes(page, 'an agent’s open cases');
    await shot('cases-agent');
    await page.getByRole('button', { name: 'My cases' }).click();
    await page.getByRole('heading', { name: 'My open cases' }).waitFor();
    await page.getByText('No cases here.').waitFor();
    await page.getByRole('button', { name: 'Back to queues' }).click();
    await page.getByRole('heading', { name: 'New', level: 2, exact: true }).waitFor();
  });

  it('shows why a new case is refused', { timeout: 60_000 }, async () => {
    await page.goto(`${server.url}/#/cases`);
    await page.getByLabel('Customer email').fill('not-an-email@');
    await page.getByLabel('Subject').fill('Call about pricing');
    await page.getByLabel('What the customer said').fill('Wants a quote');
    // The browser's own check is bypassed to see the server's answer.
    await page.locator('form[aria-labelledby="new-case"]').evaluate((f) => f.setAttribute('novalidate', ''));
    await page.getByRole('button', { name: 'Open case' }).click();
    await page.getByRole('alert').getByText('must be a valid email address').waitFor();
    await page.getByLabel('Customer email').fill('lin@example.com');
    await page.getByRole('button', { name: 'Open case' }).click();
    await page.getByRole('heading', { name: /Call about pricing/, level: 1 }).waitFor();
  });

  it('sets the service levels in Settings, a refused value said', { timeout: 60_000 }, async () => {
    await page.goto(`${server.url}/#/settings`);
    const section = page.getByRole('region', { name: 'Service levels' });
    await section.getByText('These are the defaults: not saved yet.').waitFor();
    await section.getByLabel('high: first response within (hours)').fill('2');
    await section.getByLabel('Monday closes').fill('08:00');
    await section.getByRole('button', { name: 'Save service levels' }).click();
    await section.getByRole('alert').getByText('must be after start').waitFor();
    await section.getByLabel('Monday closes').fill('18:00');
    await section.getByLabel('Email', { exact: true }).fill('lead@example.com');
    // A breach assigns the case to a user, chosen by name.
    await section.getByLabel('Assign the case to').selectOption({ label: 'Grace Hopper' });
    await section.getByRole('button', { name: 'Save service levels' }).click();
    await section.getByText('Service levels saved.').waitFor();
    const saved = (await api('GET', '/v1/service-settings')).json;
    const grace = (await api('GET', '/v1/users')).json.items.find(
      (u: { name: string }) => u.name === 'Grace Hopper',
    );
    assert.equal(saved.escalation.assignTo, grace.id);
    assert.equal(saved.policies.high.firstResponseMinutes, 120);
    assert.deepEqual(saved.businessHours[0], { day: 'mon', start: '09:00', end: '18:00' });
    assert.equal(saved.escalation.notify, 'lead@example.com');
    await section.scrollIntoViewIfNeeded();
    await checkBothSizes(page, 'the service levels settings');
    await section.screenshot({ path: join(SHOTS, 'service-levels.png') });
  });

  it('inserts a canned response, written out for the case, into a reply', { timeout: 60_000 }, async () => {
    await page.goto(`${server.url}/#/settings`);
    const section = page.getByRole('region', { name: 'Canned responses' });
    await section.getByText('No canned responses yet.').waitFor();
    await section.getByRole('button', { name: 'Add a canned response' }).click();
    await section.getByLabel('Name').fill('Invoice fixed');
    await section
      .getByLabel('Text')
      .fill('Hi {{ contact.firstName }}, case #{{ case.ref }} is fixed. {{ agent }}');
    await section.getByRole('button', { name: 'Save' }).click();
    await section.getByText('Saved "Invoice fixed".').waitFor();
    await checkBothSizes(page, 'the canned responses settings');

    // Open again since the customer answered (the reply test).
    const cases = (await api('GET', '/v1/cases?status=open')).json.items;
    const invoice = cases.find((c: { subject: string }) => c.subject === 'Invoice shows the wrong address');
    await page.goto(`${server.url}/#/cases/${invoice.id}`);
    await page.getByLabel('Insert a canned response').selectOption({ label: 'Invoice fixed' });
    await expectFocus(page, '#reply-text');
    // {{ agent }}: the assignee's name (a user), not their id.
    assert.equal(
      await page.locator('#reply-text').inputValue(),
      `Hi Ada, case #${invoice.ref} is fixed. Grace Hopper`,
    );
  });
});
