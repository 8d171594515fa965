import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { startTestApp, type TestApp } from './app';

/**
 * The staff application in a real Chromium (Debian's, installed by `npm test`'s pretest), against
 * the real API on its own database (the demo as `npm start` serves it, after the 2025 reform).
 *
 * Every page records what would betray a broken screen to a user: script errors, console errors,
 * Content-Security-Policy violations and any request leaving the server; `expectClean(page)`
 * asserts there were none.
 */
export const SCREENSHOTS = path.resolve(__dirname, '..', '..', 'test-results', 'screenshots');
export const DEMO_PASSWORD = 'hoso-demo';

const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox', // tests run as root on CI
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  // Without these Chromium calls Google at start; the closed network refuses it, slowly.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface PageProblems {
  errors: string[];
  outside: string[];
}

export interface BrowserWorld {
  t: TestApp;
  browser: Browser;
  /**
   * A fresh browser context (its own memory: no shared session) at the office screen size. The
   * browser keeps the machine's time zone (UTC here) unless `timezoneId` names another: the
   * screens must show Vietnam's days whatever the computer's zone is, so none is set by default.
   */
  newPage(viewport?: { width: number; height: number }, options?: { timezoneId?: string }): Promise<Page>;
  /** Opens the application and signs in; resolves when the first screen shows. */
  signIn(page: Page, username: string): Promise<void>;
  close(): Promise<void>;
}

const problems = new WeakMap<Page, PageProblems>();

export function problemsOf(page: Page): PageProblems {
  return problems.get(page)!;
}

export async function startBrowserWorld(env: Record<string, string> = {}): Promise<BrowserWorld> {
  const t = await startTestApp(env, { reformed: true });
  const browser = await chromium.launch({ executablePath: process.env.HOSO_CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const origin = new URL(t.url).origin;
  return {
    t,
    browser,
    async newPage(viewport = { width: 1366, height: 768 }, options = {}) {
      const context = await browser.newContext({ viewport, locale: 'vi-VN', acceptDownloads: true, timezoneId: options.timezoneId });
      const page = await context.newPage();
      const seen: PageProblems = { errors: [], outside: [] };
      problems.set(page, seen);
      page.on('pageerror', (error) => seen.errors.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error') seen.errors.push(`console: ${message.text()}`);
      });
      page.on('request', (request) => {
        const url = request.url();
        if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('blob:')) seen.outside.push(url);
      });
      return page;
    },
    async signIn(page, username) {
      await page.goto(`${t.url}/`);
      await page.getByLabel('Tên đăng nhập').fill(username);
      await page.getByLabel('Mật khẩu').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: 'Đăng nhập' }).click();
      await page.getByRole('button', { name: 'Đăng xuất' }).waitFor();
    },
    async close() {
      await browser.close();
      await t.close();
    },
  };
}

/**
 * No script error, console error (a failed request is one) or CSP violation happened, and nothing
 * was requested outside the server. `allowErrors` names console messages a test provoked on purpose.
 */
export function expectClean(page: Page, allowErrors: RegExp[] = []): void {
  const seen = problemsOf(page);
  expect(seen.errors.filter((error) => !allowErrors.some((allowed) => allowed.test(error)))).toEqual([]);
  expect(seen.outside).toEqual([]);
}

/** Runs axe-core in the page; answers the violations of WCAG 2.1 A/AA (labels, contrast, names…). */
export async function accessibilityViolations(page: Page): Promise<{ id: string; help: string; nodes: string[] }[]> {
  const source = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated by the test tool, not added as a <script>: the page's strict CSP would refuse that.
  await page.evaluate(source);
  // A string, run in the page: this project's TypeScript has no DOM types (it is server code).
  return page.evaluate(`(async () => {
    const result = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }));
  })()`);
}

/** Saves a screenshot the documentation shows (test-results/screenshots/<name>.png). */
export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: false });
}
