import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { RunningCli } from '../support/cli.ts';
import { waitFor } from '../support/wait.ts';
import { countAbove, countOf, launchChromium, newDashboardPage, startTickflow, stopAll, until, type PageElement } from './browser-harness.ts';

const SCREENSHOT = fileURLToPath(new URL('../../test-results/dashboard.png', import.meta.url));
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let cli: RunningCli | undefined;
let browser: Browser | undefined;

after(() => stopAll(browser, cli));

declare const document: { querySelector(selector: string): PageElement | null; querySelectorAll(selector: string): { readonly length: number } };
declare const sessionStorage: { getItem(key: string): string | null };
declare const localStorage: { readonly length: number };

describe('the dashboard in a real browser', () => {
  it('loads against a running pipeline, shows candles that update, a signal, the pipeline status, and saves a screenshot', async () => {
    const tickflow = await startTickflow(
      {
        TICKFLOW_SIM_RATE: '200',
        TICKFLOW_SYMBOLS: 'AAPL,MSFT',
        // Fast EMAs on 1 s bars cross within seconds: a signal shows up quickly.
        TICKFLOW_STRATEGIES: JSON.stringify({ default: [{ strategy: 'ma-crossover', kind: 'ema', fast: 2, slow: 4, interval: '1s' }] }),
      },
      'tickflow-dashboard-',
    );
    cli = tickflow.cli;
    const base = tickflow.base;

    browser = await launchChromium();
    const { page, errors } = await newDashboardPage(browser);

    const response = await page.goto(`${base}/`);
    assert.equal(response?.status(), 200);
    assert.match(String(response?.headers()['content-security-policy']), /script-src 'self'/);

    await until(page, () => document.querySelectorAll('[data-testid="symbol-row"]').length === 2, null, 'both symbols in the list');
    assert.equal(await page.textContent('[data-testid="selected-symbol"]'), 'AAPL');
    await until(
      page,
      () => {
        const sockets = document.querySelector('[data-testid="ws-state"]')?.dataset;
        return sockets?.stream === 'open' && sockets.notifications === 'open';
      },
      null,
      'both WebSockets open',
    );

    // Candles, and more of them as the stream goes on.
    await until(page, countAbove, ['candle-count', 0] as const, 'candles');
    assert.ok(await page.locator('[data-testid="chart"] canvas').count() > 0, 'the chart draws on a canvas');
    const candles = await countOf(page, 'candle-count');
    await until(page, countAbove, ['candle-count', candles] as const, `more than ${candles} candles`);

    // The interval toggle: 1m candles (the forming one comes from trades at once), then back.
    await page.click('[data-testid="interval-1m"]');
    await until(
      page,
      () => document.querySelector('[data-testid="interval-1m"]')?.getAttribute('aria-pressed') === 'true' && Number(document.querySelector('[data-testid="candle-count"]')?.dataset.count) > 0,
      null,
      'a 1m candle',
    );
    await page.click('[data-testid="interval-1s"]');
    await until(page, countAbove, ['candle-count', 1] as const, '1s candles again');

    // The pipeline's status: throughput from successive /status trade counts, consumer lag.
    await until(page, () => Number(document.querySelector('[data-testid="throughput"]')?.dataset.value) > 0, null, 'a throughput');
    await until(page, () => document.querySelectorAll('[data-testid="consumer-lag"] .lag').length > 0, null, 'consumer lag');
    assert.match(String(await page.textContent('[data-testid="feed-state"]')), /connected/);

    // A signal: in the feed, and as a marker on AAPL's chart.
    await until(page, countAbove, ['signal-count', 0] as const, 'a signal in the feed', 60_000);
    assert.ok(await page.locator('[data-testid="feed-item"][data-kind="signal"]').count() > 0);
    await until(page, countAbove, ['marker-count', 0] as const, 'a signal marker on the chart', 60_000);
    assert.match(String(await page.textContent('[data-testid="feed-item"][data-kind="signal"] .what')), /ma-crossover/);

    mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT });
    const png = readFileSync(SCREENSHOT);
    assert.ok(png.subarray(0, 8).equals(PNG_SIGNATURE), 'a PNG');
    assert.ok(statSync(SCREENSHOT).size > 10_000, `a screenshot with content (${png.length} bytes)`);

    // Selecting another symbol moves the chart to it.
    await page.click('[data-testid="symbol-row"][data-symbol="MSFT"]');
    await until(
      page,
      () => document.querySelector('[data-testid="selected-symbol"]')?.textContent === 'MSFT' && Number(document.querySelector('[data-testid="candle-count"]')?.dataset.count) > 0,
      null,
      "MSFT's candles",
    );

    // An alert rule made over REST with the admin token: disabled, then deleted (two presses: "sure?") from its row.
    const adminToken = readFileSync(join(tickflow.dataDir, 'admin-token'), 'utf8').trim();
    const created = await fetch(`${base}/v1/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ symbol: 'AAPL', condition: { kind: 'price-above', threshold: 1_000_000 } }),
    });
    assert.equal(created.status, 201);
    const { id } = (await created.json()) as { id: string };
    const ruleOf = async () => fetch(`${base}/v1/alerts/${encodeURIComponent(id)}`);
    // The page lists rules when it loads: reload to see the new one.
    await page.reload();
    const row = `[data-testid="alert-rule"][data-rule-id="${id}"]`;
    await page.click(`${row} [data-testid="rule-toggle"]`);
    // Refused without the admin token (401): the page asks for it, keeps it for the tab, and tries again.
    await until(page, () => document.querySelector('[data-testid="admin-token-form"]')?.hidden === false, null, 'the admin token asked for');
    assert.match(String(await page.textContent('[data-testid="admin-token-reason"]')), /admin token is missing/);
    assert.equal(((await (await ruleOf()).json()) as { enabled?: boolean }).enabled, true, 'nothing changed without the token');
    await page.fill('[data-testid="admin-token-form"] input[name="token"]', adminToken);
    await page.click('[data-testid="admin-token-form"] button[type="submit"]');
    await waitFor(async () => ((await (await ruleOf()).json()) as { enabled?: boolean }).enabled === false, 'the rule disabled over REST');
    await until(page, (selector) => document.querySelector(selector)?.dataset.enabled === 'false', row, 'the rule shown disabled');
    await page.click(`${row} [data-testid="rule-delete"]`);
    await page.click(`${row} [data-testid="rule-delete"]`);
    await waitFor(async () => (await ruleOf()).status === 404, 'the rule deleted');
    await until(page, (selector) => document.querySelector(selector) === null, row, 'the rule gone from the list');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('tickflow.admin-token')), adminToken, 'the token kept in sessionStorage');
    assert.equal(await page.evaluate(() => localStorage.length), 0, 'nothing in localStorage');
    assert.equal(await page.locator('[data-testid="admin-token-form"]').isHidden(), true, 'asked once');

    // Chromium reports the one refused change (the 401 that made the page ask) as a console error; nothing else.
    const refusal = `console error: Failed to load resource: the server responded with a status of 401 (Unauthorized) (${base}/v1/alerts/${encodeURIComponent(id)})`;
    assert.deepEqual(errors, [refusal], 'no other page or console errors');
  });
});
