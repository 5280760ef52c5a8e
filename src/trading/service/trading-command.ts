/** A command the trading service accepted, as published to the `orders` topic (keyed by account). */
export interface TradingCommand {
  readonly type: 'trading-command';
  readonly command: 'create_account' | 'reset_account' | 'submit' | 'replace' | 'cancel' | 'cancel_all' | 'close_position' | 'close_all';
  readonly account_id: string;
  /** The engine time it took effect at, Unix ms. */
  readonly at: number;
  /** What the command carried (the order request, the order id, the account config) and the ids of the orders it made or changed. */
  readonly details: Readonly<Record<string, unknown>>;
}

export function tradingCommand(command: TradingCommand['command'], accountId: string, at: number, details: Readonly<Record<string, unknown>>): TradingCommand {
  return { type: 'trading-command', command, account_id: accountId, at, details };
}
