import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { compareBars, type ComparedBar } from '../../src/sources/replay/lean/compare-bars.ts';
import { loadLeanReferenceBars } from '../../src/sources/replay/lean/reference-bars.ts';
import { startCli } from '../support/cli.ts';
import { within } from '../support/wait.ts';

const SPY_MINUTES = fileURLToPath(new URL('../../../shared/data/lean-spy-20131007/minute_spy_20131007_trade.zip', import.meta.url));
const SPY = fileURLToPath(new URL('../../../shared/data/lean-spy-20131007/tick_spy_20131007_trade.zip', import.meta.url));

function jsonLines(path: string): Array<{ key: string; value: Record<string, unknown> }> {
  return readFileSync(path, 'utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
}

describe('tickflow replay', () => {
  it('replays a tickflow archive through the pipeline, keeping every trade identity, and dead-letters a bad line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tickflow-replay-'));
    const start = Date.UTC(2026, 10, 20, 15, 0, 0);
    const trades = Array.from({ length: 30 }, (_, i) => ({
      type: 'trade', source: 'finnhub', symbol: i % 3 ? 'AAPL' : 'BINANCE:BTCUSDT', price: 100 + i / 10, size: i % 3 ? 10 : 0.25,
      conditions: i % 3 ? ['1'] : null, tsEvent: start + i * 150, tsRecv: start + i * 150 + 7, seq: 1_763_650_800_000_000 + i,
    }));
    const lines = trades.map((value, offset) => JSON.stringify({ partition: 0, offset, key: value.symbol, timestamp: value.tsRecv, value }));
    lines.splice(10, 0, '{"partition":0,"offset":99,"value":{not json');
    const input = join(dir, 'input.jsonl');
    writeFileSync(input, lines.join('\n') + '\n');

    const archive = join(dir, 'out');
    const cli = startCli(['replay', input, '--archive', archive, '--no-progress'], { TICKFLOW_DATA_DIR: dir });
    assert.equal(await within(cli.exited, 30_000, 'replay'), 0, cli.stderr());
    assert.match(cli.stdout(), /replay finished: 30 trades/);

    const replayed = jsonLines(join(archive, 'raw-market-data', '2026-11-20.jsonl')).map((line) => line.value);
    assert.deepEqual(
      replayed.map((trade) => `${trade.source}:${trade.seq}`).sort(),
      trades.map((trade) => `${trade.source}:${trade.seq}`).sort(),
    );
    const bars = jsonLines(join(archive, 'aggregated-metrics', '2026-11-20.jsonl')).map((line) => line.value).filter((value) => value.type === 'bar');
    const minute = bars.filter((bar) => bar.interval === '1m' && bar.symbol === 'AAPL');
    assert.equal(minute.length, 1);
    assert.equal(minute[0]!.count, 20);
    const deadLetters = jsonLines(join(archive, 'dead-letter', new Date().toISOString().slice(0, 10) + '.jsonl'));
    assert.equal(deadLetters.length, 1);
    assert.match(String(deadLetters[0]!.value.reason), /line 11/);
  });

  it('replays the full SPY day from Lean\'s zip and reproduces Lean\'s own minute bars', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tickflow-replay-'));
    const cli = startCli(['replay', SPY, '--no-progress'], { TICKFLOW_DATA_DIR: dir });
    assert.equal(await within(cli.exited, 90_000, 'SPY replay'), 0, cli.stderr());
    assert.match(cli.stdout(), /replay finished: 250601 trades/);
    // Files are per UTC day: the after-hours session runs past midnight UTC.
    const metricsDir = join(dir, 'replay', 'tick_spy_20131007_trade', 'aggregated-metrics');
    const bars = readdirSync(metricsDir)
      .flatMap((file) => jsonLines(join(metricsDir, file)))
      .map((line) => line.value)
      .filter((value) => value.type === 'bar' && value.interval === '1m');
    const reference = await loadLeanReferenceBars(SPY_MINUTES);
    const comparison = compareBars(bars as unknown as ComparedBar[], reference.bars);
    assert.equal(comparison.reference, 828);
    // Every one, the auctions included: the closing auction's print lands within the default bar lateness (bench/README.md).
    assert.equal(comparison.exact, 828, `${comparison.exact} of 828 minute bars match Lean exactly`);
  });

  it('says which argument is wrong', async () => {
    const missing = startCli(['replay', '/nonexistent.jsonl'], {});
    assert.equal(await within(missing.exited, 15_000, 'exit'), 2);
    assert.match(missing.stderr(), /no such file: \/nonexistent\.jsonl/);
    const speed = startCli(['replay', SPY, '--speed', 'fast'], {});
    assert.equal(await within(speed.exited, 15_000, 'exit'), 2);
    assert.match(speed.stderr(), /--speed must be "max" or a positive multiple/);
  });
});
