import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { strategyFile } from '../run/support.ts';
import { backtestCli, freshDir, WEEK } from './support.ts';

interface ReportJson {
  readonly configuration: { readonly params: Record<string, unknown> };
  readonly inputs: readonly { readonly path: string }[];
}
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as ReportJson;

describe('tickflow backtest on the command line', () => {
  it('runs a strategy over a week of minute bars, writes every report file, and writes the same report.json twice', async () => {
    const args = ['--strategy', 'examples/sma-cross.ts', '--param', 'fast=5', '--symbol', 'SPY', '--symbol', 'BAC', '--from', '2013-10-07', '--to', '2013-10-09', '--quiet', WEEK];
    const first = await backtestCli([...args, '--out', join(freshDir('tickflow-bt-'), 'a')]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /sma-cross {2}2013-10-07 → 2013-10-09/);
    assert.match(first.stdout, /Sharpe ratio/);
    const out = /report {3}(.*)report\.html/.exec(first.stdout)![1]!;
    const dir = join(process.cwd(), out);
    for (const file of ['report.json', 'orders.csv', 'fills.csv', 'equity.csv', 'report.html']) assert.ok(existsSync(join(dir, file)), `${file} missing`);
    const report = readJson(join(dir, 'report.json'));
    assert.equal(report.configuration.params.fast, 5);
    assert.deepEqual(report.inputs.map((input: { path: string }) => input.path.replace(/^.*minute\//, '')), [
      'bac/20131007_trade.zip', 'bac/20131008_trade.zip', 'bac/20131009_trade.zip', 'spy/20131007_trade.zip', 'spy/20131008_trade.zip', 'spy/20131009_trade.zip',
    ]);
    const second = await backtestCli([...args, '--out', join(freshDir('tickflow-bt-'), 'b')]);
    assert.equal(second.code, 0, second.stderr);
    const secondDir = join(process.cwd(), /report {3}(.*)report\.html/.exec(second.stdout)![1]!);
    assert.ok(readFileSync(join(secondDir, 'report.json')).equals(readFileSync(join(dir, 'report.json'))), 'report.json differs between two identical runs');
  });

  it('sweeps a grid on worker threads and ranks the runs, each with its own report', async () => {
    const run = await backtestCli(['--strategy', 'examples/sma-cross.ts', '--grid', 'fast=5,10', '--grid', 'slow=20,40', '--symbol', 'SPY', '--from', '2013-10-07', '--to', '2013-10-08', '--workers', '2', WEEK]);
    assert.equal(run.code, 0, run.stderr);
    const rows = run.stdout.trim().split('\n').slice(1);
    assert.equal(rows.length, 4);
    const dirs = readdirSync(join(run.dataDir, 'backtests')).filter((name) => !name.startsWith('.'));
    assert.equal(dirs.length, 4);
    const params = dirs.map((name) => readJson(join(run.dataDir, 'backtests', name, 'report.json')).configuration.params).map((p) => `${p.fast}/${p.slow}`).sort();
    assert.deepEqual(params, ['10/20', '10/40', '5/20', '5/40']);
    const sharpes = rows.map((row) => row.split(/\s{2,}/)[4]!).map((text) => (text === '—' ? -Infinity : Number(text)));
    assert.deepEqual(sharpes, [...sharpes].sort((a, b) => b - a), 'ranked by Sharpe');
  });

  it('stops on a parameter the strategy refuses, naming it, before reading any data', async () => {
    const run = await backtestCli(['--strategy', 'examples/sma-cross.ts', '--param', 'fast=zero', WEEK]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /examples\/sma-cross\.ts: parameter fast: must be an integer, got "zero"/);
    const unknown = await backtestCli(['--strategy', 'examples/sma-cross.ts', '--param', 'fats=3', WEEK]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown parameter fats; the strategy takes fast, slow, kind, percent/);
  });

  it('names the file and line of a strategy that does not load', async () => {
    const path = strategyFile(`export default {\n  name: 'broken',\n  setup() {\n    return { onBar(bar) { bar. } };\n  },\n};\n`);
    const run = await backtestCli(['--strategy', path, WEEK]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /strategy .*strategy\.ts:\d+.* does not load/);
    assert.equal(existsSync(join(run.dataDir, 'backtests')), false);
  });

  it('stops at a handler that throws, naming the file, line and event, and leaves no report', async () => {
    const path = strategyFile(`export default {
  name: 'thrower',
  setup() {
    let bars = 0;
    return {
      onBar(bar) {
        if (++bars === 50) throw new RangeError('too many bars for ' + bar.symbol);
      },
    };
  },
};
`);
    const run = await backtestCli(['--strategy', path, '--symbol', 'IBM', WEEK]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /strategy .*strategy\.ts:7:\d+ threw in onBar \(bar IBM at 2013-10-04T\d\d:\d\d:00\.000Z\): RangeError: too many bars for IBM/);
    const runs = existsSync(join(run.dataDir, 'backtests')) ? readdirSync(join(run.dataDir, 'backtests')) : [];
    assert.deepEqual(runs, []);
  });

  it('lists a strategy\'s parameters', async () => {
    const run = await backtestCli(['--strategy', 'examples/sma-cross.ts', '--list-params']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /--param fast=<integer 1\.\.1000> +default 10 {2}bars in the fast average/);
    assert.match(run.stdout, /--param kind=<sma\|ema> +default sma/);
  });
});
