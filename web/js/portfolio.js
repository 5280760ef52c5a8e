/* global addEventListener, clearTimeout, setTimeout -- browser globals (the lint config is Node's) */
import { AccountSummaryView } from './account-summary.js';
import { poll } from './api.js';
import { byTestId } from './dom.js';
import { EquityCurve } from './equity-curve.js';
import { FillBook, fillFromActivity, fillFromUpdate, fillMarkers } from './fill-markers.js';
import { OpenOrdersView } from './open-orders.js';
import { OrderTicket } from './order-ticket.js';
import { PositionsView } from './positions.js';
import { TradeUpdatesSocket } from './trade-updates.js';
import { TradingApi, TradingApiError, describeTradingError } from './trading-api.js';
import { forgetKeys, saveKeys, savedKeys } from './trading-session.js';

/** Prices move equity and market values between trade updates: the summary and positions follow them this often. */
const ACCOUNT_EVERY_MS = 5_000;
const EQUITY_EVERY_MS = 30_000;
/** A burst of updates (an order filled in parts) costs one refresh. */
const REFRESH_AFTER_UPDATE_MS = 150;

/**
 * The trading column: a paper account's summary, equity curve, positions, open orders and order
 * ticket over /v2 (same origin), kept current by its `trade_updates`, and its fills as markers on
 * the price chart.
 */
export class Portfolio {
  #chart;
  #view;
  #panel = byTestId('trading');
  #connectForm = byTestId('connect-form');
  #connectMessage = byTestId('connect-message');
  #body = byTestId('trading-body');
  #socketState = byTestId('trade-updates-state');
  #fillCount = byTestId('fill-count');
  #summary = new AccountSummaryView();
  #curve;
  #positions;
  #orders;
  #ticket;
  #fills = new FillBook();
  #assetClasses = new Map();
  #api = null;
  #socket = null;
  #stops = [];
  #refreshTimer = 0;
  /** A connect in flight: a second press of Connect waits for it rather than start a second session. */
  #connecting = false;

  /**
   * @param {{ chart: import('./chart.js').CandleChart, view: () => { symbol: string | null, book: any }, onSelect: (symbol: string) => void }} options
   */
  constructor({ chart, view, onSelect }) {
    this.#chart = chart;
    this.#view = view;
    this.#curve = new EquityCurve(byTestId('equity-curve'));
    this.#positions = new PositionsView({ onSelect });
    this.#orders = new OpenOrdersView({ onCancel: (id) => this.#cancel(id) });
    this.#ticket = new OrderTicket({ submit: (body) => this.#submit(body), assetClassOf: (symbol) => this.#assetClasses.get(symbol) ?? null });
    this.#connectForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const keys = { keyId: this.#connectForm.elements.keyId.value.trim(), secret: this.#connectForm.elements.secret.value.trim() };
      void this.connect(keys);
    });
    byTestId('trading-disconnect').addEventListener('click', () => this.disconnect());
    addEventListener('pagehide', () => this.#socket?.close());
    const saved = savedKeys();
    if (saved) void this.connect(saved);
  }

  /** Checks the keys with `GET /v2/account`; on success keeps them for this tab and shows the account. */
  async connect(keys) {
    if (!keys.keyId || !keys.secret) return this.#say('enter the key id and the secret of a paper account', 'error');
    if (this.#connecting || this.#api) return;
    const api = new TradingApi(keys);
    this.#say('connecting…');
    let account;
    this.#connecting = true;
    try {
      account = await api.account();
    } catch (error) {
      if (error.status === 401) forgetKeys();
      if (error.status === 404) return this.#say('this tickflow serves no paper trading (/v2): run it with the trading service', 'error');
      return this.#say(describeTradingError(error), 'error');
    } finally {
      this.#connecting = false;
    }
    saveKeys(keys);
    this.#connectForm.reset();
    this.#say('');
    this.#api = api;
    this.#panel.dataset.state = 'connected';
    this.#connectForm.hidden = true;
    this.#body.hidden = false;
    byTestId('trading-disconnect').hidden = false;
    const accountId = byTestId('account-id');
    accountId.textContent = account.account_number ? account.account_number.slice(0, 8) : '';
    accountId.title = `account ${account.account_number ?? ''}`;
    this.#summary.render(account);
    void this.#loadAssets();
    void this.#loadFills();
    this.#stops.push(
      poll(() => this.#refresh(), ACCOUNT_EVERY_MS, (error) => this.#failed(error)),
      poll(() => this.#loadEquity(), EQUITY_EVERY_MS, (error) => this.#failed(error)),
    );
    this.#socket = new TradeUpdatesSocket(keys, {
      onUpdate: (update) => this.#onUpdate(update),
      // After a reconnect, what was missed comes from REST.
      onOpen: () => {
        this.#scheduleRefresh();
        void this.#loadFills();
      },
      onState: (state) => {
        this.#socketState.dataset.state = state;
        this.#socketState.title = `/stream trade_updates: ${state}`;
      },
    });
  }

  disconnect(message = '') {
    forgetKeys();
    for (const stop of this.#stops.splice(0)) stop();
    clearTimeout(this.#refreshTimer);
    this.#socket?.close();
    this.#socket = null;
    this.#api = null;
    this.#fills.clear();
    this.#summary.clear();
    this.#curve.clear();
    this.#positions.clear();
    this.#orders.clear();
    this.drawFills();
    this.#panel.dataset.state = 'disconnected';
    this.#connectForm.hidden = false;
    this.#body.hidden = true;
    byTestId('trading-disconnect').hidden = true;
    this.#say(message, message ? 'error' : undefined);
  }

  /** The chart's symbol changed: the ticket trades it, its fills are the markers. */
  follow(symbol) {
    this.#ticket.follow(symbol);
    this.drawFills();
  }

  /** The fills of the chart's symbol whose candles are on the chart (again after the candles change). */
  drawFills() {
    const { symbol, book } = this.#view();
    const count = this.#chart.setFills(symbol ? fillMarkers(this.#fills.all(), symbol, book) : []);
    this.#fillCount.dataset.count = String(count);
    this.#fillCount.textContent = `${count} fill${count === 1 ? '' : 's'}`;
  }

  async #refresh() {
    const api = this.#api;
    if (!api) return;
    const [account, positions, orders] = await Promise.all([api.account(), api.positions(), api.openOrders()]);
    if (api !== this.#api) return;
    this.#summary.render(account);
    this.#curve.live(Date.parse(account.as_of), account.equity);
    this.#positions.render(positions);
    this.#orders.render(orders);
  }

  async #loadEquity() {
    const api = this.#api;
    if (!api) return;
    const history = await api.portfolioHistory();
    if (api === this.#api) this.#curve.render(history);
  }

  async #loadFills() {
    const api = this.#api;
    if (!api) return;
    try {
      const activities = await api.fills();
      if (api === this.#api && this.#fills.add(activities.map(fillFromActivity))) this.drawFills();
    } catch (error) {
      this.#failed(error);
    }
  }

  async #loadAssets() {
    const api = this.#api;
    try {
      for (const asset of await api.assets()) this.#assetClasses.set(asset.symbol, asset.class);
    } catch (error) {
      this.#failed(error);
    }
  }

  #onUpdate(update) {
    if (this.#fills.add([fillFromUpdate(update)])) {
      this.drawFills();
      // A fill moves cash and equity: the curve's last point too.
      void this.#loadEquity().catch((error) => this.#failed(error));
    }
    this.#scheduleRefresh();
  }

  #scheduleRefresh() {
    clearTimeout(this.#refreshTimer);
    this.#refreshTimer = setTimeout(() => void this.#refresh().catch((error) => this.#failed(error)), REFRESH_AFTER_UPDATE_MS);
  }

  async #submit(body) {
    if (!this.#api) throw new TradingApiError(401, 'connect a paper account first');
    const order = await this.#api.placeOrder(body).catch((error) => {
      throw new Error(describeTradingError(error));
    });
    this.#scheduleRefresh();
    return order;
  }

  async #cancel(id) {
    if (!this.#api) throw new TradingApiError(401, 'connect a paper account first');
    await this.#api.cancelOrder(id).catch((error) => {
      throw new Error(describeTradingError(error));
    });
    this.#scheduleRefresh();
  }

  /** Keys revoked meanwhile (401): back to the connect form, saying so. Anything else: the next poll tries again. */
  #failed(error) {
    if (error?.status === 401 && this.#api) this.disconnect(describeTradingError(error));
  }

  #say(text, state) {
    this.#connectMessage.textContent = text;
    if (state) this.#connectMessage.dataset.state = state;
    else delete this.#connectMessage.dataset.state;
  }
}
