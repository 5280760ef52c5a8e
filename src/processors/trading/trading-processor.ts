import type { BusRecord } from '../../bus/bus.ts';
import type { TradingService } from '../../trading/service/trading-service.ts';
import type { Processor } from '../runner/processor.ts';

export interface TradingProcessorOptions {
  readonly service: TradingService;
  /** raw-market-data: its trades are the prints orders fill against. */
  readonly rawTopic: string;
  /** Live: `tick` advances the engine to the clock's time (expiries, activations without prints). Replays run on event time only. */
  readonly live: boolean;
}

/**
 * Feeds the tape to the trading service. A batch is reported done only once the service committed it
 * (state and input offsets in one transaction), so the runner's commit always trails the store; a
 * batch delivered again is recognized by its offsets and not applied twice.
 */
export class TradingProcessor implements Processor {
  readonly name = 'trading';
  readonly topics: readonly string[];
  readonly #options: TradingProcessorOptions;

  constructor(options: TradingProcessorOptions) {
    this.#options = options;
    this.topics = [options.rawTopic];
  }

  async process(batch: readonly BusRecord[]): Promise<readonly BusRecord[]> {
    await this.#options.service.applyPrints(batch);
    return batch;
  }

  async tick(now: number): Promise<readonly BusRecord[]> {
    if (this.#options.live) await this.#options.service.advanceTo(now);
    return [];
  }

  stats(): Readonly<Record<string, number>> {
    return this.#options.service.stats();
  }
}
