import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import type { RunningCli } from '../support/cli.ts';
import { launchChromium, newDashboardPage, startTickflow, stopAll, until, type PageElement } from './browser-harness.ts';

const SYMBOL = 'AAPL';
const STORE_FLUSH_MS = 10_000;

let cli: RunningCli | undefined;
let browser: Browser | undefined;

after(() => stopAll(browser, cli));

declare const document: { querySelector(selector: string): PageElement | null };

/** The chart's 1 s candles run without a hole from the first to the last (runs in the page). */
const contiguous = (min: number): boolean => {
  const { count, first, last } = document.querySelector('[data-testid="candle-count"]')?.dataset ?? {};
  const span = (Number(last) - Number(first)) / 1_000 + 1;
  return Number(count) >= min && Number(count) === span;
};

describe('the chart’s history in a real browser', () => {
  // Storage writing only every 10 s: the stored history a page reads ends seconds before the first
  // candle its stream gives (the stream sends only what closes after it subscribed).
  it('fills the hole between the stored bars and the stream’s first candle once storage has written them', async () => {
    const tickflow = await startTickflow(
      { TICKFLOW_SIM_RATE: '100', TICKFLOW_SYMBOLS: SYMBOL, TICKFLOW_STORE_FLUSH_MS: String(STORE_FLUSH_MS), TICKFLOW_STORE_BATCH: '1000000', TICKFLOW_STRATEGIES: JSON.stringify({ default: [] }) },
      'tickflow-chart-history-',
    );
    cli = tickflow.cli;
    // A first flush, so the page's history is not empty.
    await new Promise((resolve) => setTimeout(resolve, STORE_FLUSH_MS + 3_000));

    browser = await launchChromium();
    const { page, errors } = await newDashboardPage(browser);
    await page.goto(`${tickflow.base}/#symbol=${SYMBOL}&interval=1s`);
    // 100 trades/s: every second has a bar, so any hole in the chart is one the dashboard left.
    await until(page, contiguous, 15, 'at least 15 candles without a hole', 3 * STORE_FLUSH_MS + 15_000);

    assert.deepEqual(errors, [], 'no page or console errors');
  });
});
