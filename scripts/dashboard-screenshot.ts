/**
 * Regenerates docs/dashboard.png: a real `tickflow up` (simulator), Debian's Chromium, the default
 * paper account connected with a BTC position, a resting limit order and its fill on the chart.
 * `node scripts/dashboard-screenshot.ts [out.png]` (about a minute).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultAccountFile } from '../src/cli/commands/default-account.ts';
import { countAbove, launchChromium, newDashboardPage, startTickflow, stopAll, until, type PageElement } from '../test/web/browser-harness.ts';

declare const document: { querySelector(selector: string): PageElement | null };

const OUT = process.argv[2] ?? fileURLToPath(new URL('../docs/dashboard.png', import.meta.url));
const SYMBOL = 'BINANCE:BTCUSDT';

const tickflow = await startTickflow(
  {
    TICKFLOW_SIM_RATE: '150',
    TICKFLOW_SYMBOLS: `AAPL,MSFT,NVDA,SPY,OANDA:EUR_USD,${SYMBOL},BINANCE:ETHUSDT`,
    TICKFLOW_STRATEGIES: JSON.stringify({ default: [{ strategy: 'ma-crossover', kind: 'ema', fast: 3, slow: 8, interval: '1s' }] }),
  },
  'tickflow-screenshot-',
);
const browser = await launchChromium();
try {
  const keys = JSON.parse(readFileSync(defaultAccountFile(tickflow.dataDir), 'utf8')) as { APCA_API_KEY_ID: string; APCA_API_SECRET_KEY: string };
  const { page } = await newDashboardPage(browser);
  await page.goto(`${tickflow.base}/#symbol=${encodeURIComponent(SYMBOL)}&interval=1s`);
  await page.fill('[data-testid="connect-form"] [name="keyId"]', keys.APCA_API_KEY_ID);
  await page.fill('[data-testid="connect-form"] [name="secret"]', keys.APCA_API_SECRET_KEY);
  await page.click('[data-testid="connect-form"] button[type="submit"]');
  await until(page, () => document.querySelector('[data-testid="trading"]')?.dataset.state === 'connected', null, 'the account connected');
  await until(page, countAbove, ['candle-count', 20] as const, 'candles', 60_000);

  await page.fill('[data-testid="ticket-qty"]', '0.25');
  await page.click('[data-testid="ticket-submit"]');
  await until(page, countAbove, ['fill-count', 0] as const, 'the fill on the chart');
  const last = Number(String(await page.textContent('[data-testid="last-price"]')).replace(/,/g, ''));
  await page.selectOption('[data-testid="ticket-type"]', 'limit');
  await page.fill('[data-testid="ticket-qty"]', '0.1');
  await page.fill('[data-testid="ticket-limit"]', String(Math.round(last * 0.9)));
  await page.click('[data-testid="ticket-submit"]');
  await until(page, countAbove, ['open-orders', 0] as const, 'the resting limit order');
  // The price moves on: the position gets an unrealized P&L, more candles follow the fill.
  await until(page, countAbove, ['candle-count', 45] as const, 'more candles', 60_000);
  await page.screenshot({ path: OUT });
  process.stdout.write(`wrote ${OUT}\n`);
} finally {
  await stopAll(browser, tickflow.cli);
}
