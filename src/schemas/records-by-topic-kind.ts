import type { AggregatedRecord } from '../model/aggregated-record.ts';
import type { AlertFiring } from '../model/alert.ts';
import type { DeadLetter } from '../model/dead-letter.ts';
import type { MarketRecord } from '../model/market-record.ts';
import type { PriceEvent } from '../model/price-event.ts';
import type { TradingSignal } from '../model/signal.ts';
import type { TradeUpdate } from '../model/trade-update.ts';
import type { TradingCommand } from '../trading/service/trading-command.ts';
import type { TopicKind } from '../topics.ts';

/**
 * The value of a record on each topic kind (src/topics.ts): the types `npm run schemas` turns into
 * docs/schemas/<kind>.schema.json. Each comment becomes its schema's description.
 */
export interface RecordsByTopicKind {
  /** A trade, quote or gap, keyed by symbol. */
  readonly raw: MarketRecord;
  /** A time bar, rolling window metrics or a quote bar, keyed by symbol. */
  readonly metrics: AggregatedRecord;
  /** A price fetched from a REST quote provider, keyed by symbol. */
  readonly priceEvents: PriceEvent;
  /** A trading signal of a strategy, keyed by symbol. */
  readonly signals: TradingSignal;
  /** One firing of an alert rule, keyed by symbol. */
  readonly alerts: AlertFiring;
  /** Input a component could not use, keyed by the component that rejected it (`origin`). */
  readonly deadLetter: DeadLetter;
  /** A paper-trading command the trading service accepted, keyed by account id. */
  readonly orders: TradingCommand;
  /** A paper-trading event of an account's orders (Alpaca's trade_updates), keyed by account id. */
  readonly executions: TradeUpdate;
}

/** Every topic kind has an entry above: adding a kind without its record type fails to compile. */
export type TopicRecordOf<K extends TopicKind> = RecordsByTopicKind[K];
