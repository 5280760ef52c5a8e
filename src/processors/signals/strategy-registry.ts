import { MaCrossover } from './ma-crossover.ts';
import { RsiStrategy } from './rsi-strategy.ts';
import type { Strategy, StrategyFactory } from './strategy.ts';
import { strategiesFor, type StrategyConfig, type StrategyEntry, type StrategyName } from './strategy-config.ts';
import { VolumeSpike } from './volume-spike.ts';
import { VwapDeviation } from './vwap-deviation.ts';

/** One configured strategy for a symbol: its instance id and how to make fresh state. */
export interface StrategySpec {
  readonly id: string;
  readonly create: StrategyFactory;
}

/** The strategies a symbol runs, in order. */
export type StrategyPlan = (symbol: string) => readonly StrategySpec[];

type Builders = { readonly [Name in StrategyName]: (entry: Extract<StrategyEntry, { strategy: Name }>) => Strategy };

/** The built-in strategies by name; a new strategy adds itself here and its schema in `strategy-config.ts`. */
export const BUILT_IN_STRATEGIES: Builders = {
  'ma-crossover': (entry) => new MaCrossover(entry),
  'vwap-deviation': (entry) => new VwapDeviation(entry),
  rsi: (entry) => new RsiStrategy(entry),
  'volume-spike': (entry) => new VolumeSpike(entry),
};

export function specFor(entry: StrategyEntry): StrategySpec {
  const build = BUILT_IN_STRATEGIES[entry.strategy] as (entry: StrategyEntry) => Strategy;
  return { id: entry.id, create: () => build(entry) };
}

/** The plan a configuration describes; specs are built once per distinct list, not per symbol. */
export function planFor(config: StrategyConfig): StrategyPlan {
  const cache = new Map<readonly StrategyEntry[], readonly StrategySpec[]>();
  return (symbol) => {
    const entries = strategiesFor(config, symbol);
    let specs = cache.get(entries);
    if (!specs) cache.set(entries, (specs = entries.map(specFor)));
    return specs;
  };
}

/** Every instance id the configuration can produce, for counters that exist from the start. */
export function strategyIds(config: StrategyConfig): string[] {
  const ids = new Set<string>();
  for (const list of [config.default, ...Object.values(config.symbols)]) for (const entry of list) ids.add(entry.id);
  return [...ids];
}
