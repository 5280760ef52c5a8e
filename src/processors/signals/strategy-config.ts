import { z } from 'zod';
import { SYMBOL_PATTERN } from '../../model/guards.ts';
import { STRATEGY_ID_PATTERN } from '../../model/signal.ts';
import { discriminatorMessage, readJsonSetting, validateJsonSetting } from '../json-setting.ts';

/**
 * Which strategies run for which symbol, from JSON (`TICKFLOW_STRATEGIES`):
 *
 *     { "default": [ { "strategy": "ma-crossover", "kind": "ema", "fast": 5, "slow": 20, "interval": "1s" }, … ],
 *       "symbols": { "AAPL": [ … ] } }
 *
 * A symbol listed under `symbols` runs its own list instead of `default` (`[]` runs nothing for it).
 * A missing `default` means the built-in list (`DEFAULT_STRATEGY_CONFIG.default`). Each entry names
 * its `strategy`; `id` names the instance (and its signals' `strategy` field), default the strategy
 * name, and must be unique within a list so that two `ma-crossover`s can run side by side. Options
 * left out take the defaults below.
 */
const id = z.string().regex(STRATEGY_ID_PATTERN, { error: 'must be 1–64 letters, digits or . _ -' }).optional();
const interval = z.enum(['1s', '1m']).default('1s');
const periodLike = (fallback: number) => z.number().int().min(1).max(10_000).default(fallback);

const maCrossover = z
  .strictObject({
    strategy: z.literal('ma-crossover'),
    id,
    kind: z.enum(['sma', 'ema']).default('ema'),
    fast: periodLike(5),
    slow: periodLike(20),
    interval,
    strengthScalePct: z.number().positive().max(100).default(0.05),
  })
  .refine((entry) => entry.fast < entry.slow, { error: 'must be < slow', path: ['fast'] });

const vwapDeviation = z.strictObject({
  strategy: z.literal('vwap-deviation'),
  id,
  thresholdPct: z.number().positive().max(100).default(0.1),
});

const rsiStrategy = z
  .strictObject({
    strategy: z.literal('rsi'),
    id,
    period: periodLike(14),
    oversold: z.number().gt(0).lt(100).default(30),
    overbought: z.number().gt(0).lt(100).default(70),
    interval,
    trigger: z.enum(['exit', 'enter']).default('exit'),
  })
  .refine((entry) => entry.oversold < entry.overbought, { error: 'must be < overbought', path: ['oversold'] });

const volumeSpike = z.strictObject({
  strategy: z.literal('volume-spike'),
  id,
  multiple: z.number().gt(1).max(1_000).default(2.5),
  lookback: periodLike(10),
  interval,
});

const STRATEGIES = [maCrossover, vwapDeviation, rsiStrategy, volumeSpike] as const;
export type StrategyName = (typeof STRATEGIES)[number]['shape']['strategy']['value'];
const STRATEGY_NAMES: readonly StrategyName[] = STRATEGIES.map((options) => options.shape.strategy.value);

const entry = z
  .discriminatedUnion('strategy', STRATEGIES)
  .transform((parsed) => ({ ...parsed, id: parsed.id ?? parsed.strategy }));

const entries = z.array(entry).superRefine((list, context) => {
  const seen = new Set<string>();
  list.forEach((parsed, index) => {
    // Also runs when entries failed (zod keeps checking): those have no id to compare.
    if (typeof parsed?.id !== 'string') return;
    if (seen.has(parsed.id)) context.addIssue({ code: 'custom', path: [index, 'id'], message: `${JSON.stringify(parsed.id)} is used twice in this list (give one of them another "id")` });
    seen.add(parsed.id);
  });
});

const schema = z.strictObject({
  default: entries.optional(),
  symbols: z.record(z.string().regex(SYMBOL_PATTERN, { error: 'is not a symbol (letters, digits and . : _ - / ^ =)' }), entries).default({}),
});

export type StrategyEntry = z.output<typeof entry>;

export interface StrategyConfig {
  /** For every symbol not in `symbols`. */
  readonly default: readonly StrategyEntry[];
  /** Per symbol, replacing `default`. */
  readonly symbols: Readonly<Record<string, readonly StrategyEntry[]>>;
}

/** The strategies configured for `symbol`. */
export function strategiesFor(config: StrategyConfig, symbol: string): readonly StrategyEntry[] {
  return Object.hasOwn(config.symbols, symbol) ? (config.symbols[symbol] ?? []) : config.default;
}

/**
 * Parses and validates the JSON text; throws a `ConfigError` naming `variable` and the exact path of
 * every problem, e.g. `TICKFLOW_STRATEGIES: symbols.AAPL[1].fast must be < slow`.
 */
export function parseStrategyConfig(text: string, variable = 'TICKFLOW_STRATEGIES'): StrategyConfig {
  return fromJson(readJsonSetting(text, variable), variable, DEFAULT_STRATEGY_CONFIG.default);
}

function fromJson(json: unknown, variable: string, fallback: readonly StrategyEntry[]): StrategyConfig {
  const parsed = validateJsonSetting(schema, json, variable, discriminatorMessage('strategy', STRATEGY_NAMES));
  const symbols: Record<string, readonly StrategyEntry[]> = {};
  for (const [symbol, list] of Object.entries(parsed.symbols)) symbols[symbol] = Object.freeze(list.map((e) => Object.freeze(e)));
  const defaults = parsed.default ?? fallback;
  return Object.freeze({ default: Object.freeze(defaults.map((e) => Object.freeze(e))), symbols: Object.freeze(symbols) });
}

/**
 * Tuned to show signals within ~30 s of `npm start` on the simulator (≈5 trades/s per symbol, 1 s
 * bars closed 2 s late, metrics every 10 trades over the last 20). Replaying the simulator's market
 * through the aggregator and these defaults (9 symbols, seeds 1–5), the first signal came after:
 * VWAP deviation 1–2 s, volume spike 12–16 s, RSI 17–19 s, EMA crossover 22–26 s; in the first
 * minute about 65, 15, 8–18 and 12–28 signals. On a live feed with quiet symbols, or on 1 m bars,
 * configure longer windows per symbol.
 */
export const DEFAULT_STRATEGY_JSON = {
  default: [
    { strategy: 'ma-crossover', kind: 'ema', fast: 5, slow: 20, interval: '1s' },
    { strategy: 'rsi', period: 14, oversold: 30, overbought: 70, interval: '1s', trigger: 'exit' },
    { strategy: 'volume-spike', multiple: 2.5, lookback: 10, interval: '1s' },
    { strategy: 'vwap-deviation', thresholdPct: 0.1 },
  ],
} as const;

export const DEFAULT_STRATEGY_CONFIG: StrategyConfig = fromJson(DEFAULT_STRATEGY_JSON, 'DEFAULT_STRATEGY_CONFIG', []);
