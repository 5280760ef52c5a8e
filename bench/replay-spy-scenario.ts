import { MemoryBus } from '../src/bus/memory/memory-bus.ts';
import { loadConfig } from '../src/config/config.ts';
import type { MarketRecord } from '../src/model/market-record.ts';
import { systemClock } from '../src/clock.ts';
import { createLogger } from '../src/logger.ts';
import { Pipeline } from '../src/cli/compose/pipeline.ts';
import { ReplaySource } from '../src/sources/replay/replay-source.ts';

export async function runScenario(scenario: 'read' | 'bus' | 'signals' | 'pipeline', path: string) {
  const config = loadConfig();
  const source = new ReplaySource({ path, speed: 'max' });
  const started = performance.now();
  let trades = 0;
  let signals = 0;
  if (scenario === 'read') {
    await source.start({
      records: async (batch: readonly MarketRecord[]) => void (trades += batch.length),
      deadLetter: async () => {},
    });
    await source.done;
  } else {
    const pipeline = new Pipeline({
      config,
      bus: new MemoryBus({ defaultPartitions: config.partitions }),
      source,
      clock: systemClock,
      logger: createLogger({ level: 'warn' }),
      barsOnEventTime: true,
      processors: scenario === 'bus' ? ['aggregator'] : scenario === 'signals' ? ['aggregator', 'signals'] : ['aggregator', 'signals', 'archive'],
    });
    await pipeline.start();
    await source.done;
    await pipeline.stop(120_000);
    const status = await pipeline.status();
    trades = status.trades;
    signals = status.consumers.find((consumer) => consumer.name === 'signals')?.stats.signals ?? 0;
  }
  const seconds = (performance.now() - started) / 1000;
  return { scenario, trades, signals, seconds, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024) };
}
