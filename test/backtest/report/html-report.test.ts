import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { jsonForScript } from '../../../src/backtest/report/html-text.ts';
import { pageData } from '../../../src/backtest/report/page-data.ts';
import { writeReport } from '../../../src/backtest/report/write-report.ts';
import { launchChromium, newDashboardPage } from '../../web/browser-harness.ts';
import { within } from '../../support/wait.ts';
import { backtestResult, EQUITY } from './fixture.ts';

/** The little of the DOM the page-side functions use (this project's TypeScript has no DOM lib). */
interface Node {
  readonly dataset: Record<string, string | undefined>;
  readonly textContent: string | null;
  readonly width: number;
  readonly height: number;
  querySelectorAll(selector: string): Node[];
}
declare const document: { querySelector(selector: string): Node | null; querySelectorAll(selector: string): Node[]; body: Node };

const root = mkdtempSync(join(tmpdir(), 'tickflow-html-report-'));
let browser: Browser;
let page: Page;
let errors: string[];

before(async () => {
  const files = await writeReport(backtestResult(), join(root, 'run'));
  browser = await launchChromium();
  ({ page, errors } = await newDashboardPage(browser, { width: 1280, height: 900 }));
  await page.goto(pathToFileURL(files.reportHtml).href);
  await page.waitForFunction(() => document.body.dataset.drawn === 'true', undefined, { timeout: 20_000 });
});
after(async () => {
  await within(browser?.close() ?? Promise.resolve(), 10_000, 'closing the browser');
  rmSync(root, { recursive: true, force: true });
});

/** Per chart container: its data-count, data-markers and the sizes of its canvases. */
const charts = () =>
  page.evaluate(() =>
    [...document.querySelectorAll('.chart')].map((chart) => ({
      id: chart.dataset.testid,
      count: Number(chart.dataset.count),
      markers: chart.dataset.markers === undefined ? null : Number(chart.dataset.markers),
      canvases: [...chart.querySelectorAll('canvas')].map((canvas) => [canvas.width, canvas.height]),
    })),
  );

describe('report.html, opened from file:// in Chromium', () => {
  it('draws equity, drawdown and a price chart per symbol on canvases of non-zero size', async () => {
    const drawn = await charts();
    assert.deepEqual(drawn.map((chart) => chart.id), ['equity-chart', 'drawdown-chart', 'price-chart', 'price-chart', 'price-chart']);
    for (const chart of drawn) {
      assert.ok(chart.canvases.length > 0, `${chart.id} has no canvas`);
      assert.ok(chart.canvases.some(([width, height]) => width! > 0 && height! > 0), `${chart.id}: ${JSON.stringify(chart.canvases)}`);
    }
    // Every equity sample is a point (the starting cash shares the first sample's second).
    assert.equal(drawn[0]!.count, EQUITY.length);
    assert.equal(drawn[0]!.count, pageData(backtestResult()).equity.length);
    // AAPL: a buy and a sell bar; MSFT: three; SPY: none.
    assert.deepEqual(drawn.slice(2).map((chart) => [chart.count, chart.markers]), [[32, 2], [32, 3], [32, 0]]);
  });

  it('shows the statistics, the monthly returns and the configuration', async () => {
    const text = await page.evaluate(() => ({
      statistics: document.querySelector('[data-testid="statistics"]')?.textContent ?? '',
      monthly: document.querySelector('[data-testid="monthly-returns"]')?.textContent ?? '',
      all: document.body.textContent ?? '',
    }));
    assert.match(text.statistics, /Total return8\.90%-0\.25%/);
    assert.match(text.statistics, /Sharpe ratio4\.15/);
    assert.match(text.statistics, /Win rate66\.67%/);
    assert.match(text.monthly, /20268\.90%/);
    // The parameter that looks like markup is shown as text.
    assert.match(text.all, /<\/script><b>x<\/b>/);
    assert.deepEqual(errors, []);
  });
});

describe('jsonForScript', () => {
  it('no </script> or <!-- survives, the value does', () => {
    const value = { a: '</script><script>alert(1)</script>', b: '<!--', c: '\u2028' };
    const text = jsonForScript(value);
    assert.ok(!text.includes('<'));
    assert.deepEqual(JSON.parse(text), value);
    assert.ok(!readFileSync(join(root, 'run', 'report.html'), 'utf8').includes('</script><b>'));
  });
});
