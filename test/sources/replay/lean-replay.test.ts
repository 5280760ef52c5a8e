import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ERROR_CODES, TickflowError } from '../../../src/errors.ts';
import type { Quote } from '../../../src/model/quote.ts';
import type { Trade } from '../../../src/model/trade.ts';
import { OPENING_AUCTION } from '../../../src/model/trade-eligibility.ts';
import { describeLeanFile } from '../../../src/sources/replay/lean/lean-file.ts';
import { openLeanInput } from '../../../src/sources/replay/lean/lean-input.ts';
import { leanLineParser } from '../../../src/sources/replay/lean/lean-records.ts';
import { algoSeekFlags, ALGOSEEK_CONDITION } from '../../../src/sources/replay/lean/algoseek-flags.ts';
import { auctionPrintMarker, CLOSING_AUCTION_CONDITION, OPENING_AUCTION_CONDITION } from '../../../src/sources/replay/lean/auction-prints.ts';
import { loadLeanReferenceBars } from '../../../src/sources/replay/lean/reference-bars.ts';
import { loadLeanReferenceQuoteBars } from '../../../src/sources/replay/lean/reference-quote-bars.ts';
import { leanEquityEligibility } from '../../../src/sources/replay/lean/sale-conditions.ts';
import { ReplaySource } from '../../../src/sources/replay/replay-source.ts';
import { waitFor, within } from '../../support/wait.ts';
import { collectingSink } from './sink.ts';

const DATA = join(import.meta.dirname, '../../../../shared/data');
const SPY_TICKS = join(DATA, 'lean-spy-20131007/tick_spy_20131007_trade.zip');
const EURUSD_TICKS = join(DATA, 'lean-eurusd-20140502/tick_eurusd_20140502_quote.zip');
const FIXTURE = join(import.meta.dirname, '../../fixtures/replay/tick_spy_20131007_trade.zip');

async function firstLines(path: string, count: number): Promise<Array<Trade | Quote>> {
  const input = await openLeanInput(path);
  const trades: Array<Trade | Quote> = [];
  let lineNumber = 0;
  for await (const line of input.lines()) {
    const parsed = input.parse(line, ++lineNumber);
    assert.equal(typeof parsed, 'object', String(parsed));
    trades.push(parsed as Trade | Quote);
    if (trades.length === count) break;
  }
  await input.close();
  return trades;
}

describe('Lean replay', () => {
  it('maps the first SPY trades to UTC from New York daylight time (UTC−4), in dollars', async () => {
    const [first, second] = await firstLines(SPY_TICKS, 2);
    // 14400464,1674100,100,P,20002000,0 → 04:00:00.464 EDT on 2013-10-07
    assert.deepEqual(first, {
      type: 'trade', source: 'lean', symbol: 'SPY', price: 167.41, size: 100, conditions: ['20002000'],
      tsEvent: Date.parse('2013-10-07T08:00:00.464Z'), tsRecv: Date.parse('2013-10-07T08:00:00.464Z'), seq: 2013100700000001,
    });
    assert.equal(second!.seq, 2013100700000002);
    assert.equal((second as Trade).size, 1_400);
  });

  it('maps EUR/USD quote ticks to quotes (bid and ask as written, no sizes) at UTC times', async () => {
    const [first, second] = await firstLines(EURUSD_TICKS, 2);
    // 277,1.38694,1.38705
    assert.deepEqual(first, {
      type: 'quote', source: 'lean', symbol: 'OANDA:EUR_USD', bid: 1.38694, ask: 1.38705, bidSize: null, askSize: null,
      tsEvent: Date.parse('2014-05-02T00:00:00.277Z'), tsRecv: Date.parse('2014-05-02T00:00:00.277Z'), seq: 2014050200000001,
    });
    // 2339,1.38692,1.38706
    assert.deepEqual([(second as Quote).bid, (second as Quote).ask, second!.seq], [1.38692, 1.38706, 2014050200000002]);
  });

  it('replays a zip with CRLF lines, dead-lettering a bad line with its number', async () => {
    const source = new ReplaySource({ path: FIXTURE });
    const sink = collectingSink();
    await source.start(sink);
    await within(source.done, 5_000, 'the fixture replay');
    const trades = sink.batches.flat() as Trade[];
    assert.equal(trades.length, 6);
    assert.deepEqual(trades.map((t) => t.seq - 2013100700000000), [1, 2, 3, 4, 6, 7]);
    assert.deepEqual(trades[4]!.conditions, ['1', 'suspicious']);
    // The listing exchange's (NYSE Arca, P) first official-open or opening print, and first closing print.
    assert.deepEqual([trades[2]!.conditions, trades[5]!.conditions], [['4000000', 'opening-auction'], ['20000080', 'closing-auction']]);
    assert.equal(sink.letters.length, 1);
    assert.equal(sink.letters[0]!.origin, 'lean');
    assert.match(sink.letters[0]!.reason, /line 5: expected 6 fields/);
    assert.equal(sink.letters[0]!.raw, 'not,a,trade');
    const progress = source.progress();
    assert.deepEqual([progress.lines, progress.records, progress.rejects, progress.bytesRead === progress.totalBytes], [7, 6, 1, true]);
    // The Lean bar rule on these prints: pre-market prints count, the auctions' prints open and close,
    // an in-session sweep is volume only, a suspicious tick is ignored.
    assert.deepEqual(trades.map(leanEquityEligibility), [
      'full', 'full', OPENING_AUCTION, 'volume', 'none', { auction: 'closing', sessionEnd: Date.parse('2013-10-07T20:00:00Z') },
    ]);
  });

  it('closes in the middle of a large file without reading on', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const source = new ReplaySource({ path: SPY_TICKS, batchSize: 3 });
    const sink = collectingSink(async () => {
      if (sink.batches.length === 2) await gate;
    });
    await source.start(sink);
    await waitFor(() => sink.batches.length === 2, 'two batches');
    const closed = source.close();
    release();
    await within(closed, 2_000, 'close');
    assert.equal(source.status().records, 6);
    assert.ok(source.progress().bytesRead < 7_583_608);
  });

  it('refuses Lean files it cannot replay', async () => {
    const minute = new ReplaySource({ path: join(DATA, 'lean-spy-20131007/minute_spy_20131007_trade.zip') });
    await assert.rejects(minute.start(collectingSink()), (error: unknown) => error instanceof TickflowError && error.code === ERROR_CODES.REPLAY_INPUT);
    const notZip = new ReplaySource({ path: join(import.meta.dirname, '../../fixtures/replay/raw-archive.jsonl'), format: 'lean' });
    await assert.rejects(notZip.start(collectingSink()), /cannot open zip/);
  });
});

describe('Lean file names and lines', () => {
  it('reads symbol, date, resolution and type from the entry, the zip name or Lean’s own layout', () => {
    assert.deepEqual(describeLeanFile('/x/tick_spy_20131007_trade.zip', '20131007_spy_Trade_Tick.csv'), {
      symbol: 'SPY', date: '20131007', resolution: 'tick', dataType: 'trade', assetClass: 'equity', timeZone: 'America/New_York', primaryExchange: 'P',
    });
    assert.equal(describeLeanFile('/x/tick_ibm_20131007_trade.zip', 'x.csv').primaryExchange, null);
    assert.equal(describeLeanFile('/x/tick_ibm_20131007_trade.zip', 'x.csv', { primaryExchange: 'N' }).primaryExchange, 'N');
    assert.equal(describeLeanFile('/x/a.zip', '20140502_eurusd_minute_quote.csv').symbol, 'OANDA:EUR_USD');
    assert.equal(describeLeanFile('/x/a.zip', '20140502_eurusd_minute_quote.csv').timeZone, 'UTC');
    assert.equal(describeLeanFile('/x/a.zip', '20140502_eurusd_minute_quote.csv').primaryExchange, null);
    const native = describeLeanFile('/data/equity/usa/second/aapl/20200102_trade.zip', 'odd-name.csv');
    assert.deepEqual([native.symbol, native.resolution, native.date], ['AAPL', 'second', '20200102']);
    assert.equal(describeLeanFile('/x/tick_spy_20131007_trade.zip', 'x.csv', { symbol: 'SPY.US' }).symbol, 'SPY.US');
    assert.throws(() => describeLeanFile('/x/data.zip', 'data.csv'), (error: unknown) => (error as TickflowError).code === ERROR_CODES.REPLAY_INPUT);
    assert.throws(() => describeLeanFile('/x/tick_spy_20131007_trade.zip', 'x.csv', { timeZone: 'Mars/Olympus' }), /time zone/);
  });

  it('converts with the zone’s rules on the day: EST in winter, both sides of a DST change', () => {
    const parse = (date: string, line: string) => leanLineParser({ ...describeLeanFile('/x/tick_spy_20131007_trade.zip', 'x.csv'), date })(line, 1) as Trade;
    assert.equal(parse('20140102', '34200000,1000000,1,P,1,0').tsEvent, Date.parse('2014-01-02T14:30:00Z'));
    // 2013-11-03: clocks went back at 02:00 EDT → 01:00 EST.
    assert.equal(parse('20131103', '1800000,1000000,1,P,1,0').tsEvent, Date.parse('2013-11-03T04:30:00Z'));
    assert.equal(parse('20131103', '10800000,1000000,1,P,1,0').tsEvent, Date.parse('2013-11-03T08:00:00Z'));
  });

  it('explains what is wrong with a bad line', () => {
    const parse = leanLineParser(describeLeanFile('/x/tick_spy_20131007_trade.zip', 'x.csv'));
    assert.match(parse('1,2,3', 1) as string, /expected 6 fields/);
    assert.match(parse('abc,1674100,100,P,1,0', 1) as string, /time/);
    assert.match(parse('86400000,1674100,100,P,1,0', 1) as string, /time/);
    assert.match(parse('1,-5,100,P,1,0', 1) as string, /price/);
    assert.match(parse('1,1674100,1.5,P,1,0', 1) as string, /size/);
    const forex = leanLineParser(describeLeanFile('/x/a.zip', '20140502_eurusd_tick_quote.csv'));
    assert.match(forex('1,0,1.3', 1) as string, /bid and ask/);
    assert.match(forex('1,1.3', 1) as string, /expected 3 fields/);
  });

  it('loads Lean reference quote bars, forex as written and equity in dollars; refuses them as trade bars', async () => {
    const forex = await loadLeanReferenceQuoteBars(join(DATA, 'lean-eurusd-20140502/minute_eurusd_20140502_quote.zip'));
    // 0,1.38694,1.38694,1.38683,1.38684,0,1.38705,1.38706,1.38697,1.38699,0
    assert.deepEqual(forex.bars[0], {
      start: Date.parse('2014-05-02T00:00:00Z'),
      bid: { open: 1.38694, high: 1.38694, low: 1.38683, close: 1.38684 },
      ask: { open: 1.38705, high: 1.38706, low: 1.38697, close: 1.38699 },
      lastBidSize: 0,
      lastAskSize: 0,
    });
    const spy = await loadLeanReferenceQuoteBars(join(DATA, 'lean-usa-week-20131007/minute/spy/20131007_quote.zip'));
    // 14400000,1672700,1672700,1671500,1672500,300,1680000,1680000,1672600,1672700,20000 (04:00 EDT)
    assert.deepEqual(spy.bars[0], {
      start: Date.parse('2013-10-07T08:00:00Z'),
      bid: { open: 167.27, high: 167.27, low: 167.15, close: 167.25 },
      ask: { open: 168, high: 168, low: 167.26, close: 167.27 },
      lastBidSize: 300,
      lastAskSize: 20_000,
    });
    await assert.rejects(loadLeanReferenceBars(join(DATA, 'lean-eurusd-20140502/minute_eurusd_20140502_quote.zip')), /loadLeanReferenceQuoteBars/);
    await assert.rejects(loadLeanReferenceQuoteBars(join(DATA, 'lean-spy-20131007/minute_spy_20131007_trade.zip')), /must be second or minute quote bars/);
  });

  it('marks the print of each auction: the listing exchange\'s first opening (closing) print of the day', () => {
    const mark = auctionPrintMarker('P');
    const marks = [
      ['Q', '20200040'], // Nasdaq's opening cross
      ['P', '20000040'], // NYSE Arca's opening auction: its first print
      ['P', '20000040'],
      ['P', '4000000'], // … and its official open
      ['P', '1'],
      ['P', '20000080'], // the closing auction's first print
      ['P', '1000000'], // the official close
    ].map(([exchange, condition]) => mark(exchange!, condition!));
    assert.deepEqual(marks, [null, OPENING_AUCTION_CONDITION, null, null, null, CLOSING_AUCTION_CONDITION, null]);
    assert.equal(auctionPrintMarker(null)('P', '20000040'), null, 'no listing exchange, no mark');
  });

  it('closes the session at 16:00 New York time, in winter too, and leaves unmarked auction reports out', () => {
    const parse = leanLineParser({ ...describeLeanFile('/x/tick_spy_20131007_trade.zip', 'x.csv'), date: '20140102' });
    const [closing, officialClose] = ['57600500,1000000,300,P,20000080,0', '57600600,1000000,300000,P,1000000,0'].map((line, index) => parse(line, index + 1) as Trade);
    assert.deepEqual(leanEquityEligibility(closing!), { auction: 'closing', sessionEnd: Date.parse('2014-01-02T21:00:00Z') });
    assert.equal(leanEquityEligibility(officialClose!), 'none');
  });

  it('decodes AlgoSeek sale conditions', () => {
    assert.equal(algoSeekFlags({ conditions: ['20000020'] }), ALGOSEEK_CONDITION.TRADE_THROUGH_EXEMPT | ALGOSEEK_CONDITION.INTERMARKET_SWEEP);
    assert.equal(algoSeekFlags({ conditions: null }), null);
    assert.equal(algoSeekFlags({ conditions: ['@F'] }), null);
  });
});
