import type { Bar, BarInterval } from '../../model/bar.ts';
import { SmaState } from '../../indicators/moving-average.ts';
import { clamp01, formatNumber, type Decision, type Strategy } from './strategy.ts';

export interface VolumeSpikeOptions {
  /** How many times the average volume a bar must reach. */
  readonly multiple: number;
  /** Bars the average is taken over: the `lookback` bars before the one judged. */
  readonly lookback: number;
  readonly interval: BarInterval;
}

/**
 * A bar whose volume is at least `multiple` × the average volume of the previous `lookback` bars of
 * its interval (and that average is > 0, so volume-less forex never fires). The side is the bar's
 * direction: close ≥ open buys, else sells. Once per run: consecutive spiking bars fire on the first
 * only. Nothing until `lookback` bars were seen. Strength: 0.5 at `multiple`, 1 at twice it.
 */
export class VolumeSpike implements Strategy {
  readonly name = 'volume-spike';
  readonly #options: VolumeSpikeOptions;
  readonly #average: SmaState;
  /** Average volume of the last `lookback` bars, once there were that many. */
  #previousAverage: number | null = null;
  #spiking = false;

  constructor(options: VolumeSpikeOptions) {
    this.#options = options;
    this.#average = new SmaState(options.lookback);
  }

  onBar(bar: Bar): Decision | null {
    if (bar.interval !== this.#options.interval) return null;
    const average = this.#previousAverage;
    this.#previousAverage = this.#average.push(bar.volume);
    const { multiple, lookback } = this.#options;
    const spike = average !== null && average > 0 && bar.volume >= multiple * average;
    const fired = spike && !this.#spiking;
    this.#spiking = spike;
    if (!fired || average === null) return null;
    const ratio = bar.volume / average;
    const up = bar.close >= bar.open;
    return {
      side: up ? 'buy' : 'sell',
      strength: clamp01(ratio / (2 * multiple)),
      price: bar.close,
      reason: `volume ${formatNumber(bar.volume)} is ${formatNumber(ratio)}× the ${lookback}-bar average ${formatNumber(average)} on a ${bar.interval} bar closing ${up ? 'up' : 'down'} at ${formatNumber(bar.close)}`,
    };
  }
}
