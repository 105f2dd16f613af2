/**
 * One browser session against `npm start` for a browser test file: the local server in a fresh data
 * folder, Debian's Chromium (playwright-core), one page; closed after the file.
 */
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { type LocalServer, startLocalServer } from '#test/support/local-server.js';
import { DESKTOP, PHONE } from './a11y.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SHOTS = 'test/e2e/screenshots';
/** A person's desktop Chrome: headless Chromium says "HeadlessChrome", which Tendril takes for a machine. */
export const PERSON_CHROME =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

export interface Session {
  server: LocalServer;
  browser: Browser;
  page: Page;
}

/** Registers the file's before/after hooks; the session's fields are set once `before` has run. */
export function browserSession(
  name: string,
  options: { env?: Record<string, string>; viewport?: { width: number; height: number } } = {},
  /** Called once the session is up (tests keep its parts in their own variables). */
  ready: (session: Session) => void = () => {},
): Session {
  const session = {} as Session;
  before(async () => {
    if (!existsSync('web/dist/index.html')) throw new Error('build the UI first: npm run build:web');
    if (!existsSync(CHROMIUM)) throw new Error(`no Chromium at ${CHROMIUM}: apt-get install -y chromium`);
    mkdirSync(SHOTS, { recursive: true });
    session.server = await startLocalServer(mkdtempSync(join(tmpdir(), `tendril-ui-${name}-`)), options.env);
    session.browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    session.page = await session.browser.newPage({
      viewport: options.viewport ?? { width: 1440, height: 900 },
    });
    session.page.setDefaultTimeout(15_000);
    ready(session);
  });
  after(async () => {
    await session.browser?.close();
    await session.server?.stop();
  });
  return session;
}

/** Full-page screenshots at 1440 and at 390 px (`<name>.png`, `<name>-phone.png`); ends at 1440. */
export async function shotBothSizes(page: Page, name: string): Promise<void> {
  for (const [size, suffix] of [
    [DESKTOP, ''],
    [PHONE, '-phone'],
  ] as const) {
    await page.setViewportSize(size);
    // A full page on a loaded 2-core machine can take longer than the default 15 s to capture.
    await page.screenshot({ path: join(SHOTS, `${name}${suffix}.png`), fullPage: true, timeout: 60_000 });
  }
  await page.setViewportSize(DESKTOP);
}
