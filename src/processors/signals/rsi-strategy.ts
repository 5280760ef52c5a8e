import type { Bar, BarInterval } from '../../model/bar.ts';
import type { SignalInput } from '../../model/signal.ts';
import { RsiState } from '../../indicators/rsi.ts';
import { clamp01, formatNumber, type Decision, type Strategy } from './strategy.ts';

export interface RsiStrategyOptions {
  readonly period: number;
  readonly oversold: number;
  readonly overbought: number;
  readonly interval: BarInterval;
  /**
   * `exit` (default): buy when RSI climbs back above `oversold` after being below it, sell when it
   * falls back below `overbought`: the turn is confirmed, not just the extreme. `enter`: buy on the
   * bar RSI drops below `oversold`, sell on the bar it rises above `overbought`.
   */
  readonly trigger: 'exit' | 'enter';
}

type Zone = 'oversold' | 'overbought' | 'neutral';

/**
 * RSI(period) over the closes of one bar interval (Wilder's RSI, see `RsiState`). Zones are strict:
 * oversold is RSI < `oversold`, overbought RSI > `overbought`. A signal fires on the bar that crosses
 * into (trigger `enter`) or out of (trigger `exit`) a zone, so once per crossing. The first RSI value
 * only sets the zone. Strength: how far past the level RSI went, as a share of the room beyond it
 * (for `exit`, the extreme of the excursion; for `enter`, the crossing bar's value).
 */
export class RsiStrategy implements Strategy {
  readonly name = 'rsi';
  readonly #options: RsiStrategyOptions;
  readonly #rsi: RsiState;
  #zone: Zone | null = null;
  /** The most extreme RSI since the current zone was entered. */
  #extreme = 50;
  #previous: SignalInput | null = null;

  constructor(options: RsiStrategyOptions) {
    this.#options = options;
    this.#rsi = new RsiState(options.period);
  }

  onBar(bar: Bar, input: SignalInput): Decision | null {
    if (bar.interval !== this.#options.interval) return null;
    const value = this.#rsi.push(bar.close);
    const previousInput = this.#previous;
    this.#previous = input;
    if (value === null) return null;
    const { oversold, overbought, period, trigger } = this.#options;
    const zone: Zone = value < oversold ? 'oversold' : value > overbought ? 'overbought' : 'neutral';
    const before = this.#zone;
    const extreme = this.#extreme;
    this.#zone = zone;
    if (zone !== before) this.#extreme = value;
    else if (zone === 'oversold') this.#extreme = Math.min(this.#extreme, value);
    else if (zone === 'overbought') this.#extreme = Math.max(this.#extreme, value);
    if (before === null || zone === before) return null;

    const lineage = previousInput ? [previousInput, input] : [input];
    const label = `RSI(${period}) ${formatNumber(value)}`;
    if (trigger === 'enter') {
      if (zone === 'oversold') return { side: 'buy', strength: clamp01((oversold - value) / oversold), price: bar.close, reason: `${label} fell below ${oversold} at ${formatNumber(bar.close)}`, lineage };
      if (zone === 'overbought') return { side: 'sell', strength: clamp01((value - overbought) / (100 - overbought)), price: bar.close, reason: `${label} rose above ${overbought} at ${formatNumber(bar.close)}`, lineage };
      return null;
    }
    if (before === 'oversold') return { side: 'buy', strength: clamp01((oversold - extreme) / oversold), price: bar.close, reason: `${label} rose back above ${oversold} (low ${formatNumber(extreme)}) at ${formatNumber(bar.close)}`, lineage };
    if (before === 'overbought') return { side: 'sell', strength: clamp01((extreme - overbought) / (100 - overbought)), price: bar.close, reason: `${label} fell back below ${overbought} (high ${formatNumber(extreme)}) at ${formatNumber(bar.close)}`, lineage };
    return null;
  }
}
