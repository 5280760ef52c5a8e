import { z } from 'zod';
import { ConfigError } from '../../errors.ts';
import { SYMBOL_PATTERN } from '../../model/guards.ts';
import { STRATEGY_ID_PATTERN } from '../../model/signal.ts';
import { DEFAULT_POSITION_RULE, type PositionRule } from '../../trading/trader/position-rule.ts';
import type { SizingRule } from '../../trading/trader/sizing.ts';
import { discriminatorMessage, readJsonSetting, validateJsonSetting } from '../json-setting.ts';

/**
 * Traders: who turns which strategies' signals into orders, from JSON (`TICKFLOW_TRADERS`):
 *
 *     [ { "id": "momentum", "account": "default", "strategies": ["ma-crossover"], "symbols": ["AAPL"],
 *         "sizing": { "rule": "fixed-notional", "notional": 1000 },
 *         "position": { "mode": "long-only" } } ]
 *
 * `account` is an account id, or `default`: the paper account `tickflow up` makes. `symbols` left
 * out means every symbol. Sizing rules: `fixed-qty` (`qty`), `fixed-notional` (`notional`, dollars),
 * `percent-of-equity` and `target-percent` (`percent`, of equity). `position.mode` is `long-only`
 * (the default) or `long-short`; `position.onOpposite` is `flat` (the default) or `reverse`
 * (long-short only).
 */
export const DEFAULT_ACCOUNT = 'default';

const amount = z.number().positive().max(1_000_000_000);
const percent = z.number().positive().max(100);
const SIZING_RULES = ['fixed-qty', 'fixed-notional', 'percent-of-equity', 'target-percent'] as const;

const sizing = z.discriminatedUnion('rule', [
  z.strictObject({ rule: z.literal('fixed-qty'), qty: amount }),
  z.strictObject({ rule: z.literal('fixed-notional'), notional: amount }),
  z.strictObject({ rule: z.literal('percent-of-equity'), percent }),
  z.strictObject({ rule: z.literal('target-percent'), percent }),
]);

const position = z
  .strictObject({
    mode: z.enum(['long-only', 'long-short']).default(DEFAULT_POSITION_RULE.mode),
    onOpposite: z.enum(['flat', 'reverse']).default(DEFAULT_POSITION_RULE.onOpposite),
  })
  .refine((rule) => rule.mode === 'long-short' || rule.onOpposite === 'flat', { error: 'reverse needs mode "long-short"', path: ['onOpposite'] });

const idText = z.string().regex(STRATEGY_ID_PATTERN, { error: 'must be 1–64 letters, digits or . _ -' });

const trader = z.strictObject({
  id: idText,
  account: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, { error: `must be an account id or ${JSON.stringify(DEFAULT_ACCOUNT)}` }),
  strategies: z.array(idText).min(1),
  symbols: z.array(z.string().regex(SYMBOL_PATTERN, { error: 'is not a symbol (letters, digits and . : _ - / ^ =)' })).min(1).optional(),
  sizing,
  position: position.default(DEFAULT_POSITION_RULE),
});

const schema = z.array(trader).superRefine((list, context) => {
  const seen = new Set<string>();
  list.forEach((parsed, index) => {
    if (typeof parsed?.id !== 'string') return;
    if (seen.has(parsed.id)) context.addIssue({ code: 'custom', path: [index, 'id'], message: `${JSON.stringify(parsed.id)} is used twice (trader ids are unique)` });
    seen.add(parsed.id);
  });
});

export interface TraderConfig {
  readonly id: string;
  /** An account id, or `DEFAULT_ACCOUNT`. */
  readonly account: string;
  readonly strategies: readonly string[];
  /** Every symbol when absent. */
  readonly symbols?: readonly string[];
  readonly sizing: SizingRule;
  readonly position: PositionRule;
}

/**
 * Parses and validates the JSON text; throws a `ConfigError` naming `variable` and the path of every
 * problem, e.g. `TICKFLOW_TRADERS: [0].sizing.percent must be ≤ 100`. `strategyIds`, when given, are
 * the strategies configured (`TICKFLOW_STRATEGIES`): a trader naming another one is a mistake.
 */
export function parseTraderConfig(text: string, variable = 'TICKFLOW_TRADERS', strategyIds?: readonly string[]): readonly TraderConfig[] {
  const traders = validateJsonSetting(schema, readJsonSetting(text, variable), variable, discriminatorMessage('rule', SIZING_RULES));
  if (strategyIds) {
    const known = new Set(strategyIds);
    const problems = traders.flatMap((entry, index) =>
      entry.strategies.flatMap((strategy, at) => (known.has(strategy) ? [] : [`${variable}: [${index}].strategies[${at}] ${JSON.stringify(strategy)} is not a strategy of TICKFLOW_STRATEGIES (${[...known].join(', ')})`])),
    );
    if (problems.length > 0) throw new ConfigError(problems.join('\n'));
  }
  return Object.freeze(traders.map((entry) => Object.freeze(entry)));
}
