/**
 * What the dashboard tells the user: what each percentage measures, signal labels that never overlap,
 * and, on a tickflow that wants a token the page lacks, where to put it instead of retrying forever.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { countAbove, launchChromium, newDashboardPage, startTickflow, stopAll, until, type PageElement, type RunningTickflow } from './browser-harness.ts';

declare const document: { querySelector(selector: string): PageElement | null };

const TOKEN = 'dashboard-t0ken-0123456789';
let tickflow: RunningTickflow | undefined;
let browser: Browser | undefined;

before(async () => {
  tickflow = await startTickflow(
    {
      TICKFLOW_SIM_RATE: '200',
      TICKFLOW_SYMBOLS: 'AAPL',
      TICKFLOW_WS_TOKEN: TOKEN,
      // Fast EMAs on 1 s bars cross every few seconds: markers a few candles apart, closer than their labels are wide.
      TICKFLOW_STRATEGIES: JSON.stringify({ default: [{ strategy: 'ma-crossover', kind: 'ema', fast: 2, slow: 4, interval: '1s' }] }),
    },
    'tickflow-readability-',
  );
  browser = await launchChromium();
});
after(() => stopAll(browser, tickflow?.cli));

it('without the token, says to add #token=<TICKFLOW_WS_TOKEN> to the address and stops retrying', async () => {
  const { page } = await newDashboardPage(browser!);
  let upgrades = 0;
  page.on('websocket', () => upgrades++);
  await page.goto(`${tickflow!.base}/`);
  await until(page, () => document.querySelector('[data-testid="auth-notice"]')?.hidden === false, null, 'the token notice');
  assert.match(String(await page.textContent('[data-testid="auth-notice"]')), /Add #token=<TICKFLOW_WS_TOKEN> to the address/);
  await until(page, () => document.querySelector('[data-testid="ws-state"]')?.dataset.stream === 'unauthorized' && document.querySelector('[data-testid="ws-state"]')?.dataset.notifications === 'unauthorized', null, 'both sockets unauthorized');
  // Retrying used to make ten attempts in 8 s; now one per socket, then none.
  await new Promise((resolve) => setTimeout(resolve, 4_000));
  assert.equal(upgrades, 2);
  await page.close();
});

it('with a wrong token, says the token in the address is not accepted', async () => {
  const { page } = await newDashboardPage(browser!);
  await page.goto(`${tickflow!.base}/#token=not-it`);
  await until(page, () => document.querySelector('[data-testid="auth-notice"]')?.hidden === false, null, 'the token notice');
  assert.match(String(await page.textContent('[data-testid="auth-notice"]')), /did not accept the token in this address/);
  await page.close();
});

it('with reads closed by TICKFLOW_API_READ_TOKEN and no token, says to add that token to the address', async () => {
  const closed = await startTickflow({ TICKFLOW_SIM_RATE: '50', TICKFLOW_SYMBOLS: 'AAPL', TICKFLOW_API_READ_TOKEN: TOKEN }, 'tickflow-read-token-');
  try {
    const { page } = await newDashboardPage(browser!);
    const symbolReads: number[] = [];
    page.on('response', (response) => {
      if (response.url().endsWith('/v1/symbols')) symbolReads.push(response.status());
    });
    await page.goto(`${closed.base}/`);
    await until(page, () => document.querySelector('[data-testid="auth-notice"]')?.hidden === false, null, 'the token notice');
    assert.match(String(await page.textContent('[data-testid="auth-notice"]')), /Add #token=<TICKFLOW_API_READ_TOKEN> to the address/);
    // One refused read, then no more asking without the token (the page polls every 3 s).
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    assert.deepEqual(symbolReads, [401]);
    await page.close();
  } finally {
    await stopAll(undefined, closed.cli);
  }
});

it('with the token: no notice, each percentage says what it measures, and signal labels never overlap', async () => {
  const { page, errors } = await newDashboardPage(browser!);
  await page.goto(`${tickflow!.base}/#token=${TOKEN}`);
  await until(page, () => document.querySelector('[data-testid="ws-state"]')?.dataset.stream === 'open', null, 'the stream open');
  assert.equal(await page.isHidden('[data-testid="auth-notice"]'), true);

  assert.equal(await page.textContent('[data-testid="symbols-change-scope"]'), 'Δ since page opened');
  await until(page, () => /^last \d+ trades?$/.test(document.querySelector('[data-testid="window-change-scope"]')?.textContent ?? ''), null, "the window change's scope");

  await until(page, countAbove, ['marker-count', 5] as const, 'more than 5 signals on the chart', 50_000);
  // Zoomed out, the candles (and their markers) are closer still.
  await page.hover('[data-testid="chart"]');
  for (let i = 0; i < 5; i++) await page.mouse.wheel(0, 400);
  await until(page, () => Number(document.querySelector('[data-testid="chart"]')?.dataset.labelRoom) >= 6, null, 'labels at least 6 px apart');
  assert.deepEqual(errors.filter((error) => !/401/.test(error)), []);
});
