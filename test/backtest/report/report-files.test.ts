import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { csvField } from '../../../src/backtest/report/csv.ts';
import { computeStatistics } from '../../../src/backtest/report/statistics.ts';
import { summaryTable } from '../../../src/backtest/report/summary-table.ts';
import { writeReport } from '../../../src/backtest/report/write-report.ts';
import { backtestResult, T0 } from './fixture.ts';

const root = mkdtempSync(join(tmpdir(), 'tickflow-report-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe('writeReport', () => {
  it('the same result twice gives byte-identical report.json (and CSVs), wherever it is written', async () => {
    const first = await writeReport(backtestResult(), join(root, 'a', 'run'));
    const second = await writeReport(backtestResult(), join(root, 'b', 'run'));
    for (const file of ['report.json', 'orders.csv', 'fills.csv', 'equity.csv', 'report.html']) {
      assert.ok(readFileSync(join(first.dir, file)).equals(readFileSync(join(second.dir, file))), `${file} differs`);
    }
    const json = readFileSync(first.reportJson, 'utf8');
    assert.ok(!json.includes(root), 'report.json names the machine\'s path');
    assert.ok(!/NaN|Infinity/.test(json));
    const report = JSON.parse(json);
    assert.deepEqual(Object.keys(report), ['format', 'tickflowVersion', 'configuration', 'inputs', 'period', 'counts', 'statistics', 'final']);
    assert.equal(report.statistics.strategy.totalReturn, 0.089);
    // Rounded to 10 significant digits.
    assert.equal(report.statistics.trades.winRate, 0.6666666667);
    assert.deepEqual(report.configuration.params, { fast: 5, label: '</script><b>x</b>', slow: 20 });
    assert.deepEqual(report.inputs, [{ path: 'data/aapl.jsonl', bytes: 1234, sha256: 'b'.repeat(64) }]);
    assert.equal(report.period.firstEventAt, new Date(T0).toISOString());
  });

  it('replaces an earlier report of the same directory and leaves no temporary directory', async () => {
    const dir = join(root, 'runs', 'r1');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'stale.txt'), 'from before');
    await writeReport(backtestResult(), dir);
    assert.deepEqual(readdirSync(dir).sort(), ['equity.csv', 'fills.csv', 'orders.csv', 'report.html', 'report.json']);
    assert.deepEqual(readdirSync(join(root, 'runs')), ['r1']);
  });

  it('a failed write leaves the earlier report in place', async () => {
    const dir = join(root, 'runs', 'r2');
    await writeReport(backtestResult(), dir);
    const before = readFileSync(join(dir, 'report.json'));
    const broken = backtestResult({ fills: [{ ...backtestResult().fills[0]!, qty: '1e3' }] });
    await assert.rejects(writeReport(broken, dir), /not a decimal/);
    assert.ok(readFileSync(join(dir, 'report.json')).equals(before));
    assert.deepEqual(readdirSync(join(root, 'runs')).sort(), ['r1', 'r2']);
  });
});

describe('the CSV files', () => {
  it('RFC 4180 quoting', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField(null), '');
  });

  it('headers, ISO times, exact decimals as recorded', async () => {
    const files = await writeReport(backtestResult(), join(root, 'csv'));
    const fills = readFileSync(files.fillsCsv, 'utf8').split('\r\n');
    assert.equal(fills[0], 'id,order_id,transaction_time,symbol,side,qty,price,fee,cum_qty,leaves_qty,position_qty,liquidity');
    assert.equal(fills[1], `e1,o1,${new Date(T0 + 600_000).toISOString()},AAPL,buy,10,100,1,10,0,0,taker`);
    assert.equal(fills.length, 5 + 2);
    const orders = readFileSync(files.ordersCsv, 'utf8');
    assert.match(orders, /,canceled,0,,,.*,"canceled, ""by the strategy"""\r\n$/);
    const equity = readFileSync(files.equityCsv, 'utf8').split('\r\n');
    assert.equal(equity[0], 'time,equity,cash,gross_exposure,benchmark');
    assert.equal(equity[5], `${new Date(T0 + 86_400_000 + 390 * 60_000).toISOString()},990,990,990,997.5`);
  });
});

describe('summaryTable', () => {
  it('aligned columns, percentages, strategy beside the benchmark', () => {
    const text = summaryTable(backtestResult(), computeStatistics(backtestResult()));
    const lines = text.trimEnd().split('\n');
    assert.match(lines[0]!, /^crossover <test> {2}2026-01-05 → 2026-01-08$/);
    assert.match(lines[1]!, /strategy\s+SPY$/);
    assert.match(text, /^Total return\s+8\.90%\s+-0\.25%$/m);
    assert.match(text, /^Max drawdown\s+-10\.00%\s+-5\.00%$/m);
    assert.match(text, /^Win rate\s+66\.67%$/m);
    assert.match(text, /^Total fees\s+3\.60$/m);
    // Right-aligned: every figure of the strategy column ends in the same column.
    const end = lines[1]!.indexOf('strategy') + 'strategy'.length;
    for (const line of lines.slice(2)) assert.ok(line[end - 1] !== ' ' && (line[end] ?? ' ') === ' ', `not aligned: ${line}`);
  });
});
