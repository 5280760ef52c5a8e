import { accountConfig, PER_SHARE_FEES, US_REGULATORY_FEES_2024, validateAccountConfig, type AccountConfig, type FeeModelConfig, type FillModelConfig } from './account.ts';
import { isFiniteNumber } from './guards.ts';

/** What a new account asks for; what it leaves out takes the engine's defaults (`accountConfig`). */
export type AccountRequest = Partial<Omit<AccountConfig, 'type' | 'id'>>;

/** The request's names (as `POST /v1/accounts` and `tickflow accounts create` spell them) of the fill model's settings. */
export const FILL_FIELDS = {
  latency_ms: 'latencyMs',
  participation: 'participation',
  slippage_bps: 'slippageBps',
  queue_ahead_factor: 'queueAheadFactor',
  queue_ahead_min_qty: 'queueAheadMinQty',
  auction_grace_ms: 'auctionGraceMs',
  market_reserve_bps: 'marketReserveBps',
} as const satisfies Record<string, keyof FillModelConfig>;

const PER_SHARE_FIELDS = { per_share: 'perShare', minimum: 'minimum', maximum_percent: 'maximumPercent' } as const;
const PERCENT_FIELDS = { maker_bps: 'makerBps', taker_bps: 'takerBps' } as const;
const TOP_FIELDS = new Set(['cash', 'type', 'multiplier', 'fees', 'regulatory_fees', 'fills', 'settlement_sessions']);
const CASH_PATTERN = /^\d{1,13}(\.\d{1,2})?$/;
const MAX_CASH = 1e12;

/** The engine's field names in validateAccountConfig's messages, as the request spells them. */
const REQUEST_NAMES: ReadonlyArray<[string, string]> = [
  ['startingCash', 'cash'],
  ['accountType', 'type'],
  ['settlementSessions', 'settlement_sessions'],
  ...Object.entries({ ...PER_SHARE_FIELDS, ...PERCENT_FIELDS }).map(([request, engine]): [string, string] => [`fees.${engine}`, `fees.${request}`]),
  ...Object.entries(FILL_FIELDS).map(([request, engine]): [string, string] => [`fills.${engine}`, `fills.${request}`]),
];

/**
 * Checks an account-creation request (the body of `POST /v1/accounts`):
 * `{cash, type, multiplier, fees, regulatory_fees, fills, settlement_sessions}`, every field optional.
 * Returns the configuration to create, or why not, naming the field.
 */
export function validateAccountRequest(body: unknown): AccountRequest | string {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) return 'the body must be a JSON object';
  const r = body as Record<string, unknown>;
  const unknown = Object.keys(r).find((field) => !TOP_FIELDS.has(field));
  if (unknown !== undefined) return `${JSON.stringify(unknown)} is not a known field (known: ${[...TOP_FIELDS].join(', ')})`;

  const request: { -readonly [K in keyof AccountRequest]: AccountRequest[K] } = {};
  if (r.cash !== undefined) {
    const cash = cashOf(r.cash);
    if (typeof cash !== 'string' || !CASH_PATTERN.test(cash) || Number(cash) <= 0 || Number(cash) > MAX_CASH) {
      return `cash must be a number > 0 and ≤ ${MAX_CASH} with at most 2 decimals, e.g. 100000 or "2500.50" (got ${JSON.stringify(r.cash)})`;
    }
    request.startingCash = cash;
  }
  if (r.type !== undefined) {
    if (r.type !== 'cash' && r.type !== 'margin') return `type must be "cash" or "margin" (got ${JSON.stringify(r.type)})`;
    request.accountType = r.type;
  }
  if (r.multiplier !== undefined) {
    if ((request.accountType ?? accountConfig({ id: 'defaults', startingCash: '1' }).accountType) !== 'margin') return 'multiplier applies to margin accounts only (type "margin")';
    if (!Number.isInteger(r.multiplier) || (r.multiplier as number) < 1 || (r.multiplier as number) > 4) return `multiplier must be an integer from 1 to 4 (got ${JSON.stringify(r.multiplier)})`;
    request.multiplier = r.multiplier as number;
  }
  if (r.fees !== undefined) {
    const fees = feesOf(r.fees);
    if (typeof fees === 'string') return fees;
    request.fees = fees;
  }
  if (r.regulatory_fees !== undefined) {
    if (typeof r.regulatory_fees !== 'boolean') return `regulatory_fees must be true (SEC and FINRA fees on sales, 2024 rates) or false (got ${JSON.stringify(r.regulatory_fees)})`;
    request.regulatoryFees = r.regulatory_fees ? US_REGULATORY_FEES_2024 : null;
  }
  if (r.fills !== undefined) {
    const fills = renamed(r.fills, 'fills', FILL_FIELDS, (field, value) => (field === 'queueAheadMinQty' ? cashOf(value) : value));
    if (typeof fills === 'string') return fills;
    request.fills = fills as Partial<FillModelConfig> as FillModelConfig;
  }
  if (r.settlement_sessions !== undefined) request.settlementSessions = r.settlement_sessions as number;

  const checked = validateAccountConfig(accountConfig({ id: 'request', startingCash: '1', ...request }));
  return typeof checked === 'string' ? inRequestNames(checked) : request;
}

/** `"zero"`, `"per-share"` (0.005 a share, at least 1, at most 1 %), or an object with `model` and its parameters. */
function feesOf(value: unknown): FeeModelConfig | string {
  if (value === 'zero' || (isObject(value) && value.model === 'zero' && Object.keys(value).length === 1)) return { model: 'zero' };
  if (value === 'per-share') return PER_SHARE_FEES;
  if (!isObject(value)) return `fees must be "zero", "per-share", or an object with "model" (got ${JSON.stringify(value)})`;
  const { model, ...parameters } = value;
  if (model === 'per-share') {
    const given = renamed(parameters, 'fees', PER_SHARE_FIELDS, (_field, parameter) => cashOf(parameter));
    return typeof given === 'string' ? given : ({ ...PER_SHARE_FEES, ...given } as FeeModelConfig);
  }
  if (model === 'percent') {
    const given = renamed(parameters, 'fees', PERCENT_FIELDS, (_field, parameter) => cashOf(parameter));
    if (typeof given === 'string') return given;
    for (const field of Object.keys(PERCENT_FIELDS)) if (given[PERCENT_FIELDS[field as keyof typeof PERCENT_FIELDS]] === undefined) return `fees.${field} is required for the percent model`;
    return { model: 'percent', ...given } as FeeModelConfig;
  }
  return `fees.model must be one of zero, per-share, percent (got ${JSON.stringify(model)})`;
}

/** An object of request-named fields as the engine names them; an unknown field is named. */
function renamed(value: unknown, where: string, names: Readonly<Record<string, string>>, convert: (field: string, value: unknown) => unknown): Record<string, unknown> | string {
  if (!isObject(value)) return `${where} must be an object (got ${JSON.stringify(value)})`;
  const out: Record<string, unknown> = {};
  for (const [field, fieldValue] of Object.entries(value)) {
    const engineName = names[field];
    if (engineName === undefined) return `${where}.${field} is not a known field (known: ${Object.keys(names).join(', ')})`;
    out[engineName] = convert(engineName, fieldValue);
  }
  return out;
}

/** Money and rates may come as JSON numbers; the engine keeps decimal strings. */
function cashOf(value: unknown): unknown {
  if (!isFiniteNumber(value)) return value;
  const text = String(value);
  return /e/i.test(text) ? value : text;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function inRequestNames(message: string): string {
  let out = message;
  for (const [engine, request] of REQUEST_NAMES) out = out.replaceAll(engine, request);
  return out;
}
