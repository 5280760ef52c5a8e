import { randomUUID } from 'node:crypto';
import type { BusProducer, BusRecord, OutgoingRecord } from '../../bus/bus.ts';
import type { Clock } from '../../clock.ts';
import { ConfigError } from '../../errors.ts';
import type { Logger } from '../../logger.ts';
import { accountConfig, type AccountConfig } from '../../model/account.ts';
import type { Order, OrderReplace, OrderRequest } from '../../model/order.ts';
import type { TradeUpdate } from '../../model/trade-update.ts';
import { validateTrade } from '../../model/trade.ts';
import { SerialQueue } from '../../processors/runner/serial-queue.ts';
import { STORE_ERROR_CODES } from '../../store/store-error.ts';
import type { InputOffset, OutboxRecord, StoredEquity, TradingChange, TradingStore } from '../../store/trading-store.ts';
import type { AccountSummary, PositionView } from '../engine/account-view.ts';
import type { CommandResult } from '../engine/command-result.ts';
import type { Instrument } from '../engine/instrument.ts';
import { TradingEngine, type ClosePositionOptions } from '../engine/trading-engine.ts';
import type { PrintClassifier } from '../fills/print-classifier.ts';
import type { AccountCredentials, AccountListing, ActivityQuery, EquityPoint, OrderQuery, TradingGateway } from '../gateway.ts';
import { tradingCalendar } from './calendar-adapter.ts';
import { hashSecret, newKeyId, newSecret, secretMatches } from './credentials.ts';
import { EquityClock } from './equity-clock.ts';
import { equitySample } from './equity-sample.ts';
import { configuredInstruments } from './instruments.ts';
import { tradingCommand, type TradingCommand } from './trading-command.ts';
import { SnapshotDelta } from './snapshot-delta.ts';

export interface TradingServiceOptions {
  /** Opened and closed by the caller (the API reads the same database). */
  readonly store: TradingStore;
  /** Where trade updates (`executions`) and accepted commands (`orders`) are published, keyed by account. */
  readonly producer: BusProducer;
  readonly topics: { readonly orders: string; readonly executions: string };
  /** The symbols tickflow streams: the only ones orders may name. */
  readonly symbols: readonly string[];
  /** Commands take effect at max(engine time, this clock's time). */
  readonly clock: Clock;
  readonly logger: Logger;
  /** How prints' sale conditions are read (auctions, prints that do not count); default: every print counts. */
  readonly prints?: PrintClassifier;
  /** New account ids; default random UUIDs (tests pass fixed ones to compare runs). */
  readonly newAccountId?: () => string;
  /**
   * Whether an input offset means the same record after a restart (Kafka, the default). The memory
   * bus numbers its records from 0 again in every process: offsets an earlier process stored would
   * make this one skip every print below them, so only offsets this process committed are used.
   */
  readonly offsetsOutliveProcess?: boolean;
}

/**
 * `printsOnlyCommitMs`: on a bus whose offsets do not outlive the process, a batch of prints that
 * moved no order, account or equity sample is committed (its offsets and the tape) at most this often.
 */
export const TRADING_SERVICE_DEFAULTS = { startingCash: '100000', outboxPage: 1_000, printsOnlyCommitMs: 1_000 } as const;

type Listener = (update: TradeUpdate) => void;

interface StepExtras {
  readonly created?: TradingChange['created'];
  readonly offsets?: readonly InputOffset[];
  readonly command?: TradingCommand;
  readonly orders?: readonly Order[];
}

const offsetKey = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

/**
 * The single writer around the TradingEngine: every command and every batch of prints runs one at a
 * time, and each step's effect (account snapshots, orders, trade updates, equity samples, the tape,
 * the input offsets and the records to publish) is one store transaction. A command's promise
 * resolves only after that transaction committed: an accepted order is durable before the API
 * answers. Prints at offsets the store already holds are skipped, so a redelivered batch is never
 * applied twice (see README.md). When a transaction fails, the engine is rebuilt from the store
 * before the next step, so memory never runs ahead of what is durable.
 */
export class TradingService implements TradingGateway {
  readonly #options: TradingServiceOptions;
  readonly #queue = new SerialQueue();
  readonly #instruments: ReturnType<typeof configuredInstruments>;
  readonly #listeners = new Map<string, Set<Listener>>();
  #engine!: TradingEngine;
  #equityClock!: EquityClock;
  #offsets = new Map<string, number>();
  /** Partitions whose stored offset this process committed; `null` when stored offsets outlive the process. */
  readonly #offsetsOfThisProcess: Set<string> | null;
  /** When each account was made (Unix ms), as stored. */
  #createdAt = new Map<string, number>();
  /** What the store holds of each account, so a step writes only what it changed. */
  readonly #stored = new SnapshotDelta();
  /** Equity samples taken since the last commit. */
  #samples: StoredEquity[] = [];
  /** Whether the engine may differ from the store (before the first load, after a failed commit). */
  #stale = true;
  /** This writer's epoch in the store; a newer service fences this one. */
  #epoch = 0;
  /** Set once a newer service took over: every step fails with it from then on. */
  #fenced: Error | null = null;
  /** Outbox records committed but not yet published (a publish failed): drained from the store next time. */
  #outboxBacklog = true;
  #stats = { commands: 0, rejected: 0, prints: 0, skipped: 0, steps: 0, published: 0, deferred: 0 };
  #lastCommitAt = Number.NEGATIVE_INFINITY;

  private constructor(options: TradingServiceOptions) {
    this.#options = options;
    this.#instruments = configuredInstruments(options.symbols);
    this.#offsetsOfThisProcess = (options.offsetsOutliveProcess ?? true) ? null : new Set();
  }

  /** Restores the accounts, the tape and the input offsets from the store, and publishes what a crash left unpublished. */
  static async open(options: TradingServiceOptions): Promise<TradingService> {
    const service = new TradingService(options);
    service.#epoch = await options.store.claimWriter();
    await service.#queue.run(() => service.#ready());
    return service;
  }

  stats(): Readonly<Record<string, number>> {
    return { ...this.#stats, accounts: this.#engine.accountIds().length };
  }

  /** The next offset of `topic[partition]` the service has not applied (0 when it never saw one). */
  nextOffset(topic: string, partition: number): number {
    return this.#offsets.get(offsetKey(topic, partition)) ?? 0;
  }

  /** The engine's time: the highest event time it was fed. */
  get now(): number {
    return this.#engine.now;
  }

  // Inputs from the processor.

  /**
   * Applies the trades among `records` (raw market data) not applied before, advances to the batch's
   * latest event time, and commits the state with the new offsets. Quotes and gaps only move offsets.
   */
  applyPrints(records: readonly BusRecord[]): Promise<void> {
    return this.#queue.run(async () => {
      await this.#ready();
      const offsets = new Map<string, InputOffset>();
      let latest = -Infinity;
      for (const record of records) {
        const key = offsetKey(record.topic, record.partition);
        if (record.offset < (offsets.get(key)?.nextOffset ?? this.#offsets.get(key) ?? 0)) {
          this.#stats.skipped++;
          continue;
        }
        offsets.set(key, { topic: record.topic, partition: record.partition, nextOffset: record.offset + 1 });
        const trade = (record.value as { type?: unknown } | null)?.type === 'trade' ? validateTrade(record.value) : null;
        if (trade === null || typeof trade === 'string') continue;
        this.#sampleUpTo(trade.tsEvent);
        this.#engine.trade(trade, `${record.topic}[${record.partition}]@${record.offset}`);
        this.#stats.prints++;
        if (trade.tsEvent > latest) latest = trade.tsEvent;
      }
      if (offsets.size === 0) return;
      if (latest > this.#engine.now) this.#engine.advance(latest);
      await this.#commit({ offsets: [...offsets.values()] });
      for (const [key, offset] of offsets) this.#offsets.set(key, offset.nextOffset);
    });
  }

  /** Time passes without a print (live mode): expiries, activations, equity samples due by `ts`. */
  advanceTo(ts: number): Promise<void> {
    return this.#queue.run(async () => {
      await this.#ready();
      if (ts <= this.#engine.now) return;
      this.#sampleUpTo(ts);
      this.#engine.advance(ts);
      await this.#commit({});
    });
  }

  // TradingGateway: commands.

  async authenticate(keyId: string, secret: string): Promise<string | null> {
    const key = await this.#options.store.apiKey(keyId);
    if (!key) {
      // As long as a real check, so a wrong key id and a wrong secret cannot be told apart by time.
      secretMatches(secret, hashSecret(''));
      return null;
    }
    return secretMatches(secret, key.secretHash) ? key.accountId : null;
  }

  /** Throws a `ConfigError` (TICKFLOW_CONFIG_INVALID) for a configuration the engine refuses; nothing is stored then. */
  createAccount(config: Partial<Omit<AccountConfig, 'type' | 'id'>>): Promise<AccountCredentials> {
    return this.#queue.run(async () => {
      await this.#ready();
      const at = this.#commandTime();
      const id = this.#options.newAccountId?.() ?? randomUUID();
      const full = accountConfig({ startingCash: TRADING_SERVICE_DEFAULTS.startingCash, ...config, id });
      const created = this.#engine.createAccount(full, at);
      if (!created.ok) throw new ConfigError(`cannot create the account: ${created.message}`);
      const keyId = newKeyId();
      const secret = newSecret();
      await this.#commit({
        created: [
          {
            account: { accountId: id, config: full, snapshot: this.#engine.snapshotAccount(id), createdAt: at },
            key: { keyId, accountId: id, secretHash: hashSecret(secret), createdAt: at },
          },
        ],
        command: tradingCommand('create_account', id, at, { config: full }),
      });
      this.#createdAt.set(id, at);
      return { accountId: id, keyId, secret };
    });
  }

  resetAccount(accountId: string): Promise<CommandResult<AccountSummary>> {
    return this.#command(accountId, (engine, at) => engine.resetAccount(accountId, at), 'reset_account', {});
  }

  submitOrder(accountId: string, request: OrderRequest): Promise<CommandResult<Order>> {
    return this.#command(accountId, (engine, at) => engine.submit(accountId, request, at), 'submit', { request });
  }

  replaceOrder(accountId: string, orderId: string, change: OrderReplace): Promise<CommandResult<Order>> {
    return this.#command(accountId, (engine, at) => engine.replace(accountId, orderId, change, at), 'replace', { orderId, change });
  }

  cancelOrder(accountId: string, orderId: string): Promise<CommandResult<Order>> {
    return this.#command(accountId, (engine, at) => engine.cancel(accountId, orderId, at), 'cancel', { orderId });
  }

  cancelAllOrders(accountId: string): Promise<CommandResult<readonly Order[]>> {
    return this.#command(accountId, (engine, at) => engine.cancelAll(accountId, at), 'cancel_all', {});
  }

  closePosition(accountId: string, symbol: string, options: ClosePositionOptions): Promise<CommandResult<Order>> {
    return this.#command(accountId, (engine, at) => engine.closePosition(accountId, symbol, at, options), 'close_position', { symbol, options });
  }

  closeAllPositions(accountId: string): Promise<CommandResult<readonly Order[]>> {
    return this.#command(accountId, (engine, at) => engine.closeAll(accountId, at), 'close_all', {});
  }

  // TradingGateway: reads.

  async accounts(): Promise<readonly AccountListing[]> {
    return this.#queue.run(async () => {
      await this.#ready();
      return this.#engine.accountIds().map((id) => ({ ...this.#engine.account(id)!, created_at: this.#createdAt.get(id) ?? 0 }));
    });
  }

  account(accountId: string): Promise<AccountSummary | null> {
    return this.#read(() => this.#engine.account(accountId));
  }

  positions(accountId: string): Promise<readonly PositionView[]> {
    return this.#read(() => this.#engine.positions(accountId) ?? []);
  }

  position(accountId: string, symbol: string): Promise<PositionView | null> {
    return this.#read(() => this.#engine.positions(accountId)?.find((position) => position.symbol === symbol) ?? null);
  }

  orders(accountId: string, query: OrderQuery): Promise<readonly Order[]> {
    return this.#options.store.orders(accountId, query);
  }

  /** An open order as the engine holds it now (a trailing stop's stop moves with every print), else as stored. */
  async order(accountId: string, orderId: string): Promise<Order | null> {
    const open = await this.#read(() => this.#engine.order(accountId, orderId));
    return open ?? this.#options.store.order(accountId, orderId);
  }

  orderByClientId(accountId: string, clientOrderId: string): Promise<Order | null> {
    return this.#options.store.orderByClientId(accountId, clientOrderId);
  }

  /** Fills (with their fees): Alpaca's `FILL` activities; `FEE` asks for the same records, whose fills carry the fee. */
  async activities(accountId: string, query: ActivityQuery): Promise<readonly TradeUpdate[]> {
    if (query.types && query.types.length === 0) return [];
    return this.#options.store.fills(accountId, {
      direction: query.direction,
      pageSize: query.pageSize,
      ...(query.after !== undefined ? { after: query.after } : {}),
      ...(query.until !== undefined ? { until: query.until } : {}),
      ...(query.pageToken !== undefined ? { pageToken: query.pageToken } : {}),
    });
  }

  async equityHistory(accountId: string, from: number, to: number): Promise<readonly EquityPoint[]> {
    const points = await this.#options.store.equity(accountId, from, to);
    return points.map((point) => ({ timestamp: point.ts, equity: point.equity, profitLoss: point.profitLoss, profitLossPct: point.profitLossPct }));
  }

  instruments(): readonly Instrument[] {
    return this.#instruments.list;
  }

  subscribe(accountId: string, listener: Listener): () => void {
    let listeners = this.#listeners.get(accountId);
    if (!listeners) this.#listeners.set(accountId, (listeners = new Set()));
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && this.#listeners.get(accountId) === listeners) this.#listeners.delete(accountId);
    };
  }

  /** Waits for the step in progress; the store and the producer are the caller's to close. */
  close(): Promise<void> {
    return this.#queue.run(async () => {});
  }

  // Steps.

  #command<T>(
    accountId: string,
    run: (engine: TradingEngine, at: number) => CommandResult<T>,
    kind: TradingCommand['command'],
    details: Record<string, unknown>,
  ): Promise<CommandResult<T>> {
    return this.#queue.run(async () => {
      await this.#ready();
      const at = this.#commandTime();
      this.#sampleUpTo(at);
      const result = run(this.#engine, at);
      this.#stats.commands++;
      if (!result.ok) this.#stats.rejected++;
      const orders = result.ok ? ordersOf(result.value) : [];
      // A rejection changed nothing, but time passing before it may have (an expiry): that is committed too.
      await this.#commit(result.ok ? { command: tradingCommand(kind, accountId, at, { ...details, orders: orders.map((order) => order.id) }), orders } : {});
      return result;
    });
  }

  #read<T>(read: () => T): Promise<T> {
    return this.#queue.run(async () => {
      await this.#ready();
      return read();
    });
  }

  #commandTime(): number {
    return Math.max(this.#engine.now, this.#options.clock.now());
  }

  /** Advances to each equity boundary up to `ts` and samples every account there. */
  #sampleUpTo(ts: number): void {
    for (const at of this.#equityClock.due(ts)) {
      if (at > this.#engine.now) this.#engine.advance(at);
      for (const id of this.#engine.accountIds()) this.#samples.push(equitySample(this.#engine.account(id)!, at));
    }
  }

  /** One transaction for the step, then publish, then tell the listeners. On failure the engine is rebuilt from the store. */
  async #commit(extras: StepExtras): Promise<void> {
    const engine = this.#engine;
    const updates = engine.takeEvents();
    const changed = engine.takeChangedAccounts();
    const equity = this.#samples;
    this.#samples = [];
    const orders = new Map<string, Order>();
    for (const update of updates) orders.set(update.order.id, update.order);
    for (const order of extras.orders ?? []) if (!orders.has(order.id)) orders.set(order.id, order);
    const outbox: Omit<OutboxRecord, 'id'>[] = updates.map((update) => ({ topicKind: 'executions', key: update.account_id, value: update, timestamp: update.timestamp }));
    if (extras.command) outbox.push({ topicKind: 'orders', key: extras.command.account_id, value: extras.command, timestamp: extras.command.at });
    const quiet = updates.length === 0 && changed.length === 0 && equity.length === 0 && !extras.offsets?.length && !extras.command;
    // Time passing with nothing to show (a live tick between prints): nothing worth a transaction.
    if (quiet) return;
    if (this.#deferrable(extras, updates.length + changed.length + equity.length + orders.size)) {
      this.#stats.deferred++;
      return;
    }
    const created = new Set((extras.created ?? []).map(({ account }) => account.accountId));
    const market = engine.takeMarketChange();
    const accountChanges = changed.filter((id) => !created.has(id)).map((accountId) => this.#stored.change(accountId, engine.snapshotAccount(accountId)!));
    const change: TradingChange = {
      epoch: this.#epoch,
      ...(extras.created ? { created: extras.created } : {}),
      accounts: accountChanges.flatMap(({ change }) => (change ? [change] : [])),
      orders: [...orders.values()],
      updates,
      equity,
      market: market.market,
      recentVolume: market.volume,
      offsets: extras.offsets ?? [],
      outbox,
    };
    let outboxIds: number[];
    try {
      outboxIds = await this.#options.store.commit(change);
    } catch (error) {
      this.#stale = true;
      if ((error as { code?: unknown }).code === STORE_ERROR_CODES.LOCKED) {
        this.#fenced = error as Error;
        this.#options.logger.error({ err: error }, 'trading: another trading service took over this store; this one stops writing');
      }
      throw error;
    }
    for (const { confirm } of accountChanges) confirm();
    // Only now does the store hold this process's offset for these partitions (not when a step was deferred).
    for (const offset of extras.offsets ?? []) this.#offsetsOfThisProcess?.add(offsetKey(offset.topic, offset.partition));
    this.#lastCommitAt = this.#options.clock.now();
    this.#stats.steps++;
    await this.#publish(outbox, outboxIds);
    for (const update of updates) this.#deliver(update);
  }

  /**
   * A step of prints that moved nothing but the tape and the input offsets, on a bus whose offsets
   * die with the process (the memory bus): its commit can wait for the next one. What it leaves
   * unstored is the tape's last prices (a later commit stores them) and offsets no later process
   * reads; a crash loses the bus's records anyway (the ingest journal replays what it held). Without
   * this, every print batch cost a transaction on the embedded store's one thread.
   */
  #deferrable(extras: StepExtras, moved: number): boolean {
    if (this.#offsetsOfThisProcess === null || moved > 0 || extras.command || extras.created) return false;
    return this.#options.clock.now() - this.#lastCommitAt < TRADING_SERVICE_DEFAULTS.printsOnlyCommitMs;
  }

  async #publish(records: readonly Omit<OutboxRecord, 'id'>[], ids: readonly number[]): Promise<void> {
    try {
      if (this.#outboxBacklog) {
        await this.#drainOutbox();
        return;
      }
      await this.#send(records);
      await this.#options.store.deleteOutbox(ids);
    } catch (error) {
      // Durable already: the records wait in the outbox for the next step or the next start.
      this.#outboxBacklog = true;
      this.#options.logger.warn({ err: error }, 'trading: publishing to the bus failed; the records wait in the store');
    }
  }

  async #drainOutbox(): Promise<void> {
    for (;;) {
      const pending = await this.#options.store.pendingOutbox(TRADING_SERVICE_DEFAULTS.outboxPage);
      if (pending.length === 0) break;
      await this.#send(pending);
      await this.#options.store.deleteOutbox(pending.map((record) => record.id));
    }
    this.#outboxBacklog = false;
  }

  /** Sends in order: runs of records for one topic go in one call. */
  async #send(records: readonly Omit<OutboxRecord, 'id'>[]): Promise<void> {
    const { producer, topics } = this.#options;
    for (let start = 0; start < records.length; ) {
      const kind = records[start]!.topicKind;
      let end = start;
      const run: OutgoingRecord[] = [];
      while (end < records.length && records[end]!.topicKind === kind) {
        const record = records[end++]!;
        run.push({ key: record.key, value: record.value, timestamp: record.timestamp });
      }
      await producer.send(kind === 'orders' ? topics.orders : topics.executions, run);
      this.#stats.published += run.length;
      start = end;
    }
  }

  #deliver(update: TradeUpdate): void {
    for (const listener of this.#listeners.get(update.account_id) ?? []) {
      try {
        listener(update);
      } catch (error) {
        this.#options.logger.warn({ err: error }, 'trading: a trade-update listener threw');
      }
    }
  }

  /** Builds the engine from the store when it is not known to match it (at start, after a failed commit). */
  async #ready(): Promise<void> {
    if (this.#fenced) throw this.#fenced;
    if (!this.#stale) return;
    const { store, prints } = this.#options;
    const state = await store.load();
    const engine = new TradingEngine({ instrument: this.#instruments.lookup, calendar: tradingCalendar, ...(prints ? { prints } : {}) });
    if (state.market !== null) engine.restoreMarket(state.market, state.recentVolume);
    for (const account of state.accounts) engine.restoreAccount(SnapshotDelta.merge(account));
    this.#stored.seed(state.accounts);
    this.#createdAt = new Map(state.accounts.map((account) => [account.accountId, account.createdAt]));
    engine.takeEvents();
    engine.takeChangedAccounts();
    this.#engine = engine;
    this.#equityClock = new EquityClock(engine.now);
    this.#samples = [];
    const ofThisProcess = this.#offsetsOfThisProcess;
    this.#offsets = new Map(state.offsets.map((offset) => [offsetKey(offset.topic, offset.partition), offset.nextOffset] as const).filter(([key]) => ofThisProcess?.has(key) ?? true));
    this.#stale = false;
    if (this.#outboxBacklog) {
      try {
        await this.#drainOutbox();
      } catch (error) {
        this.#options.logger.warn({ err: error }, 'trading: publishing the outbox failed; it waits in the store');
      }
    }
  }
}

function ordersOf(value: unknown): Order[] {
  if (Array.isArray(value)) return value.filter(isOrder);
  return isOrder(value) ? [value] : [];
}

function isOrder(value: unknown): value is Order {
  return (value as { type?: unknown } | null)?.type === 'order';
}
