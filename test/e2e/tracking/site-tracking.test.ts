/**
 * Site tracking on the local CRM, as a marketer and a visitor would meet it: a visitor browses the
 * pricing pages anonymously, later clicks a link in a nurture email (which carries their contact
 * token), and their earlier page views join their contact; the pricing rule's points make them a
 * marketing qualified lead, and a workflow on `scoreReached` gives sales a task. Bots and bad hits
 * are turned away without a trace, and one address's flood is refused (locally the process's
 * in-memory window; in the cloud WAF's rate rule on /t/collect as well).
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  adminClient,
  eventually,
  idle,
  type LocalServer,
  outbox,
  startLocalServer,
} from '#test/support/local-server.js';

let server: LocalServer;

before(async () => {
  server = await startLocalServer(mkdtempSync(join(tmpdir(), 'tendril-tracking-')));
});
after(async () => {
  await server?.stop();
});

const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);
const FIREFOX = 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0';
const hit = (body: Record<string, unknown>, userAgent = FIREFOX) =>
  fetch(`${server.url}/t/collect`, {
    method: 'POST',
    // What navigator.sendBeacon sends for a string.
    headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': userAgent },
    body: JSON.stringify(body),
  });
const VISITOR = 'e2e-visitor-0123456789';

describe('site tracking', () => {
  it('serves the snippet any site may load', async () => {
    const res = await fetch(`${server.url}/t/tendril.js`);
    assert.equal(res.status, 200);
    assert.match(String(res.headers.get('content-type')), /^text\/javascript/);
    assert.match(String(res.headers.get('cache-control')), /public, max-age=3600/);
    assert.match(await res.text(), /navigator\.sendBeacon/);
  });

  it('joins a visitor’s pricing views to the contact who clicks the nurture email, and qualifies them', async () => {
    const noSite = await api('PUT', '/v1/settings/email', { frequencyCap: null, identifyVisitors: true });
    assert.equal(noSite.status, 400, 'only links to the site may identify: which site?');
    assert.equal(noSite.json.error.details[0].path, 'siteDomains');
    const settings = await api('PUT', '/v1/settings/email', {
      frequencyCap: null,
      identifyVisitors: true,
      siteDomains: ['Example.com'],
    });
    assert.equal(settings.status, 200, JSON.stringify(settings.json));
    assert.deepEqual(settings.json.siteDomains, ['example.com']);
    const scoring = await api('PUT', '/v1/scoring', {
      rules: [{ id: 'pricing', name: 'Viewed pricing', on: 'page_visited', filter: '/pricing*', points: 20 }],
      threshold: 50,
      halfLifeDays: 30,
    });
    assert.equal(scoring.status, 200, JSON.stringify(scoring.json));
    const template = await api('POST', '/v1/templates', {
      name: 'See the plans',
      subject: 'Plans for your team',
      html: '<p><a href="https://www.example.com/pricing?plan=team">See the plans</a> <a href="https://www.linkedin.com/company/x">Follow us</a></p><a href="{{ unsubscribeUrl }}">Unsubscribe</a>',
    });
    assert.equal(template.status, 201, JSON.stringify(template.json));
    for (const definition of [
      {
        name: 'Nurture',
        trigger: { type: 'tagAdded', tag: 'nurture' },
        steps: [{ id: 'plans', type: 'sendEmail', templateId: template.json.id }],
      },
      {
        name: 'Hand MQLs to sales',
        trigger: { type: 'scoreReached' },
        steps: [{ id: 'call', type: 'createTask', title: 'Call: looked at pricing', dueIn: 'P1D' }],
      },
    ]) {
      const wf = await api('POST', '/v1/workflows', definition);
      assert.equal(wf.status, 201, JSON.stringify(wf.json));
      assert.equal((await api('POST', `/v1/workflows/${wf.json.id}/publish`)).status, 200);
    }

    // Before anyone knows who they are: two pricing pages.
    for (const path of ['/pricing', '/pricing/enterprise'])
      assert.equal((await hit({ v: VISITOR, t: 'page', url: `https://www.example.com${path}` })).status, 204);

    const contact = await api('POST', '/v1/contacts', {
      email: 'dana@example.com',
      firstName: 'Dana',
      tags: ['nurture'],
    });
    assert.equal(contact.status, 201, JSON.stringify(contact.json));
    const mail = await eventually(async () => (await outbox(server, 'dana@example.com'))[0], 30_000);
    const link = /href="(https:\/\/www\.example\.com\/pricing[^"]*)"/.exec(mail.body?.html ?? '')?.[1];
    assert.ok(link, mail.body?.html);
    const landing = new URL(link.replace(/&amp;/g, '&'));
    const token = landing.searchParams.get('_tc');
    assert.ok(token, 'the link carries the contact token');
    assert.equal(landing.searchParams.get('plan'), 'team', 'the link’s own parameters stay');
    const unsubscribe = /href="([^"]*\/u\/[^"]*)"/.exec(mail.body?.html ?? '')?.[1];
    assert.ok(unsubscribe && !unsubscribe.includes('_tc'), 'Tendril’s own links carry no token');
    assert.match(
      mail.body?.html ?? '',
      /href="https:\/\/www\.linkedin\.com\/company\/x"/,
      'nor another site’s',
    );

    // The click: the snippet sends the landing page with the token, and keeps the visitor token
    // the answer gives (it sent this hit with fetch, to read it).
    const click = await hit({ v: VISITOR, t: 'page', url: landing.toString(), ct: token });
    assert.equal(click.status, 200);
    assert.equal(click.headers.get('access-control-allow-origin'), '*', 'any site’s snippet may read it');
    const { vt } = (await click.json()) as { vt: string };
    assert.match(vt, /^[0-9A-Z]{26}\.[\w-]{43}$/);
    const standing = await eventually(async () => {
      const s = await api('GET', `/v1/contacts/${contact.json.id}/standing`);
      return s.json.stage === 'marketing_qualified_lead' ? s.json : undefined;
    }, 30_000);
    assert.equal(standing.score, 60, 'three pricing views, two of them before the click');
    const visits = await api('GET', `/v1/contacts/${contact.json.id}/visits`);
    assert.equal(visits.status, 200);
    assert.deepEqual(
      visits.json.items.map((v: { path: string }) => v.path),
      ['/pricing', '/pricing/enterprise', '/pricing'],
    );
    assert.ok(!JSON.stringify(visits.json).includes('_tc'), 'the token is not kept');
    assert.equal(visits.json.summary.pageViews, 3);
    // Later pages carry the visitor token: the contact's. An edited one identifies nobody.
    const later = await hit({ v: VISITOR, t: 'page', url: 'https://www.example.com/docs', vt });
    assert.equal(later.status, 204);
    const edited = `${vt.slice(0, -1)}${vt.endsWith('A') ? 'B' : 'A'}`;
    assert.equal(
      (await hit({ v: VISITOR, t: 'page', url: 'https://www.example.com/x', vt: edited })).status,
      204,
    );
    const after = await api('GET', `/v1/contacts/${contact.json.id}/visits`);
    assert.deepEqual(
      after.json.items.map((v: { path: string }) => v.path),
      ['/docs', '/pricing', '/pricing/enterprise', '/pricing'],
    );
    const task = await eventually(async () => {
      const tasks = await api('GET', '/v1/tasks?status=open');
      return tasks.json.items.find((x: { contactId?: string }) => x.contactId === contact.json.id);
    }, 30_000);
    assert.equal(task.title, 'Call: looked at pricing');

    // The product reports a sign-up: on the timeline.
    const product = await api('POST', '/v1/events', { email: 'Dana@Example.com', name: 'trial_started' });
    assert.equal(product.status, 202, JSON.stringify(product.json));
    const timeline = await api('GET', `/v1/contacts/${contact.json.id}/activities`);
    assert.equal(timeline.json.items[0].type, 'event_tracked');
    assert.equal(timeline.json.items[0].body, 'trial_started');
  });

  it('turns away bots and bad hits, recording nothing', async () => {
    const bot = 'e2e-bot-visitor-000000';
    assert.equal(
      (await hit({ v: bot, t: 'page', url: 'https://www.example.com/' }, 'Googlebot/2.1')).status,
      204,
    );
    const bad = await hit({ v: 'x', t: 'page', url: 'javascript:alert(1)' });
    assert.equal(bad.status, 400);
    const body = (await bad.json()) as { error: { details: Array<{ path: string }> } };
    assert.deepEqual(body.error.details.map((d) => d.path).sort(), ['url', 'v']);
    const noName = await hit({ v: bot, t: 'event', url: 'https://www.example.com/' });
    assert.equal(noName.status, 400);
    const inherited = await hit({
      v: bot,
      t: 'event',
      name: 'clicked',
      url: 'https://www.example.com/',
      props: { constructor: 'x' },
    });
    assert.equal(inherited.status, 400, 'a property named constructor is refused, not a 500');
    const future = await api('POST', '/v1/events', {
      email: 'dana@example.com',
      name: 'x',
      occurredAt: '2999-01-01T00:00:00Z',
    });
    assert.equal(future.status, 400);
    assert.equal(future.json.error.details[0].path, 'occurredAt');
    const unknown = await api('POST', '/v1/events', { email: 'nobody@example.com', name: 'x' });
    assert.equal(unknown.status, 404);
    await idle(server);
    const product = await api('GET', `/v1/contacts?email=${encodeURIComponent('nobody@example.com')}`);
    assert.equal(product.json.items.length, 0);
  });

  it('refuses an address’s flood past 300 hits a minute, and no other address', {
    timeout: 120_000,
  }, async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const from = (localAddress: string, i: number) =>
      new Promise<{ status: number; retryAfter?: string }>((resolve, reject) => {
        const url = new URL(`${server.url}/t/collect`);
        const body = JSON.stringify({
          v: 'e2e-flooding-visitor-01',
          t: 'page',
          url: `https://www.example.com/${i}`,
        });
        const req = request(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: 'POST',
            agent: localAddress === FLOOD ? agent : undefined,
            localAddress,
            headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': FIREFOX },
          },
          (res) => {
            res.resume();
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                retryAfter: res.headers['retry-after'] as string | undefined,
              }),
            );
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    // Locally the address is the socket's: this test's own loopback address, nobody else's.
    const FLOOD = '127.0.0.77';
    try {
      for (let i = 0; i < 300; i++) assert.equal((await from(FLOOD, i)).status, 204, `hit ${i}`);
      const refused = await from(FLOOD, 300);
      assert.equal(refused.status, 429);
      assert.ok(Number(refused.retryAfter) >= 1 && Number(refused.retryAfter) <= 60, refused.retryAfter);
      assert.equal((await from('127.0.0.78', 0)).status, 204, 'another address is not held back');
    } finally {
      agent.destroy();
    }
  });
});
