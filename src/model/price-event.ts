import { finite, integer, oneOf, positive, text, times } from './checks.ts';

/** The providers a price event can come from, as the seed contract spells them. */
export const PRICE_SOURCES = ['finnhub', 'alpha_vantage'] as const;
export type PriceSource = (typeof PRICE_SOURCES)[number];

/**
 * A price fetched from a REST quote provider (Finnhub, Alpha Vantage) because the stream had no fresh
 * trade for the symbol. Published on the `price-events` topic keyed by symbol, as JSON; the
 * provider's raw answer is stored separately (table `raw_responses`, `GET /v1/raw-responses/{id}`).
 *
 * `symbol`, `price`, `timestamp`, `source` and `raw_response_id` are the seed market-data service's
 * documented contract, with its names and types; the other fields are tickflow's own extras, and a
 * consumer must ignore fields it does not know.
 */
export interface PriceEvent {
  /** tickflow's record tag; always `price-event`. */
  readonly type: 'price-event';
  /** The instrument, as the provider was asked for it, e.g. `AAPL`. */
  readonly symbol: string;
  /** The price; always > 0 (a zero price, Finnhub's answer for an unknown symbol, is never a price). */
  readonly price: number;
  /**
   * When the price was valid according to the provider: ISO 8601 in UTC, e.g. `2024-03-20T10:30:00Z`
   * (with milliseconds when they are not zero).
   * @format date-time
   */
  readonly timestamp: string;
  /** The provider that answered: `finnhub` or `alpha_vantage`. */
  readonly source: PriceSource;
  /**
   * The id of the stored raw provider response this price was read from: a UUID.
   * @format uuid
   */
  readonly raw_response_id: string;
  /** `timestamp` in Unix ms (tickflow's event clock). */
  readonly tsEvent: number;
  /** When tickflow received the provider's answer, Unix ms. */
  readonly tsRecv: number;
}

/** Unix ms as ISO 8601 in UTC, without `.000` when the milliseconds are zero (`2024-03-20T10:30:00Z`). */
export function isoUtc(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|\+00:00)$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Checks a value read from the bus before it is trusted as a price event. Takes what tickflow writes,
 * a record with only the five contract fields (another producer of the seed contract: `tsEvent` is
 * then the timestamp's, `tsRecv` the same), and what tickflow wrote before the contract (numeric
 * times, `rawResponseId`, `alphavantage`: see LegacyPriceEvent below), which comes back normalized.
 */
export function validatePriceEvent(value: unknown): PriceEvent | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not an object';
  const record = value as Record<string, unknown>;
  if (record.type !== undefined && record.type !== 'price-event') return `type must be "price-event" (got ${JSON.stringify(record.type)})`;
  if (isLegacyPriceEvent(record)) return normalizeLegacyPriceEvent(record);
  const problem =
    text('symbol', record.symbol) ??
    positive('price', record.price) ??
    (typeof record.timestamp === 'string' && ISO_UTC.test(record.timestamp) && Number.isFinite(Date.parse(record.timestamp)) ? undefined : 'timestamp must be an ISO 8601 UTC time such as 2024-03-20T10:30:00Z') ??
    oneOf('source', record.source, PRICE_SOURCES) ??
    (typeof record.raw_response_id === 'string' && UUID.test(record.raw_response_id) ? undefined : 'raw_response_id must be a UUID string');
  if (problem) return problem;
  const tsEvent = Date.parse(record.timestamp as string);
  if (record.tsEvent === undefined && record.tsRecv === undefined && record.type === undefined) return { ...(record as Omit<PriceEvent, 'type' | 'tsEvent' | 'tsRecv'>), type: 'price-event', tsEvent, tsRecv: tsEvent };
  return (
    finite('tsEvent', record.tsEvent) ??
    finite('tsRecv', record.tsRecv) ??
    (record.tsEvent === tsEvent ? undefined : 'timestamp must be the time of tsEvent') ??
    (value as PriceEvent)
  );
}

/**
 * A price event as tickflow wrote it before the seed contract: Unix ms `timestamp`, the raw
 * response's numeric row id as `rawResponseId`, Alpha Vantage as `alphavantage`. Such records may
 * still be on a topic after an upgrade; readers take them, normalized.
 */
interface LegacyPriceEvent {
  readonly type: 'price-event';
  readonly symbol: string;
  readonly price: number;
  readonly timestamp: number;
  readonly source: string;
  readonly rawResponseId: number;
  readonly tsEvent: number;
  readonly tsRecv: number;
}

const LEGACY_SOURCES: Readonly<Record<string, PriceEvent['source']>> = { finnhub: 'finnhub', alphavantage: 'alpha_vantage', alpha_vantage: 'alpha_vantage' };

/** Written before the seed contract: a numeric timestamp or a `rawResponseId`. */
function isLegacyPriceEvent(record: Readonly<Record<string, unknown>>): boolean {
  return typeof record.timestamp === 'number' || 'rawResponseId' in record;
}

/**
 * The legacy record as a `PriceEvent`: the ISO time of its timestamp, the contract's name of its
 * source, and its row id as a decimal string in `raw_response_id` (the row keeps that id, so
 * `GET /v1/raw-responses/{id}` still finds it). Or why it is not one, by the old rules.
 */
function normalizeLegacyPriceEvent(record: Readonly<Record<string, unknown>>): PriceEvent | string {
  const problem =
    text('symbol', record.symbol) ??
    times(record) ??
    text('source', record.source) ??
    positive('price', record.price) ??
    (record.timestamp === record.tsEvent ? undefined : 'timestamp must equal tsEvent') ??
    integer('rawResponseId', record.rawResponseId, 1);
  if (problem) return problem;
  const legacy = record as unknown as LegacyPriceEvent;
  const source = LEGACY_SOURCES[legacy.source];
  if (!source) return `source must be one of ${Object.keys(LEGACY_SOURCES).join(', ')} (got ${JSON.stringify(legacy.source)})`;
  const { rawResponseId, ...rest } = legacy;
  return { ...rest, timestamp: isoUtc(legacy.timestamp), source, raw_response_id: String(rawResponseId) };
}
