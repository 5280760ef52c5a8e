import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openBacktestData } from '../../../src/backtest/data/backtest-data.ts';
import { ERROR_CODES, TickflowError } from '../../../src/errors.ts';
import { openLeanInput } from '../../../src/sources/replay/lean/lean-input.ts';
import { readAll, WEEK } from './week-data.ts';

const SPY_TICKS = fileURLToPath(new URL('../../../../shared/data/lean-spy-20131007/tick_spy_20131007_trade.zip', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'backtest-data-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const isInputError = (pattern: RegExp) => (error: unknown) => error instanceof TickflowError && error.code === ERROR_CODES.REPLAY_INPUT && pattern.test(error.message);

describe('backtest inputs', () => {
  it('read the SPY tick day as the replay does, batch by batch', async () => {
    const input = await openLeanInput(SPY_TICKS);
    const replayed = [];
    let lineNumber = 0;
    for await (const line of input.lines()) replayed.push(input.parse(line, ++lineNumber));
    await input.close();
    const data = await openBacktestData([SPY_TICKS]);
    const events = [];
    for await (const batch of data.batches()) {
      assert.ok(batch.length >= 1_000 || events.length + batch.length === replayed.length, `a batch of ${batch.length}`);
      events.push(...batch);
    }
    assert.equal(events.length, 250_601);
    assert.ok(JSON.stringify(events) === JSON.stringify(replayed), 'the same trades as the replay, in the same order');
    assert.equal(data.bytesRead(), data.totalBytes);
  });

  it('count a malformed line, naming file and line, instead of throwing', async () => {
    const zip = join(dir, 'bad', 'minute', 'spy', '20131007_trade.zip');
    mkdirSync(join(zip, '..'), { recursive: true });
    const csv = join(dir, '20131007_spy_minute_trade.csv');
    writeFileSync(csv, '34200000,1674300,1674500,1674200,1674400,1000\nnot,a,bar\n34260000,1674400,1674600,1674300,1674500,900\n');
    await import('node:child_process').then(({ execFileSync }) => execFileSync('zip', ['-j', '-q', zip, csv]));
    const data = await openBacktestData([join(dir, 'bad')]);
    let count = 0;
    for await (const batch of data.batches()) count += batch.length;
    assert.equal(count, 2);
    assert.equal(data.rejected().count, 1);
    assert.match(data.rejected().examples[0]!, /20131007_trade\.zip:2: expected 6 numbers/);
  });

  it('read trades, quotes, bars and quote bars of our JSON Lines archives, skipping other records', async () => {
    const archive = join(dir, 'archive', 'market.raw');
    mkdirSync(archive, { recursive: true });
    const trade = { type: 'trade', source: 'finnhub', symbol: 'SPY', price: 167.4, size: 100, conditions: ['1'], tsEvent: Date.UTC(2013, 9, 7, 14, 0), tsRecv: Date.UTC(2013, 9, 7, 14, 0, 1), seq: 7 };
    const bar = { type: 'bar', symbol: 'SPY', interval: '1m', start: trade.tsEvent - 60_000, end: trade.tsEvent, open: 1, high: 2, low: 1, close: 2, volume: 5, vwap: 1.5, count: 2, tsEvent: trade.tsEvent, tsRecv: trade.tsEvent };
    const quote = { type: 'quote', source: 'lean', symbol: 'OANDA:EUR_USD', bid: 1.1, ask: 1.2, bidSize: null, askSize: null, tsEvent: trade.tsEvent + 1, tsRecv: trade.tsEvent + 1, seq: 1 };
    const lines = [
      JSON.stringify({ partition: 0, offset: 1, key: 'SPY', timestamp: trade.tsRecv, value: trade }),
      JSON.stringify(bar),
      JSON.stringify(quote),
      JSON.stringify({ type: 'metrics', symbol: 'SPY', tsEvent: trade.tsEvent }),
      '{"type":"trade"',
    ];
    writeFileSync(join(archive, '2013-10-07.jsonl'), lines.join('\n') + '\n');
    writeFileSync(join(archive, '2013-10-01.jsonl'), 'never opened: out of the days asked for\n');

    const data = await openBacktestData([join(dir, 'archive')], { from: '2013-10-07', to: '2013-10-07', quotes: true });
    assert.deepEqual(data.files.map((file) => file.path), [join(dir, 'archive', 'market.raw', '2013-10-07.jsonl')]);
    const events = [];
    for await (const batch of data.batches()) events.push(...batch);
    assert.deepEqual(events, [trade, bar, quote]);
    assert.equal(data.skipped(), 1);
    assert.equal(data.rejected().count, 1);
    assert.deepEqual(await readAll([join(dir, 'archive')], { from: '2013-10-07', to: '2013-10-07' }), [trade, bar]);
    assert.deepEqual(await readAll([join(dir, 'archive')], { from: '2013-10-08' }), []);
    assert.deepEqual(await readAll([join(dir, 'archive')], { from: '2013-10-09' }).catch(String), `TickflowError: no file in ${join(dir, 'archive')} holds data of the days, symbols and types asked for`);
  });

  it('leave the files of other days unopened: a broken zip of another day is no error', async () => {
    const days = join(dir, 'days', 'minute', 'spy');
    mkdirSync(days, { recursive: true });
    copyFileSync(join(WEEK, 'minute/spy/20131007_trade.zip'), join(days, '20131007_trade.zip'));
    writeFileSync(join(days, '20131008_trade.zip'), 'not a zip');
    const events = await readAll([join(dir, 'days')], { to: '2013-10-07' });
    assert.ok(events.length > 800);
    await assert.rejects(readAll([join(dir, 'days')]), isInputError(/20131008_trade\.zip/));
  });

  it('name a file that is neither a Lean zip nor an archive, and say when nothing was found', async () => {
    const notes = join(dir, 'notes.txt');
    writeFileSync(notes, 'hello');
    await assert.rejects(openBacktestData([notes]), isInputError(/notes\.txt is neither a Lean data zip/));
    const oddZip = join(dir, 'odd', 'data.zip');
    mkdirSync(join(oddZip, '..'), { recursive: true });
    writeFileSync(oddZip, 'not a zip');
    await assert.rejects(openBacktestData([join(dir, 'odd')]), isInputError(/data\.zip is neither/));
    mkdirSync(join(dir, 'empty'));
    await assert.rejects(openBacktestData([join(dir, 'empty')]), isInputError(/no \.zip or \.jsonl file found/));
    await assert.rejects(openBacktestData([WEEK], { from: '2013-13-01' }), /from must be a date/);
  });
});
