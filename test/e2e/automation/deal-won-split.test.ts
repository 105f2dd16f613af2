/**
 * A workflow on a deal stage, with a random split, on the local CRM: deals moved to Won enroll their
 * contacts (through the bus, the enroller and the Step Functions emulation); each contact gets one of
 * the two kickoff emails, and the workflow's counts say how many took each path. A goal that is a
 * condition on a field ends an enrollment before its second email.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  adminClient,
  eventually,
  type LocalServer,
  outbox,
  startLocalServer,
} from '#test/support/local-server.js';

let server: LocalServer;

before(async () => {
  server = await startLocalServer(mkdtempSync(join(tmpdir(), 'tendril-deal-split-')), {
    TENDRIL_TIME_SCALE: '43200',
  });
});
after(async () => {
  await server?.stop();
});

const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);
const LEADS = 6;

describe('a workflow on won deals with an A/B split', () => {
  it('enrolls each won deal’s contact, sends one of two emails, and counts each path', async () => {
    const template = async (subject: string) => {
      const res = await api('POST', '/v1/templates', {
        name: subject,
        subject,
        html: `<p>${subject}</p><a href="{{ unsubscribeUrl }}">Unsubscribe</a>`,
      });
      assert.equal(res.status, 201, JSON.stringify(res.json));
      return res.json.id as string;
    };
    const [a, b, later] = [
      await template('Kickoff A'),
      await template('Kickoff B'),
      await template('Your first week'),
    ];
    const pipeline = await api('POST', '/v1/pipelines', {
      name: 'Sales',
      stages: [
        { name: 'Proposal', probability: 0.5 },
        { name: 'Won', probability: 1 },
        { name: 'Lost', probability: 0 },
      ],
    });
    assert.equal(pipeline.status, 201, JSON.stringify(pipeline.json));
    const definition = {
      name: 'Won deal onboarding',
      trigger: { type: 'dealStageChanged', pipelineId: pipeline.json.id, stage: 'Won' },
      goal: { type: 'condition', condition: { field: 'onboarded', op: 'eq', value: 'yes' } },
      steps: [
        {
          id: 'kickoff',
          type: 'split',
          branches: [
            { percent: 50, steps: [{ id: 'kickoff-a', type: 'sendEmail', templateId: a }] },
            { percent: 50, steps: [{ id: 'kickoff-b', type: 'sendEmail', templateId: b }] },
          ],
        },
        { id: 'settle', type: 'wait', duration: 'P2D' },
        { id: 'first-week', type: 'sendEmail', templateId: later },
      ],
    };
    const bad = await api('POST', '/v1/workflows', {
      ...definition,
      trigger: { ...definition.trigger, stage: 'Signed' },
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.error.details[0].path, 'trigger.stage');
    const wf = await api('POST', '/v1/workflows', definition);
    assert.equal(wf.status, 201, JSON.stringify(wf.json));
    assert.equal((await api('POST', `/v1/workflows/${wf.json.id}/publish`)).status, 200);

    const emails = Array.from({ length: LEADS }, (_, i) => `won-${i}@example.com`);
    for (const [i, email] of emails.entries()) {
      const contact = await api('POST', '/v1/contacts', {
        email,
        fields: i === 0 ? { onboarded: 'yes' } : {},
      });
      assert.equal(contact.status, 201, JSON.stringify(contact.json));
      const deal = await api('POST', '/v1/deals', {
        title: `Deal ${i}`,
        amount: 1000,
        currency: 'EUR',
        pipelineId: pipeline.json.id,
        stage: 'Proposal',
        contactId: contact.json.id,
      });
      assert.equal(deal.status, 201, JSON.stringify(deal.json));
      const moved = await api('PATCH', `/v1/deals/${deal.json.id}`, {
        version: deal.json.version,
        stage: 'Won',
      });
      assert.equal(moved.status, 200, JSON.stringify(moved.json));
    }

    // Everyone not already onboarded gets one kickoff (never both), then the first-week email.
    for (const email of emails.slice(1)) {
      const mails = await eventually(async () => {
        const got = await outbox(server, email);
        return got.length >= 2 ? got : undefined;
      }, 60_000);
      const subjects = mails.map((m) => m.subject);
      assert.equal(subjects.filter((s) => s.startsWith('Kickoff')).length, 1, `${email}: ${subjects}`);
      assert.equal(subjects.at(-1), 'Your first week');
    }
    // The one whose goal held from the start was stopped at the first step: nothing sent.
    assert.deepEqual(await outbox(server, emails[0] as string), []);

    const view = await eventually(async () => {
      const res = await api('GET', `/v1/workflows/${wf.json.id}`);
      return res.json.stats?.outcomes?.completed === LEADS - 1 ? res.json : undefined;
    }, 30_000);
    const steps = view.stats.steps;
    assert.equal(view.stats.outcomes.goal_met, 1);
    assert.equal(steps.kickoff.entered, LEADS - 1);
    assert.equal(steps['kickoff/a'].entered + steps['kickoff/b'].entered, LEADS - 1, JSON.stringify(steps));
    assert.equal(steps['kickoff-a'].entered, steps['kickoff/a'].entered);
    assert.equal(steps['kickoff-b'].entered, steps['kickoff/b'].entered);
  });
});
