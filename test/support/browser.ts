/// <reference lib="dom" />
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright-core';

/** Debian's Chromium (CI installs it with a CJK font: .ci/run). */
export const CHROMIUM = '/usr/bin/chromium';
/** Screenshots of the screens, kept by CI as test artifacts. */
export const ARTIFACTS = join(__dirname, '..', 'artifacts');
export const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) process.stderr.write(`browser tests skipped: ${CHROMIUM} is missing (apt-get install -y chromium fonts-wqy-zenhei)\n`);
/** `it` when Chromium is here, `it.skip` otherwise. */
export const browserIt = hasChromium ? it : it.skip;

export const DESKTOP = { width: 1366, height: 768 };
export const PHONE = { width: 390, height: 844 };

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** A page that records console errors and uncaught exceptions; `problems` must be empty at the end of a test. */
export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  problems: string[];
}

export async function openPage(browser: Browser, viewport = DESKTOP, locale = 'zh-CN'): Promise<WatchedPage> {
  // Reduced motion: the app then draws no fades, so that axe never measures a colour half-way through one.
  const context = await browser.newContext({
    viewport,
    locale,
    isMobile: viewport.width < 600,
    hasTouch: viewport.width < 600,
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message) => {
    // A 4xx the screen handles (shown to the user) is logged by Chromium as a failed resource; those are expected.
    if (message.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(message.text()))
      problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return { context, page, problems };
}

/** Signs in through the login screen and waits for the role's home (the header names the user). */
export async function signInThroughScreen(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/app/login`);
  await page.fill('[data-test=email]', email);
  await page.fill('[data-test=password]', password);
  await page.click('[data-test=login-submit]');
  await page.waitForSelector('[data-test=who]', { timeout: 15_000 });
}

let axeSource: string | null = null;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  /** Selectors of the first few elements at fault. */
  nodes: string[];
}

/** Runs axe-core in the page; returns the serious and critical violations. */
export async function seriousAxeViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol: the page's CSP (same-origin scripts only) does not apply to it.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(
            context: Document,
          ): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[] }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document);
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((node) => node.target.join(' ')),
    }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Keeps a full-page screenshot as a test artifact (test/artifacts/<name>.png). */
export async function keepScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}
