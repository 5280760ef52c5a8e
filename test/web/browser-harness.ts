import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { freePort, startCli, type RunningCli } from '../support/cli.ts';
import { waitFor, within } from '../support/wait.ts';

/**
 * What the Chromium tests of the dashboard share: a real `tickflow up` on a real socket, Debian's
 * Chromium through playwright-core, and waits on the page's `data-testid` hooks.
 */

// Debian's chromium (never a downloaded browser); TICKFLOW_CHROMIUM points elsewhere.
export const CHROMIUM = process.env.TICKFLOW_CHROMIUM ?? '/usr/bin/chromium';

export interface RunningTickflow {
  readonly cli: RunningCli;
  readonly base: string;
  readonly dataDir: string;
}

/** `tickflow up` with `env` on a free port and a fresh data directory, once /readyz answers 200. */
export async function startTickflow(env: Record<string, string>, prefix: string): Promise<RunningTickflow> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const cli = startCli(['up'], { PORT: String(port), TICKFLOW_DATA_DIR: dataDir, TICKFLOW_LOG_LEVEL: 'warn', ...env });
  const exitedEarly = cli.exited.then((code) => {
    throw new Error(`tickflow up exited (${code}) during the test:\n${cli.stderr().slice(-2000)}`);
  });
  exitedEarly.catch(() => {});
  await Promise.race([waitFor(async () => (await fetch(`${base}/readyz`).catch(() => null))?.status === 200, 'readyz 200', 30_000), exitedEarly]);
  return { cli, base, dataDir };
}

export async function launchChromium(): Promise<Browser> {
  // Never skipped: .ci/run installs Debian's chromium.
  assert.ok(existsSync(CHROMIUM), `no Chromium at ${CHROMIUM}: apt-get install chromium, or set TICKFLOW_CHROMIUM`);
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}

/** A page that collects its errors and console errors into the returned list. */
export async function newDashboardPage(browser: Browser, viewport = { width: 1440, height: 900 }): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console error: ${message.text()} (${message.location().url})`);
  });
  return { page, errors };
}

/** The browser first (once the pipeline stops, its reconnect attempts would only be noise), then tickflow. */
export async function stopAll(browser: Browser | undefined, cli: RunningCli | undefined): Promise<void> {
  await within(browser?.close() ?? Promise.resolve(), 10_000, 'closing the browser');
  if (cli && cli.child.exitCode === null) {
    cli.child.kill('SIGINT');
    await within(cli.exited, 20_000, 'tickflow up stopping after SIGINT').catch((error: unknown) => {
      cli.child.kill('SIGKILL');
      throw error;
    });
  }
}

/** The little of the DOM the page-side predicates use (this project's TypeScript has no DOM lib). */
export interface PageElement {
  readonly dataset: Record<string, string | undefined>;
  readonly textContent: string | null;
  readonly hidden?: boolean;
  getAttribute(name: string): string | null;
}
declare const document: { querySelector(selector: string): PageElement | null };

/**
 * Polls `predicate(arg)` in the page until it holds; fails naming `what`. A function, not a string:
 * the page's CSP (rightly) refuses the eval that a string predicate needs.
 */
export async function until<A>(page: Page, predicate: (arg: A) => boolean, arg: A, what: string, timeoutMs = 30_000): Promise<void> {
  try {
    // (Playwright's own typing of the argument, `Unboxed<A>`, does not reduce for a generic A.)
    await page.waitForFunction(predicate as (arg: unknown) => boolean, arg as unknown, { timeout: timeoutMs, polling: 100 });
  } catch (error) {
    throw new Error(`the dashboard did not show ${what} within ${timeoutMs} ms (${(error as Error).message.split('\n')[0]})`, { cause: error });
  }
}

/** `data-count` of `[data-testid=id]` above `min` (runs in the page). */
export const countAbove = ([id, min]: readonly [string, number]): boolean => Number(document.querySelector(`[data-testid="${id}"]`)?.dataset.count ?? 0) > min;
export const countOf = (page: Page, id: string): Promise<number> =>
  page.evaluate((testId) => Number(document.querySelector(`[data-testid="${testId}"]`)?.dataset.count ?? 0), id);
