/**
 * Accessibility checks for browser tests: axe-core run in the page (0 violations expected), no
 * horizontal overflow at the current viewport, and what the Tab key reaches.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

let axeSource: string | undefined;
function axeScript(): string {
  if (axeSource === undefined) {
    let path: string;
    try {
      path = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
    } catch {
      throw new Error('axe-core is not installed: npm install --save-dev axe-core');
    }
    axeSource = readFileSync(path, 'utf8');
  }
  return axeSource;
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

/** Runs axe-core (WCAG 2.x A and AA, and best practices) on the page; fails with every violation listed. */
export async function expectNoAxeViolations(page: Page, where: string): Promise<void> {
  // Evaluated rather than added as a <script>: the admin UI's CSP forbids inline scripts. (Page code
  // goes as strings: this file is typed for Node, without the DOM's globals.)
  if (!(await page.evaluate("'axe' in window"))) await page.evaluate(axeScript());
  const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
  const violations = (await page.evaluate(
    `axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(tags)} } }).then((r) => r.violations)`,
  )) as AxeViolation[];
  const list = violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary ?? ''}`).join('\n')}`,
  );
  assert.equal(list.length, 0, `axe violations on ${where}:\n${list.join('\n')}`);
}

/** The page is no wider than the viewport (a wide table scrolls in its own box). */
export async function expectNoHorizontalOverflow(page: Page, where: string): Promise<void> {
  const { scrollWidth, innerWidth } = (await page.evaluate(
    '({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })',
  )) as { scrollWidth: number; innerWidth: number };
  if (scrollWidth <= innerWidth) return;
  // Name the elements that stick out (the innermost ones), so the failure says what to fix.
  const culprits = (await page.evaluate(`[...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5 && ![...e.children].some((c) => c.getBoundingClientRect().right > window.innerWidth + 0.5))
    .slice(0, 5)
    .map((e) => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + (e.className ? '.' + String(e.className).split(' ').join('.') : '') + ' ' + Math.round(e.getBoundingClientRect().right) + 'px')`)) as string[];
  assert.fail(
    `${where}: the page is ${scrollWidth}px wide in a ${innerWidth}px viewport (${culprits.join(', ')})`,
  );
}

/** Presses Tab from where the focus is until `last` has it; returns the ids (or tags and texts) focused on the way. */
export async function tabThrough(page: Page, last: string, max = 80): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const focused = (await page.evaluate(`(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return '';
      return el.id ? '#' + el.id : el.tagName.toLowerCase() + ':' + (el.textContent || '').trim().slice(0, 30);
    })()`)) as string;
    seen.push(focused);
    if (focused === last) return seen;
  }
  throw new Error(`${last} was not reached by Tab; reached: ${seen.join(', ')}`);
}

/**
 * Waits until the focused element matches `selector` (a screen moves the focus in an effect, which
 * runs after the paint that showed the element), failing after `timeoutMs`.
 */
export async function expectFocus(page: Page, selector: string, timeoutMs = 5_000): Promise<void> {
  // Polled by hand: an evaluation that fails once (the page re-rendering under a busy machine) is
  // tried again rather than taken for a wrong focus.
  const check = `document.activeElement?.matches(${JSON.stringify(selector)}) === true`;
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await page.evaluate(check).catch(() => false)) return;
    if (Date.now() > until) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const focused = await page
    .evaluate('document.activeElement?.outerHTML.slice(0, 120)')
    .catch(() => undefined);
  assert.fail(`the focus is not on ${selector} but on ${focused ?? 'nothing'}`);
}

export const DESKTOP = { width: 1440, height: 900 };
export const PHONE = { width: 390, height: 844 };

/** Both viewports: axe finds nothing and the page is no wider than the screen; ends at the desktop size. */
export async function checkBothSizes(page: Page, where: string) {
  for (const size of [DESKTOP, PHONE]) {
    await page.setViewportSize(size);
    await expectNoHorizontalOverflow(page, `${where} at ${size.width}px`);
    await expectNoAxeViolations(page, `${where} at ${size.width}px`);
  }
  await page.setViewportSize(DESKTOP);
}
