import { SYMBOL_PATTERN } from '../model/guards.ts';

/** JSON schemas shared by the /v1 routes (validation and the OpenAPI document). */
export const SYMBOL_SCHEMA = {
  type: 'string',
  pattern: SYMBOL_PATTERN.source,
  description: 'e.g. AAPL, OANDA:EUR_USD, BINANCE:BTCUSDT',
} as const;

export const TIME_SCHEMA = {
  type: 'string',
  minLength: 1,
  maxLength: 40,
  description: 'ISO 8601 (2026-11-23T14:30:00Z) or Unix milliseconds',
} as const;

export const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'RFC 9457 problem details (application/problem+json)',
  properties: { type: { type: 'string' }, title: { type: 'string' }, status: { type: 'integer' }, detail: { type: 'string' }, instance: { type: 'string' } },
} as const;

/** What every record of the tape (trade, quote) starts and ends with: its identity and its two clocks. */
const TAPE_HEAD = { type: { type: 'string' }, source: { type: 'string' }, symbol: { type: 'string' } } as const;
const TAPE_TAIL = { tsEvent: { type: 'number' }, tsRecv: { type: 'number' }, seq: { type: 'number' } } as const;

/** A bar's period, trade or quote bar alike. */
const PERIOD = { symbol: { type: 'string' }, interval: { type: 'string' }, start: { type: 'number' }, end: { type: 'number' } } as const;

export const TRADE_SCHEMA = {
  type: 'object',
  properties: {
    ...TAPE_HEAD,
    price: { type: 'number' },
    size: { type: 'number' },
    conditions: { type: ['array', 'null'], items: { type: 'string' } },
    ...TAPE_TAIL,
  },
} as const;

export const BAR_SCHEMA = {
  type: 'object',
  properties: {
    ...PERIOD,
    open: { type: 'number' },
    high: { type: 'number' },
    low: { type: 'number' },
    close: { type: 'number' },
    volume: { type: 'number' },
    vwap: { type: ['number', 'null'] },
    count: { type: 'integer' },
  },
} as const;

export const QUOTE_SCHEMA = {
  type: 'object',
  properties: {
    ...TAPE_HEAD,
    bid: { type: 'number' },
    ask: { type: 'number' },
    bidSize: { type: ['number', 'null'], description: 'null when the venue sends no size' },
    askSize: { type: ['number', 'null'] },
    ...TAPE_TAIL,
  },
} as const;

const SIDE_SCHEMA = {
  type: 'object',
  properties: { open: { type: 'number' }, high: { type: 'number' }, low: { type: 'number' }, close: { type: 'number' } },
} as const;

export const QUOTE_BAR_SCHEMA = {
  type: 'object',
  properties: {
    ...PERIOD,
    bid: { ...SIDE_SCHEMA, description: 'OHLC of the bid over the quotes of [start, end)' },
    ask: { ...SIDE_SCHEMA, description: 'OHLC of the ask over the quotes of [start, end)' },
    lastBidSize: { type: ['number', 'null'], description: 'size of the last quote with a bid size > 0; null when none had one' },
    lastAskSize: { type: ['number', 'null'] },
    count: { type: 'integer', description: 'quotes in the bar' },
  },
} as const;

export const ERROR_RESPONSES = { 400: PROBLEM_SCHEMA, 404: PROBLEM_SCHEMA } as const;

/** A querystring schema for a symbol's records: `symbol` required, no unknown parameters. */
export function symbolQuery(properties: Record<string, unknown> = {}) {
  return { type: 'object', required: ['symbol'], additionalProperties: false, properties: { symbol: SYMBOL_SCHEMA, ...properties } } as const;
}

/** `limit` from 1 to 10,000 with the route's default. */
export function limitSchema(defaultLimit: number) {
  return { type: 'integer', minimum: 1, maximum: 10_000, default: defaultLimit } as const;
}
