import { decimalProblem, parseFixed } from './fixed-point.ts';
import { isFiniteNumber, isNonEmptyString } from './guards.ts';

/**
 * A paper account's configuration: what it starts with and how its orders are filled and charged.
 * Money is in decimal strings (exact); rates and times are plain numbers.
 */
export interface AccountConfig {
  readonly type: 'account-config';
  /** Chosen by whoever creates the account (the CLI, the API); every derived id starts from it. */
  readonly id: string;
  /** `cash`: no shorting, buying power = settled cash; `margin`: buying power = multiplier × equity − exposure. */
  readonly accountType: 'cash' | 'margin';
  /** 1 for cash accounts; 1 to 4 for margin accounts (Alpaca's default: 2). */
  readonly multiplier: number;
  /** USD. */
  readonly startingCash: string;
  readonly fees: FeeModelConfig;
  /** SEC and FINRA fees on sales of US equities; `null` for none. */
  readonly regulatoryFees: RegulatoryFeesConfig | null;
  readonly fills: FillModelConfig;
  /** Cash accounts: regular sessions until sale proceeds settle (US equities are T+1 since 2024). */
  readonly settlementSessions: number;
}

export type FeeModelConfig =
  | { readonly model: 'zero' }
  /** Per share, at least `minimum` and at most `maximumPercent` % of the value, per order. */
  | { readonly model: 'per-share'; readonly perShare: string; readonly minimum: string; readonly maximumPercent: string }
  /** Basis points of the value, apart for resting (maker) and taking (taker) fills: crypto venues. */
  | { readonly model: 'percent'; readonly makerBps: string; readonly takerBps: string };

export interface RegulatoryFeesConfig {
  /** SEC Section 31 fee, dollars per million dollars sold. */
  readonly secFeePerMillion: string;
  /** FINRA Trading Activity Fee per share sold, and its maximum per trade. */
  readonly tafPerShare: string;
  readonly tafMaximum: string;
}

/** How orders meet the tape; every rule and its reason in src/trading/fills/README.md. */
export interface FillModelConfig {
  /** Event time from acceptance until an order can fill (it fills only against later prints). */
  readonly latencyMs: number;
  /** Largest share of a print's size the account's orders may take, in (0, 1]. */
  readonly participation: number;
  /** Price concession of market fills, basis points (kept within the prices printed since activation). */
  readonly slippageBps: number;
  /** Queue ahead of a limit order = this × the volume printed at its price in the lookback before activation… */
  readonly queueAheadFactor: number;
  /** …and at least this many shares (units). */
  readonly queueAheadMinQty: string;
  /** How long after the open (close) an `opg` (`cls`) order waits for an auction print before taking the first (last) regular print. */
  readonly auctionGraceMs: number;
  /** Buying power held for market, stop and trailing orders: the last price plus this many basis points. */
  readonly marketReserveBps: number;
}

export const DEFAULT_FILL_MODEL: FillModelConfig = {
  latencyMs: 50,
  participation: 0.25,
  slippageBps: 5,
  queueAheadFactor: 1,
  queueAheadMinQty: '0',
  auctionGraceMs: 60_000,
  marketReserveBps: 500,
};

/** Interactive Brokers' fixed US-equity pricing as Lean models it, with the issue's 1 % cap. */
export const PER_SHARE_FEES: FeeModelConfig = { model: 'per-share', perShare: '0.005', minimum: '1', maximumPercent: '1' };

/** SEC fee rate of fiscal 2024 ($27.80 per million, from 2024-05-22) and FINRA's TAF of 2024 ($0.000166 a share, at most $8.30). */
export const US_REGULATORY_FEES_2024: RegulatoryFeesConfig = { secFeePerMillion: '27.8', tafPerShare: '0.000166', tafMaximum: '8.3' };

export const ACCOUNT_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** An account with the defaults filled in: margin ×2, no fees, the default fill model. */
export function accountConfig(fields: Pick<AccountConfig, 'id' | 'startingCash'> & Partial<AccountConfig>): AccountConfig {
  const accountType = fields.accountType ?? 'margin';
  return {
    type: 'account-config',
    accountType,
    multiplier: accountType === 'cash' ? 1 : 2,
    fees: { model: 'zero' },
    regulatoryFees: null,
    settlementSessions: 1,
    ...fields,
    fills: { ...DEFAULT_FILL_MODEL, ...fields.fills },
  };
}

/** Checks an account configuration from outside (CLI, API, the bus). Returns it, or why not. */
export function validateAccountConfig(value: unknown): AccountConfig | string {
  if (typeof value !== 'object' || value === null) return 'not an object';
  const r = value as Record<string, unknown>;
  if (r.type !== 'account-config') return `unknown record type ${JSON.stringify(r.type)}`;
  if (!isNonEmptyString(r.id) || !ACCOUNT_ID_PATTERN.test(r.id)) return 'id must be 1 to 64 letters, digits or . _ -';
  if (r.accountType !== 'cash' && r.accountType !== 'margin') return 'accountType must be "cash" or "margin"';
  if (r.accountType === 'cash' && r.multiplier !== 1) return 'multiplier must be 1 for a cash account';
  if (!Number.isInteger(r.multiplier) || (r.multiplier as number) < 1 || (r.multiplier as number) > 4) return 'multiplier must be an integer from 1 to 4';
  const cashProblem = decimalProblem('startingCash', r.startingCash, { nonNegative: true });
  if (cashProblem) return cashProblem;
  if (parseFixed(r.startingCash as string)! > 10n ** 21n) return 'startingCash must be at most 1e12';
  if (!Number.isInteger(r.settlementSessions) || (r.settlementSessions as number) < 0 || (r.settlementSessions as number) > 3) return 'settlementSessions must be an integer from 0 to 3';
  return feesProblem(r.fees) ?? regulatoryProblem(r.regulatoryFees) ?? fillModelProblem(r.fills) ?? (value as AccountConfig);
}

function feesProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'fees must be an object';
  const fees = value as Record<string, unknown>;
  switch (fees.model) {
    case 'zero':
      return undefined;
    case 'per-share':
      return (
        decimalProblem('fees.perShare', fees.perShare, { nonNegative: true }) ??
        decimalProblem('fees.minimum', fees.minimum, { nonNegative: true }) ??
        decimalProblem('fees.maximumPercent', fees.maximumPercent, { positive: true })
      );
    case 'percent':
      return decimalProblem('fees.makerBps', fees.makerBps, { nonNegative: true }) ?? decimalProblem('fees.takerBps', fees.takerBps, { nonNegative: true });
    default:
      return `fees.model must be one of zero, per-share, percent (got ${JSON.stringify(fees.model)})`;
  }
}

function regulatoryProblem(value: unknown): string | undefined {
  if (value === null) return undefined;
  if (typeof value !== 'object') return 'regulatoryFees must be null or an object';
  const fees = value as Record<string, unknown>;
  return (
    decimalProblem('regulatoryFees.secFeePerMillion', fees.secFeePerMillion, { nonNegative: true }) ??
    decimalProblem('regulatoryFees.tafPerShare', fees.tafPerShare, { nonNegative: true }) ??
    decimalProblem('regulatoryFees.tafMaximum', fees.tafMaximum, { nonNegative: true })
  );
}

function fillModelProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return 'fills must be an object';
  const f = value as Record<string, unknown>;
  const msProblem = (field: string, max: number) => (Number.isInteger(f[field]) && (f[field] as number) >= 0 && (f[field] as number) <= max ? undefined : `fills.${field} must be an integer from 0 to ${max}`);
  const numberIn = (field: string, min: number, max: number, minOpen = false) => {
    const n = f[field];
    return isFiniteNumber(n) && (minOpen ? n > min : n >= min) && n <= max ? undefined : `fills.${field} must be a number ${minOpen ? '>' : '≥'} ${min} and ≤ ${max}`;
  };
  return (
    msProblem('latencyMs', 60_000) ??
    numberIn('participation', 0, 1, true) ??
    numberIn('slippageBps', 0, 1_000) ??
    numberIn('queueAheadFactor', 0, 1_000) ??
    decimalProblem('fills.queueAheadMinQty', f.queueAheadMinQty, { nonNegative: true }) ??
    msProblem('auctionGraceMs', 3_600_000) ??
    numberIn('marketReserveBps', 0, 10_000)
  );
}
