/**
 * The backtest data layer against the plain parse it is built on, over the SPY tick day (250,601
 * trades): events/s of `openBacktestData` (with its up-front SHA-256) and of `openLeanInput` reading
 * and parsing the same zip, alternated over a few rounds in one process; and the merge of the whole SPY
 * day folder (ticks, second and minute bars: three files). `node bench/backtest-data.ts [rounds]`
 */
import { fileURLToPath } from 'node:url';
import { openBacktestData } from '../src/backtest/data/backtest-data.ts';
import { sha256OfFile } from '../src/backtest/data/checksum.ts';
import { openLeanInput } from '../src/sources/replay/lean/lean-input.ts';

const ZIP = fileURLToPath(new URL('../../shared/data/lean-spy-20131007/tick_spy_20131007_trade.zip', import.meta.url));
const SPY_DAY = fileURLToPath(new URL('../../shared/data/lean-spy-20131007/', import.meta.url));
const ROUNDS = Number(process.argv[2] ?? 5);

async function plainParse(): Promise<number> {
  const input = await openLeanInput(ZIP);
  let events = 0;
  let lineNumber = 0;
  for await (const line of input.lines()) if (typeof input.parse(line, ++lineNumber) !== 'string') events++;
  await input.close();
  return events;
}

async function backtestData(paths: readonly string[] = [ZIP]): Promise<number> {
  const data = await openBacktestData(paths);
  let events = 0;
  for await (const batch of data.batches()) events += batch.length;
  await data.close();
  return events;
}

async function timed(run: () => Promise<number>): Promise<{ events: number; ms: number }> {
  const start = performance.now();
  const events = await run();
  return { events, ms: performance.now() - start };
}

const best = { plain: Infinity, backtest: Infinity, sha256: Infinity, merged: Infinity };
let events = 0;
let mergedEvents = 0;
for (let round = 0; round < ROUNDS; round++) {
  const plain = await timed(plainParse);
  const backtest = await timed(backtestData);
  const sha = await timed(async () => (await sha256OfFile(ZIP)).length);
  const merged = await timed(() => backtestData([SPY_DAY]));
  mergedEvents = merged.events;
  best.merged = Math.min(best.merged, merged.ms);
  if (plain.events !== backtest.events) throw new Error(`event counts differ: ${plain.events} vs ${backtest.events}`);
  events = plain.events;
  best.plain = Math.min(best.plain, plain.ms);
  best.backtest = Math.min(best.backtest, backtest.ms);
  best.sha256 = Math.min(best.sha256, sha.ms);
}
const rate = (ms: number, count = events): string => `${Math.round((count / ms) * 1000).toLocaleString('en-US')} events/s (${ms.toFixed(0)} ms)`;
console.log(`SPY tick day, ${events.toLocaleString('en-US')} trades, best of ${ROUNDS} rounds`);
console.log(`openLeanInput plain parse : ${rate(best.plain)}`);
console.log(`openBacktestData          : ${rate(best.backtest)}`);
console.log(`ratio backtest / plain    : ${(best.plain / best.backtest).toFixed(2)}×`);
console.log(`of which SHA-256 of the zip: ${best.sha256.toFixed(1)} ms`);
console.log(`SPY day folder, 3 files merged: ${rate(best.merged, mergedEvents)}, ${mergedEvents.toLocaleString('en-US')} events`);
