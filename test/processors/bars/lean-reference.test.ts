import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Bar, BarInterval } from '../../../src/model/bar.ts';
import type { MarketRecord } from '../../../src/model/market-record.ts';
import type { Trade } from '../../../src/model/trade.ts';
import { BarBuilder } from '../../../src/processors/bars/bar-builder.ts';
import { compareBars, type BarComparison } from '../../../src/sources/replay/lean/compare-bars.ts';
import { ManualClock } from '../../../src/clock.ts';
import { loadLeanReferenceBars } from '../../../src/sources/replay/lean/reference-bars.ts';
import { leanEquityEligibility } from '../../../src/sources/replay/lean/sale-conditions.ts';
import { ReplaySource } from '../../../src/sources/replay/replay-source.ts';
import { within } from '../../support/wait.ts';

const DATA = join(import.meta.dirname, '../../../../shared/data');
const SPY = join(DATA, 'lean-spy-20131007');

/** Replays a Lean tick zip through bar builders the way the runtime does: clock moved per batch. */
async function replayInto(path: string, builders: readonly BarBuilder[], onTrade: (trade: Trade) => void = () => {}): Promise<{ bars: Bar[][]; records: number; rejects: number }> {
  const clock = new ManualClock();
  const bars: Bar[][] = builders.map(() => []);
  const source = new ReplaySource({ path, clock });
  await source.start({
    records: async (batch: readonly MarketRecord[]) => {
      for (const record of batch) {
        if (record.type !== 'trade') continue;
        onTrade(record);
        builders.forEach((builder, index) => bars[index]!.push(...builder.add(record, clock.now())));
      }
      // The clock moves only after this batch is processed (ReplaySource advances it on return).
      const newest = batch.at(-1)!.tsEvent;
      builders.forEach((builder, index) => bars[index]!.push(...builder.advanceTo(newest)));
    },
    deadLetter: async () => {},
  });
  await within(source.done, 25_000, 'the Lean replay');
  builders.forEach((builder, index) => bars[index]!.push(...builder.flush(clock.now())));
  const { records, rejects } = source.status();
  return { bars, records, rejects };
}

function ofInterval(bars: readonly Bar[], interval: BarInterval): Bar[] {
  return bars.filter((bar) => bar.interval === interval);
}

function summary(label: string, result: BarComparison): string {
  return `${label}: ${result.exact}/${result.reference} exact (OHLC ${result.ohlc}, volume ${result.volume}), built ${result.built}, missing ${result.missing}, extra ${result.extra}`;
}

/** Σ volume per minute start of 1 s bars, or of 1 m bars. */
function volumePerMinute(bars: ReadonlyArray<{ start: number; volume: number }>): Map<number, number> {
  const out = new Map<number, number>();
  for (const bar of bars) {
    const minute = bar.start - (bar.start % 60_000);
    out.set(minute, (out.get(minute) ?? 0) + bar.volume);
  }
  return out;
}

/** Minutes whose 1 s volumes do not sum to the 1 m volume, with the difference. */
function minutesApart(seconds: ReadonlyArray<{ start: number; volume: number }>, minutes: ReadonlyArray<{ start: number; volume: number }>): string[] {
  const perMinute = volumePerMinute(seconds);
  return minutes.filter((bar) => perMinute.get(bar.start) !== bar.volume).map((bar) => `${bar.start}:${perMinute.get(bar.start)! - bar.volume}`);
}

const sumVolume = (bars: ReadonlyArray<{ volume: number }>): number => bars.reduce((sum, bar) => sum + bar.volume, 0);

describe('bars against Lean reference bars', () => {
  it('SPY 2013-10-07: every tick, then with the Lean eligibility rule', async (t) => {
    const [minuteReference, secondReference] = await Promise.all([
      loadLeanReferenceBars(join(SPY, 'minute_spy_20131007_trade.zip')),
      loadLeanReferenceBars(join(SPY, 'second_spy_20131007_trade.zip')),
    ]);
    assert.equal(minuteReference.interval, '1m');
    assert.equal(minuteReference.bars.length, 828);
    assert.equal(secondReference.bars.length, 16_675);

    const naive = new BarBuilder({ intervals: ['1s', '1m'] });
    // As `tickflow replay` runs it (TICKFLOW_BAR_LATENESS_MS defaults to 2 s), and with no lateness.
    const lean = new BarBuilder({ intervals: ['1s', '1m'], lateness: 2_000, eligibility: leanEquityEligibility });
    const leanNoLateness = new BarBuilder({ intervals: ['1s', '1m'], eligibility: leanEquityEligibility });
    const tape = { volume: 0, excluded: 0 };
    const { bars, records, rejects } = await replayInto(join(SPY, 'tick_spy_20131007_trade.zip'), [naive, lean, leanNoLateness], (trade) => {
      tape.volume += trade.size;
      if (leanEquityEligibility(trade) === 'none') tape.excluded += trade.size;
    });
    assert.equal(records, 250_601);
    assert.equal(rejects, 0);
    assert.equal(naive.lateTrades, 0, 'the file is in time order: nothing may be late');

    const naiveMinute = compareBars(ofInterval(bars[0]!, '1m'), minuteReference.bars);
    const naiveSecond = compareBars(ofInterval(bars[0]!, '1s'), secondReference.bars);
    const leanMinute = compareBars(ofInterval(bars[1]!, '1m'), minuteReference.bars);
    const leanSecond = compareBars(ofInterval(bars[1]!, '1s'), secondReference.bars);
    const lateMinute = compareBars(ofInterval(bars[2]!, '1m'), minuteReference.bars);
    const lateSecond = compareBars(ofInterval(bars[2]!, '1s'), secondReference.bars);
    for (const line of [
      summary('minute, every tick', naiveMinute),
      summary('second, every tick', naiveSecond),
      summary('minute, Lean eligibility', leanMinute),
      summary('second, Lean eligibility', leanSecond),
      summary('minute, Lean eligibility, no lateness', lateMinute),
      summary('second, Lean eligibility, no lateness', lateSecond),
    ]) {
      t.diagnostic(line);
      console.log(line);
    }

    // Naive OHLCV over every tick: the data README's 696 of 828.
    assert.equal(naiveMinute.reference, 828);
    assert.equal(naiveMinute.built, 828);
    assert.ok(naiveMinute.exact >= 696, summary('minute, every tick', naiveMinute));
    assert.ok(naiveSecond.exact >= 13_440, summary('second, every tick', naiveSecond));

    // With the eligibility rule, volume-only periods and auctions: every bar Lean has, every one exact.
    for (const [label, result, count] of [['minute', leanMinute, 828], ['second', leanSecond, 16_675]] as const) {
      assert.deepEqual([result.built, result.exact, result.ohlc, result.volume, result.missing, result.extra], [count, count, count, count, 0, 0], summary(label, result));
    }

    // Volume never vanishes: the day's 1 s volumes sum to its 1 m volumes, to the volume of the tape
    // less the auction reports the rule leaves out, and to Lean's own totals.
    const [leanSeconds, leanMinutes] = [ofInterval(bars[1]!, '1s'), ofInterval(bars[1]!, '1m')];
    assert.deepEqual([tape.volume, tape.excluded], [97_062_721, 4_342_145]);
    assert.equal(sumVolume(leanSeconds), tape.volume - tape.excluded);
    assert.equal(sumVolume(leanMinutes), tape.volume - tape.excluded);
    assert.equal(sumVolume(secondReference.bars), 92_720_576);
    assert.equal(sumVolume(leanSeconds), sumVolume(secondReference.bars));
    assert.deepEqual(lean.symbolState('SPY')!.carried, []);
    // 1,337 seconds had only volume-only prints; their volume went into the second bar before.
    assert.equal(lean.stats().unpricedPeriods, 1_337);
    // Minute by minute the sums differ where that moved a second's volume into the minute before:
    // 58 minutes of the day, exactly as in Lean's own files.
    const apart = minutesApart(leanSeconds, leanMinutes);
    assert.equal(apart.length, 58);
    assert.deepEqual(apart, minutesApart(secondReference.bars, minuteReference.bars));

    // Without lateness the closing auction's print (0.73 s after 16:00) comes after the 15:59:59 and
    // 15:59 bars were published: it is late, and those two bars are the only ones that differ.
    assert.equal(leanNoLateness.lateTrades, 1);
    assert.deepEqual([lateMinute.exact, lateSecond.exact], [827, 16_674]);
    const close = Date.parse('2013-10-07T20:00:00Z');
    assert.deepEqual(lateMinute.samples.map((sample) => sample.start), [close - 60_000]);
    assert.deepEqual(lateSecond.samples.map((sample) => sample.start), [close - 1_000]);
  });
});
