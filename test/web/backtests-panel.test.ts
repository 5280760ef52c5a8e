import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/api/app.ts';
import { writeReport } from '../../src/backtest/report/write-report.ts';
import { idleStatus } from '../support/pipeline-status.ts';
import { within } from '../support/wait.ts';
import { backtestResult } from '../backtest/report/fixture.ts';
import { countAbove, launchChromium, newDashboardPage, until, type PageElement } from './browser-harness.ts';

declare const document: { querySelector(selector: string): PageElement | null; body: PageElement };

const root = mkdtempSync(join(tmpdir(), 'tickflow-backtests-panel-'));
let app: FastifyInstance;
let browser: Browser;
let base: string;

before(async () => {
  await writeReport(backtestResult(), join(root, 'backtests', 'run-1'));
  // The dashboard alone (no pipeline behind it): only the backtests panel is under test.
  app = await buildApp({ status: idleStatus, dashboard: true, backtests: { dir: join(root, 'backtests') } });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
  browser = await launchChromium();
});
after(async () => {
  await within(browser?.close() ?? Promise.resolve(), 10_000, 'closing the browser');
  await app?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('the dashboard\'s Backtests panel', () => {
  it('lists the runs; a link opens the report in a new tab, where its charts draw under the report\'s CSP', async () => {
    const { page } = await newDashboardPage(browser);
    await page.goto(base);
    await until(page, countAbove, ['backtest-list', 0] as const, 'the backtest list');
    const link = await page.evaluate(() => {
      const a = document.querySelector('[data-testid="backtest-link"]')!;
      return { text: a.textContent, href: a.getAttribute('href'), target: a.getAttribute('target') };
    });
    assert.deepEqual(link, { text: 'crossover <test>', href: '/v1/backtests/run-1/report.html', target: '_blank' });
    const [report] = await Promise.all([page.context().waitForEvent('page'), page.click('[data-testid="backtest-link"]')]);
    const errors: string[] = [];
    report.on('pageerror', (error) => errors.push(error.message));
    await report.waitForFunction(() => document.body.dataset.drawn === 'true', undefined, { timeout: 20_000 });
    assert.equal(await report.evaluate(() => document.querySelector('[data-testid="equity-chart"]')?.dataset.count), '9');
    assert.deepEqual(errors, []);
  });
});
