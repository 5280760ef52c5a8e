import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { defaultAccountFile } from '../../src/cli/commands/default-account.ts';
import type { RunningCli } from '../support/cli.ts';
import { waitFor } from '../support/wait.ts';
import { countAbove, launchChromium, newDashboardPage, startTickflow, stopAll, until, type PageElement } from './browser-harness.ts';

const SYMBOL = 'BINANCE:BTCUSDT';

let cli: RunningCli | undefined;
let browser: Browser | undefined;

after(() => stopAll(browser, cli));

declare const document: { querySelector(selector: string): PageElement | null };
declare const sessionStorage: { readonly length: number };
declare const localStorage: { readonly length: number };

interface Keys {
  readonly APCA_API_KEY_ID: string;
  readonly APCA_API_SECRET_KEY: string;
}

/** `data-value` of `[data-testid=id]` as a number (NaN when empty). */
const valueOf = (page: Page, id: string) => page.evaluate((testId) => Number(document.querySelector(`[data-testid="${testId}"]`)?.dataset.value || Number.NaN), id);

describe('the portfolio view in a real browser', () => {
  // A crypto symbol: it trades around the clock, so market orders fill at any hour.
  it('connects with the default paper account, places a market buy that fills into a position with a marker, and cancels a far limit order', async () => {
    const tickflow = await startTickflow({ TICKFLOW_SIM_RATE: '100', TICKFLOW_SYMBOLS: SYMBOL, TICKFLOW_STRATEGIES: JSON.stringify({ default: [] }) }, 'tickflow-portfolio-');
    cli = tickflow.cli;
    const { base } = tickflow;
    const keys = JSON.parse(readFileSync(defaultAccountFile(tickflow.dataDir), 'utf8')) as Keys;
    const rest = (path: string, init: RequestInit = {}) =>
      fetch(`${base}${path}`, { ...init, headers: { 'apca-api-key-id': keys.APCA_API_KEY_ID, 'apca-api-secret-key': keys.APCA_API_SECRET_KEY, ...init.headers } });
    const startingCash = Number(((await (await rest('/v2/account')).json()) as { cash: string }).cash);

    browser = await launchChromium();
    const { page, errors } = await newDashboardPage(browser);
    await page.goto(`${base}/`);
    await until(page, (symbol) => document.querySelector('[data-testid="selected-symbol"]')?.textContent === symbol, SYMBOL, `${SYMBOL} on the chart`);
    await until(page, countAbove, ['candle-count', 0] as const, 'candles');

    // Wrong keys: the API's 401, said plainly, and still the form.
    await page.fill('[data-testid="connect-form"] [name="keyId"]', keys.APCA_API_KEY_ID);
    await page.fill('[data-testid="connect-form"] [name="secret"]', 'not-the-secret');
    await page.click('[data-testid="connect-form"] button[type="submit"]');
    await until(page, () => /401/.test(document.querySelector('[data-testid="connect-message"]')?.textContent ?? ''), null, 'the 401 message');
    assert.equal(await page.isVisible('[data-testid="trading-body"]'), false);

    // The right keys: the account's summary, nothing of the keys in the URL or localStorage.
    await page.fill('[data-testid="connect-form"] [name="secret"]', keys.APCA_API_SECRET_KEY);
    await page.click('[data-testid="connect-form"] button[type="submit"]');
    await until(page, () => document.querySelector('[data-testid="trading"]')?.dataset.state === 'connected', null, 'the account connected');
    await until(page, () => document.querySelector('[data-testid="trade-updates-state"]')?.dataset.state === 'open', null, 'the trade_updates stream listening');
    assert.equal(await valueOf(page, 'account-cash'), startingCash);
    assert.equal(await valueOf(page, 'account-equity'), startingCash);
    assert.equal(await page.getAttribute('[data-testid="account-day-pl"]', 'data-sign'), 'flat');
    assert.equal(await page.textContent('[data-testid="ticket-symbol"]'), SYMBOL);
    assert.ok(!page.url().includes(keys.APCA_API_SECRET_KEY) && !page.url().includes(keys.APCA_API_KEY_ID), 'no key in the URL');
    assert.equal(await page.evaluate(() => localStorage.length), 0, 'nothing in localStorage');
    assert.equal(await page.evaluate(() => sessionStorage.length), 1, 'the keys in sessionStorage');

    // A market buy from the ticket: it fills, the position appears, a marker on the chart, less cash.
    await page.fill('[data-testid="ticket-qty"]', '0.01');
    await page.click('[data-testid="ticket-submit"]');
    // (A market order takes at most a quarter of each print: it may fill in parts, the row grows to 0.01.)
    await until(
      page,
      (symbol) => document.querySelector(`[data-testid="position-row"][data-symbol="${symbol}"] [data-field="qty"]`)?.textContent === '0.01',
      SYMBOL,
      'the position row with the whole 0.01',
    );
    await until(page, countAbove, ['fill-count', 0] as const, 'a fill marker on the chart');
    await until(page, (cash) => Number(document.querySelector('[data-testid="account-cash"]')?.dataset.value) < cash, startingCash, 'less cash after the buy');
    await until(page, () => Number(document.querySelector('[data-testid="open-orders"]')?.dataset.count) === 0, null, 'the filled order not among the open ones');
    assert.match(String(await page.textContent('[data-testid="order-message"]')), /^buy 0\.01 BINANCE:BTCUSDT market: /);
    const [filled] = (await (await rest('/v2/orders?status=closed')).json()) as Array<{ status: string; side: string }>;
    assert.equal(filled?.status, 'filled');

    // The API's refusal (selling more than held, no shorting crypto) is shown as it said it.
    await page.click('[data-testid="ticket-sell"]');
    await page.fill('[data-testid="ticket-qty"]', '1000');
    await page.click('[data-testid="ticket-submit"]');
    await until(page, () => document.querySelector('[data-testid="order-message"]')?.dataset.state === 'error', null, 'the refusal');
    const refusal = String(await page.textContent('[data-testid="order-message"]'));
    assert.ok(refusal.length > 10 && !/^sell 1000/.test(refusal), `the API's message (${refusal})`);

    // A limit buy far below the market rests in the open orders; its cancel button cancels it.
    await page.click('[data-testid="ticket-buy"]');
    await page.selectOption('[data-testid="ticket-type"]', 'limit');
    await page.fill('[data-testid="ticket-qty"]', '0.01');
    await page.fill('[data-testid="ticket-limit"]', '1');
    await page.click('[data-testid="ticket-submit"]');
    await until(page, countAbove, ['open-orders', 0] as const, 'the limit order open');
    const orderId = String(await page.getAttribute('[data-testid="open-order"]', 'data-order-id'));
    await page.click(`[data-testid="open-order"][data-order-id="${orderId}"] [data-testid="order-cancel"]`);
    await until(page, () => Number(document.querySelector('[data-testid="open-orders"]')?.dataset.count) === 0, null, 'the order gone from the open orders');
    const canceled = (await (await rest(`/v2/orders/${orderId}`)).json()) as { status: string };
    assert.equal(canceled.status, 'canceled');

    // A reload keeps the tab's connection (sessionStorage) and shows the same position.
    await page.reload();
    await until(page, (symbol) => document.querySelector(`[data-testid="position-row"][data-symbol="${symbol}"]`) !== null, SYMBOL, 'the position after a reload');
    await until(page, countAbove, ['equity-curve', 0] as const, 'the equity curve');
    await until(page, countAbove, ['fill-count', 0] as const, 'the fill marker after a reload (from the activities)');

    // Disconnecting forgets the keys.
    await page.click('[data-testid="trading-disconnect"]');
    await waitFor(async () => (await page.evaluate(() => sessionStorage.length)) === 0, 'the keys forgotten');
    assert.equal(await page.isVisible('[data-testid="connect-form"]'), true);

    assert.deepEqual(errors.filter((error) => !/status of 40[13]/.test(error)), [], 'no page or console errors (besides the 401 and 403 the test asked for)');
  });
});
