/**
 * The tracking snippet in a real browser, on a "customer site" of another origin than Tendril's:
 * before consent it sets no cookie, stores nothing and sends nothing; after the visitor consents the
 * held page view goes out as a beacon; a click on a nurture email's link (its `_tc` token) is taken
 * out of the address bar at once and identifies the visitor, whose earlier pages join the contact;
 * the answer gives the snippet a visitor token it sends with later hits (as it does after a Tendril
 * form identifies the visitor); a custom event lands on the contact's timeline; withdrawing consent
 * forgets the visitor.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { adminClient, eventually, type LocalServer, outbox } from '#test/support/local-server.js';
import { checkBothSizes } from './a11y.js';
import { browserSession, PERSON_CHROME, SHOTS } from './session.js';

let server: LocalServer;
let browser: Browser;
/** The admin's page (the session's). */
let admin: Page;
browserSession('site-tracking', {}, (session) => {
  ({ server, browser, page: admin } = session);
});
/** A visitor's browser: headless Chromium says so in its user agent, and the snippet's hits of bots are dropped. */
let page: Page;
const DESKTOP_CHROME = PERSON_CHROME;
const api = (method: string, path: string, body?: unknown) => adminClient(server)(method, path, body);

/** The customer's site: every path is a page with the snippet and a consent banner (and a Tendril form, once made). */
let site: Server;
let demoFormId = '';
let siteUrl = '';
before(async () => {
  site = createServer((req, res) => {
    const title = `Example ${new URL(req.url ?? '/', 'http://x').pathname}`;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><title>${title}</title>
<script async src="${server.url}/t/tendril.js"></script></head>
<body><main><h1>${title}</h1>
<button id="accept" onclick="tendril('consent', true)">Accept analytics</button>
<button id="decline" onclick="tendril('consent', false)">Decline</button>
<button id="trial" onclick="tendril('track', 'trial_started', { plan: 'team' })">Start a trial</button>
${
  demoFormId
    ? `<form method="post" action="${server.url}/f/${demoFormId}"><label>Email <input name="email" type="email"></label><button>Ask for a demo</button></form>`
    : ''
}
</main></body></html>`);
  });
  await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
});
after(async () => {
  await new Promise((resolve) => site?.close(resolve));
});

/** Hits the page sent to /t/collect, with Tendril's answers. */
function collected(p: Page) {
  const hits: Array<{ body: Record<string, unknown>; status?: number }> = [];
  p.on('request', (req) => {
    if (req.url().endsWith('/t/collect')) hits.push({ body: JSON.parse(req.postData() ?? '{}') });
  });
  p.on('response', (res) => {
    if (!res.url().endsWith('/t/collect')) return;
    const pending = hits.find((h) => h.status === undefined);
    if (pending) pending.status = res.status();
  });
  return hits;
}

/** Beacons and fetches the page's scripts made, counted in the page (no waiting for what did not happen). */
const sentByPage = () => page.evaluate<string[]>('window.__sent.filter((url) => url.includes("/t/collect"))');

describe('the tracking snippet', () => {
  it('sends nothing and stores nothing before consent, then the held page view', {
    timeout: 60_000,
  }, async () => {
    page = await (await browser.newContext({ userAgent: DESKTOP_CHROME })).newPage();
    // As a script: the page's globals are not this file's (it is type-checked without the DOM).
    await page.addInitScript(`
      window.__sent = [];
      const beacon = navigator.sendBeacon.bind(navigator);
      navigator.sendBeacon = (url, data) => { window.__sent.push(String(url)); return beacon(url, data); };
      const original = window.fetch.bind(window);
      window.fetch = (input, init) => {
        window.__sent.push(String(input instanceof Request ? input.url : input));
        return original(input, init);
      };
    `);
    const hits = collected(page);
    await page.goto(`${siteUrl}/pricing`);
    await page.waitForFunction('typeof window.tendril === "function"');
    assert.deepEqual(await sentByPage(), [], 'no request before consent');
    assert.equal(await page.evaluate<string>('document.cookie'), '');
    assert.equal(await page.evaluate<number>('localStorage.length'), 0);

    await page.click('#accept');
    await eventually(async () => (hits[0]?.status === 204 ? true : undefined));
    assert.equal(hits[0]?.body.t, 'page');
    assert.equal(hits[0]?.body.url, `${siteUrl}/pricing`);
    assert.equal(hits[0]?.body.title, 'Example /pricing');
    const visitor = await page.evaluate<string | null>('localStorage.getItem("tendril_vid")');
    assert.match(String(visitor), /^[A-Za-z0-9_-]{24}$/);
    // Consent is remembered: the next page is sent at once.
    await page.goto(`${siteUrl}/pricing/enterprise`);
    await eventually(async () => (hits[1]?.status === 204 ? true : undefined));
    assert.equal(hits[1]?.body.v, visitor);
  });

  it('identifies the visitor from a nurture email link, joining their earlier pages', {
    timeout: 90_000,
  }, async () => {
    // The admin turns identification on in Settings → Site tracking, and copies the snippet.
    await admin.goto(`${server.url}/#/settings`);
    await admin.getByLabel('Admin token').fill(server.token);
    await admin.getByRole('button', { name: 'Sign in' }).click();
    const form = admin.getByRole('form', { name: 'Site tracking' });
    assert.equal(
      await form.getByLabel('Snippet').inputValue(),
      `<script async src="${server.url}/t/tendril.js" data-consent="granted"></script>`,
    );
    await form.getByLabel('Identify visitors who arrive by a link in a marketing email').check();
    await form.getByLabel('Your site’s domains').fill('127.0.0.1');
    await form.getByRole('button', { name: 'Save site tracking' }).click();
    await admin
      .getByRole('form', { name: 'Site tracking' })
      .getByText('Visitors are identified from email links.')
      .waitFor();
    await checkBothSizes(admin, 'Settings with site tracking on');
    await admin.getByRole('heading', { name: 'Site tracking' }).scrollIntoViewIfNeeded();
    await admin.screenshot({ path: join(SHOTS, 'settings-site-tracking.png') });
    assert.equal((await api('GET', '/v1/settings/email')).json.identifyVisitors, true);
    const template = await api('POST', '/v1/templates', {
      name: 'Welcome',
      subject: 'Welcome aboard',
      html: `<p><a href="${siteUrl}/welcome">Get started</a></p><a href="{{ unsubscribeUrl }}">Unsubscribe</a>`,
    });
    const wf = await api('POST', '/v1/workflows', {
      name: 'Welcome',
      trigger: { type: 'tagAdded', tag: 'welcome' },
      steps: [{ id: 'hello', type: 'sendEmail', templateId: template.json.id }],
    });
    assert.equal((await api('POST', `/v1/workflows/${wf.json.id}/publish`)).status, 200);
    const contact = await api('POST', '/v1/contacts', { email: 'robin@example.com', tags: ['welcome'] });
    assert.equal(contact.status, 201, JSON.stringify(contact.json));
    const mail = await eventually(async () => (await outbox(server, 'robin@example.com'))[0], 30_000);
    const link = new RegExp(`href="(${siteUrl}/welcome[^"]*)"`).exec(mail.body?.html ?? '')?.[1];
    assert.ok(link?.includes('_tc='), mail.body?.html);
    if (!link) return;

    const hits = collected(page);
    await page.goto(link.replace(/&amp;/g, '&'));
    // The link's hit is a fetch whose answer (200, the visitor token) the snippet reads and keeps.
    await eventually(async () => (hits[0]?.status === 200 ? true : undefined)).catch(() => {
      throw new Error(`no answered hit: ${JSON.stringify(hits)}`);
    });
    assert.equal(new URL(page.url()).searchParams.get('_tc'), null, 'the token left the address bar');
    assert.ok(hits[0]?.body.ct, 'and went with the first page view');
    assert.ok(!String(hits[0]?.body.url).includes('_tc'));
    const vt = await eventually(() =>
      page.evaluate<string | undefined>('localStorage.getItem("tendril_vt") || undefined'),
    );
    assert.match(vt, /^[0-9A-Z]{26}\./);
    assert.equal(await page.evaluate<string>('document.cookie'), '', 'still no cookie');
    let seen: unknown;
    const visits = await eventually(async () => {
      const v = await api('GET', `/v1/contacts/${contact.json.id}/visits`);
      seen = v.json;
      return v.json.items?.length === 3 ? v.json : undefined;
    }).catch(() => {
      throw new Error(`visits: ${JSON.stringify(seen)}`);
    });
    assert.deepEqual(
      visits.items.map((v: { path: string }) => v.path),
      ['/welcome', '/pricing/enterprise', '/pricing'],
    );

    await page.click('#trial');
    await eventually(async () => (hits[1]?.status === 204 ? true : undefined));
    assert.equal(hits[1]?.body.vt, vt, 'later hits carry the visitor token (a beacon: no answer read)');
    assert.equal(hits[1]?.body.ask, undefined);
    const timeline = await eventually(async () => {
      const t = await api('GET', `/v1/contacts/${contact.json.id}/activities`);
      return t.json.items[0]?.type === 'event_tracked' ? t.json.items[0] : undefined;
    });
    assert.equal(timeline.body, 'trial_started');
    assert.deepEqual(timeline.data.properties, { plan: 'team' });
  });

  it('forgets the visitor when consent is withdrawn, and sends nothing more', async () => {
    const before = (await sentByPage()).length;
    await page.click('#decline');
    assert.equal(await page.evaluate<number>('localStorage.length'), 0, 'its id and token are gone');
    await page.click('#trial');
    assert.equal((await sentByPage()).length, before, 'the event was not sent');
  });

  it('identifies a visitor who submits a Tendril form on the site, joining their earlier pages', {
    timeout: 60_000,
  }, async () => {
    const form = await api('POST', '/v1/forms', {
      name: 'Demo request',
      fields: ['email'],
      redirectUrl: `${siteUrl}/thanks`,
      spam: { minFillSeconds: 0, requireToken: false },
    });
    assert.equal(form.status, 201, JSON.stringify(form.json));
    demoFormId = form.json.id;
    const visitor = await (await browser.newContext({ userAgent: DESKTOP_CHROME })).newPage();
    await visitor.goto(`${siteUrl}/pricing`);
    await visitor.waitForFunction('typeof window.tendril === "function"');
    await visitor.click('#accept');
    await visitor.goto(`${siteUrl}/demo`);
    await visitor.getByLabel('Email').fill('sam@example.com');
    await visitor.getByRole('button', { name: 'Ask for a demo' }).click();
    await visitor.waitForURL(`${siteUrl}/thanks`);
    const contact = await eventually(async () => {
      const list = await api('GET', '/v1/contacts?email=sam%40example.com');
      return list.json.items[0] as { id: string } | undefined;
    });
    const visits = await eventually(async () => {
      const v = await api('GET', `/v1/contacts/${contact.id}/visits`);
      return v.json.items?.length >= 2 ? v.json : undefined;
    }, 30_000);
    assert.deepEqual(
      visits.items.map((v: { path: string }) => v.path).slice(-2),
      ['/demo', '/pricing'],
      'the pages before the form joined the contact',
    );
    // After the submission the snippet asks for its token (fetch, reading the answer) until the
    // identification gives it one; then its hits carry it.
    const asked = collected(visitor);
    const vt = await eventually(async () => {
      await visitor.goto(`${siteUrl}/after-the-form`);
      await visitor.waitForFunction('typeof window.tendril === "function"');
      return eventually(
        () => visitor.evaluate<string | undefined>('localStorage.getItem("tendril_vt") || undefined'),
        2_000,
      ).catch(() => undefined);
    }, 30_000);
    assert.ok(asked.some((h) => h.body.ask === true && h.status === 200));
    await visitor.goto(`${siteUrl}/docs`);
    await eventually(async () => asked.find((h) => h.body.url === `${siteUrl}/docs` && h.status === 204));
    const docs = asked.find((h) => h.body.url === `${siteUrl}/docs`);
    assert.equal(docs?.body.vt, vt);
    assert.equal(docs?.body.ask, undefined, 'the token came: no more asking');
    await eventually(async () => {
      const v = await api('GET', `/v1/contacts/${contact.id}/visits`);
      return v.json.items?.[0]?.path === '/docs' ? true : undefined;
    });
    await visitor.context().close();
  });
});
