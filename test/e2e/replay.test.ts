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

/**
 * Eight thousand trades of six symbols on 2026-11-20, out of order between symbols by up to a second,
 * with a bad line first, one in the middle and one last.
 */
function severalSymbols(): string[] {
  const start = Date.UTC(2026, 10, 20, 14, 30);
  const symbols = ['AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMZN', 'BINANCE:BTCUSDT'];
  let seed = 42;
  const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  const prices = symbols.map((_, i) => 100 + i * 50);
  const last = symbols.map(() => 0);
  const lines = ['{"not": json'];
  for (let i = 0; i < 8_000; i++) {
    const s = Math.floor(random() * symbols.length);
    prices[s] = Math.round(prices[s]! * (1 + (random() - 0.5) * 0.004) * 100) / 100;
    last[s] = Math.max(last[s]!, start + i * 97 - Math.floor(random() * 1_000));
    lines.push(JSON.stringify({ type: 'trade', source: 'recorded', symbol: symbols[s], price: prices[s], size: 1 + Math.floor(random() * 500), conditions: null, tsEvent: last[s], tsRecv: last[s]! + 3, seq: i }));
    if (i === 4_000) lines.push('{"type":"trade","symbol":"AAPL","price":-1}');
  }
  lines.push('truncated');
  return lines;
}

describe('tickflow replay', () => {
  it('fails, saying so, when every line of the file is rejected', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tickflow-replay-'));
    const input = join(dir, 'garbage.jsonl');
    writeFileSync(input, ['not json', '{"value":{"type":"trade"}}', '[]'].join('\n') + '\n');
    const cli = startCli(['replay', input, '--archive', join(dir, 'out'), '--no-progress'], { TICKFLOW_DATA_DIR: dir });
    assert.equal(await within(cli.exited, 30_000, 'replay'), 1, cli.stderr());
    assert.match(cli.stdout(), /replay failed: every line was rejected/);
  });

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
    // Dead-lettered at the recording's time (the receive time of the trade before the bad line), so on the recording's day.
    const deadLetters = jsonLines(join(archive, 'dead-letter', '2026-11-20.jsonl'));
    assert.equal(deadLetters.length, 1);
    assert.match(String(deadLetters[0]!.value.reason), /line 11/);
    assert.equal(deadLetters[0]!.value.tsRecv, trades[9]!.tsRecv);
  });

  it('archives the same bytes every time it replays the same file (metrics, bars, signals, dead letters)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tickflow-replay-'));
    const input = join(dir, 'input.jsonl');
    writeFileSync(input, severalSymbols().join('\n') + '\n');
    const archives = [join(dir, 'first'), join(dir, 'second')];
    for (const archive of archives) {
      // Four partitions configured: a replay still runs on one (REPLAY_PARTITIONS).
      const cli = startCli(['replay', input, '--archive', archive, '--no-progress'], { TICKFLOW_DATA_DIR: dir, TICKFLOW_PARTITIONS: '4' });
      assert.equal(await within(cli.exited, 60_000, 'replay'), 0, cli.stderr());
    }
    const files = (archive: string) => readdirSync(archive, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name).slice(archive.length)).sort();
    const [first, second] = archives as [string, string];
    assert.deepEqual(files(second), files(first));
    assert.deepEqual(files(first), ['/aggregated-metrics/2026-11-20.jsonl', '/dead-letter/2026-11-20.jsonl', '/raw-market-data/2026-11-20.jsonl', '/trading-signals/2026-11-20.jsonl']);
    for (const file of files(first)) assert.ok(readFileSync(join(second, file)).equals(readFileSync(join(first, file))), `${file} differs between the two replays`);
    const lines = (file: string) => jsonLines(join(first, file)).map((line) => line.value);
    assert.ok(lines('/aggregated-metrics/2026-11-20.jsonl').filter((value) => value.type === 'bar').length > 100);
    assert.ok(lines('/trading-signals/2026-11-20.jsonl').length > 10);
    assert.equal(lines('/dead-letter/2026-11-20.jsonl').length, 3);
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
