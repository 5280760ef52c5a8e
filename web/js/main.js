/* global addEventListener, clearTimeout, document, requestAnimationFrame, setTimeout -- browser globals (the lint config is Node's) */
import { AlertRules } from './alerts.js';
import { BacktestList } from './backtests.js';
import { ApiError, barsPath, getJson, historyStart, poll, signalsPath } from './api.js';
import { CandleBook } from './candles.js';
import { CandleChart } from './chart.js';
import { HISTORY_REPAIR_ATTEMPTS, historyRepairDelay, mayMissStoredBars } from './history-repair.js';
import { byTestId } from './dom.js';
import { NotificationFeed } from './feed.js';
import { describeLag, formatPercent, formatPrice } from './format.js';
import { Portfolio } from './portfolio.js';
import { rememberSelection, session } from './session.js';
import { mergeSignals } from './signal-history.js';
import { LiveSocket } from './socket.js';
import { StatusStrip } from './status.js';
import { SymbolList } from './symbols.js';

const HISTORY_LIMIT = { '1s': 600, '1m': 500 };
const SIGNALS_PER_SYMBOL = 300;
const SYMBOLS_EVERY_MS = 3_000;
const STATUS_EVERY_MS = 2_000;
const HISTORY_FALLBACK_EVERY_MS = 5_000;
/** How long the stream's `lagging` notice stays, and its fade-out (dashboard.css `.lagging`). */
const LAGGING_SHOWN_MS = 10_000;
const LAGGING_FADE_MS = 800;

const view = {
  symbol: null,
  interval: session.interval,
  book: new CandleBook(session.interval),
  /** Bumped on every symbol or interval change: a late REST answer for the old view is dropped. */
  generation: 0,
  dirty: new Set(),
  frame: 0,
  /** Whether this view's chart has been scrolled to its newest candle once. */
  framed: false,
  lastPrice: null,
  /** The oldest candle start the stream gave since it (re)subscribed, or null: where stored history must reach. */
  liveOldest: null,
  /** The newest stored bar's start of the last history read (null: none stored), undefined before the first read. */
  storedNewest: undefined,
  /** The pending history repair (history-repair.js) and how many were made for this view. */
  repair: { timer: 0, attempts: 0 },
};
/** symbol → its signals, oldest first, each once (markers need them when the symbol is selected later). */
const signals = new Map();
/** Whether the server stores signals (/v1/signals); an older one answers 404 and is not asked again. */
let signalHistory = true;

const chart = new CandleChart(byTestId('chart'));
const status = new StatusStrip();
const symbols = new SymbolList({ onSelect: select });
const feed = new NotificationFeed({ onSelect: select });
const alerts = new AlertRules({ priceOf: (symbol) => symbols.priceOf(symbol) });
const portfolio = new Portfolio({ chart, view: () => view, onSelect: select });
const nodes = {
  symbol: byTestId('selected-symbol'),
  last: byTestId('last-price'),
  vwap: byTestId('window-vwap'),
  change: byTestId('window-change'),
  changeScope: byTestId('window-change-scope'),
  candles: byTestId('candle-count'),
  markers: byTestId('marker-count'),
  note: byTestId('chart-note'),
  lagging: byTestId('stream-lagging'),
  authNotice: byTestId('auth-notice'),
};
/** The `lagging` notice: the trades skipped while it shows, and its timer. */
const lagging = { dropped: 0, timer: 0 };

let streamOpened = false;
const stream = new LiveSocket('/ws/stream', {
  onOpen: () => {
    view.liveOldest = null;
    view.repair.attempts = 0;
    subscribe(view.symbol);
    // After a reconnect, what was missed comes from REST.
    if (streamOpened) void loadHistory();
    streamOpened = true;
  },
  onMessage: onStreamMessage,
  onState: (socket) => socketState('stream', socket),
});
const notifications = new LiveSocket('/ws/notifications', {
  onMessage: onNotification,
  onState: (socket) => socketState('notifications', socket),
});

function socketState(name, socket) {
  status.socket(name, socket);
  if (socket.state === 'unauthorized') showTokenNeeded('TICKFLOW_WS_TOKEN');
}

/** The server wants a token (the one `setting` names): say where it goes instead of retrying. */
function showTokenNeeded(setting) {
  nodes.authNotice.textContent = session.token
    ? `tickflow did not accept the token in this address. Put the value of ${setting} after #token= in the address bar and reload.`
    : `This tickflow needs a token. Add #token=<${setting}> to the address (the value tickflow was started with) and reload.`;
  nodes.authNotice.hidden = false;
}

for (const button of document.querySelectorAll('[data-interval]')) {
  button.addEventListener('click', () => chooseInterval(button.dataset.interval));
}
markInterval();

const stopSymbols = poll(async () => {
  const answer = await getJson('/v1/symbols');
  symbols.update(answer);
  alerts.setSymbols(symbols.symbols, view.symbol);
  if (!view.symbol && symbols.symbols.length > 0) select(symbols.symbols.includes(session.symbol) ? session.symbol : symbols.symbols[0]);
  // Live trades move the price between polls; without the stream the poll does.
  else if (view.symbol && stream.state !== 'open') showPrice(symbols.priceOf(view.symbol));
}, SYMBOLS_EVERY_MS, (error) => {
  // Reads closed with TICKFLOW_API_READ_TOKEN: asking again without the token cannot help.
  if (!(error instanceof ApiError) || error.status !== 401) return;
  stopSymbols();
  showTokenNeeded('TICKFLOW_API_READ_TOKEN');
});

poll(
  async () => status.update(await getJson('/status')),
  STATUS_EVERY_MS,
  () => status.unreachable(),
);

// Without the stream (not served, or reconnecting) the chart still follows the stored bars.
poll(async () => {
  if (stream.state !== 'open') await loadHistory();
}, HISTORY_FALLBACK_EVERY_MS);

void alerts.load();
new BacktestList().start();

addEventListener('pagehide', () => {
  stream.close();
  notifications.close();
});

function subscribe(symbol) {
  if (symbol) stream.send({ op: 'subscribe', symbols: [symbol], channels: ['bars', 'trades', 'metrics'] });
}

function select(symbol) {
  if (symbol === view.symbol) return;
  if (view.symbol) stream.send({ op: 'unsubscribe', symbols: [view.symbol] });
  view.symbol = symbol;
  view.lastPrice = symbols.priceOf(symbol);
  delete nodes.last.dataset.direction;
  nodes.last.textContent = formatPrice(view.lastPrice);
  symbols.select(symbol);
  feed.select(symbol);
  alerts.follow(symbol);
  portfolio.follow(symbol);
  nodes.symbol.textContent = symbol;
  nodes.vwap.textContent = '—';
  nodes.change.textContent = '—';
  nodes.changeScope.textContent = 'rolling window';
  subscribe(symbol);
  rememberSelection(symbol, view.interval);
  resetView();
}

function chooseInterval(interval) {
  if (interval === view.interval) return;
  view.interval = interval;
  markInterval();
  if (view.symbol) rememberSelection(view.symbol, interval);
  resetView();
}

function markInterval() {
  for (const button of document.querySelectorAll('[data-interval]')) button.setAttribute('aria-pressed', String(button.dataset.interval === view.interval));
}

function resetView() {
  view.generation += 1;
  view.book = new CandleBook(view.interval);
  view.framed = false;
  view.liveOldest = null;
  view.storedNewest = undefined;
  clearTimeout(view.repair.timer);
  view.repair = { timer: 0, attempts: 0 };
  view.dirty.clear();
  chart.reset(view.book);
  renderCounts();
  void loadHistory();
}

async function loadHistory() {
  const { symbol, interval, generation } = view;
  if (!symbol) return;
  const from = historyStart(interval, HISTORY_LIMIT[interval]);
  void loadSignalHistory(symbol, from);
  let bars;
  try {
    ({ bars } = await getJson(barsPath(symbol, interval, HISTORY_LIMIT[interval], from)));
  } catch (error) {
    if (generation === view.generation) {
      showNote(`could not load ${interval} bars of ${symbol}: ${error.message}`);
      repairHistoryLater();
    }
    return;
  }
  if (generation !== view.generation) return;
  for (const bar of bars) view.book.applyBar({ ...bar, interval });
  view.storedNewest = bars.at(-1)?.start ?? null;
  checkStoredHistory();
  // The first history of a view scrolls to the newest candle; later ones (reconnects) leave the user's scroll alone.
  chart.reset(view.book, { frame: !view.framed });
  view.framed = true;
  view.dirty.clear();
  renderCounts();
}

/** The history read and the stream's first candles can come in either order: checked after each. */
function checkStoredHistory() {
  if (view.storedNewest !== undefined && mayMissStoredBars(view.storedNewest, view.liveOldest, view.book.width)) repairHistoryLater();
}

/** Reads the history again a little later (bounded): storage may not have written the bars before the stream's first. */
function repairHistoryLater() {
  const { repair, generation } = view;
  if (repair.timer || repair.attempts >= HISTORY_REPAIR_ATTEMPTS) return;
  repair.timer = setTimeout(() => {
    repair.timer = 0;
    if (generation === view.generation) void loadHistory();
  }, historyRepairDelay(repair.attempts++));
}

/** The stored signals of the chart's range, merged with the live ones; markers appear once their candles are there. */
async function loadSignalHistory(symbol, from) {
  if (!signalHistory) return;
  let stored;
  try {
    ({ signals: stored } = await getJson(signalsPath(symbol, from, SIGNALS_PER_SYMBOL)));
  } catch (error) {
    // 404: a server without signal history. Anything else: the live markers stay, the next load tries again.
    if (error.status === 404) signalHistory = false;
    return;
  }
  addSignals(symbol, stored);
}

function addSignals(symbol, more) {
  const list = signals.get(symbol) ?? [];
  const merged = mergeSignals(list, more, SIGNALS_PER_SYMBOL);
  if (merged === list) return;
  signals.set(symbol, merged);
  if (symbol === view.symbol) renderMarkers();
}

/** Trades, bars and window metrics: quotes and quote bars are not on the stream (src/notify/PROTOCOL.md). */
function onStreamMessage(message) {
  if (message.type === 'lagging') {
    showLagging(message.dropped);
    return;
  }
  if (message.symbol !== view.symbol) return;
  if (message.type === 'trade') {
    symbols.trade(message);
    showPrice(message.price);
    markDirty(live(view.book.applyTrade(message)));
  } else if (message.type === 'bar') {
    markDirty(live(view.book.applyBar(message)));
  } else if (message.type === 'window-metrics') {
    nodes.vwap.textContent = formatPrice(message.vwap);
    nodes.change.textContent = formatPercent(message.changePct);
    nodes.changeScope.textContent = `last ${message.count} trade${message.count === 1 ? '' : 's'}`;
    nodes.change.dataset.sign = message.changePct > 0 ? 'up' : message.changePct < 0 ? 'down' : 'flat';
  }
}

function onNotification(message) {
  if (message.type === 'signal') {
    feed.signal(message);
    addSignals(message.symbol, [message]);
  } else if (message.type === 'alert') {
    feed.alert(message);
    alerts.firing(message);
  }
}

/** Notes a candle start the stream gave (history-repair.js); returns it. */
function live(start) {
  if (start !== null && (view.liveOldest === null || start < view.liveOldest)) {
    view.liveOldest = start;
    checkStoredHistory();
  }
  return start;
}

/** Chart updates are batched per animation frame: a burst of trades costs one redraw. */
function markDirty(start) {
  if (start === null) return;
  view.dirty.add(start);
  view.frame ||= requestAnimationFrame(flush);
}

function flush() {
  view.frame = 0;
  if (view.dirty.size === 0) return;
  chart.refresh(view.book, view.dirty);
  view.dirty.clear();
  renderCounts();
}

function renderMarkers() {
  const count = chart.setSignals(signals.get(view.symbol) ?? [], view.book);
  nodes.markers.dataset.count = String(count);
  nodes.markers.textContent = `${count} signal${count === 1 ? '' : 's'}`;
  portfolio.drawFills();
}

function renderCounts() {
  const size = view.book.size;
  if (Number(nodes.candles.dataset.count) !== size) {
    nodes.candles.dataset.count = String(size);
    // The chart's span (Unix ms of its first and last candle starts), for whoever checks it has no holes.
    nodes.candles.dataset.first = String(view.book.candles()[0]?.start ?? '');
    nodes.candles.dataset.last = String(view.book.last()?.start ?? '');
    nodes.candles.textContent = `${size} candle${size === 1 ? '' : 's'}`;
    // A new candle may be the one a waiting signal belongs to (a marker needs its candle).
    renderMarkers();
  }
  showNote(size === 0 ? `waiting for the first ${view.interval} bar of ${view.symbol ?? 'a symbol'}…` : null);
}

/** The selected symbol's last price, coloured by the direction of its last move. */
function showPrice(price) {
  if (price === null) return;
  if (view.lastPrice !== null && price !== view.lastPrice) nodes.last.dataset.direction = price > view.lastPrice ? 'up' : 'down';
  view.lastPrice = price;
  nodes.last.textContent = formatPrice(price);
}

/**
 * The stream skipped trades (src/notify/PROTOCOL.md, Slow clients and Overload). Nothing to repair: the
 * closed bars still come and replace the forming candle. A notice counts the skipped trades while it
 * shows and fades ~10 s after the last one.
 */
function showLagging(dropped) {
  lagging.dropped += Number.isFinite(dropped) && dropped > 0 ? dropped : 0;
  nodes.lagging.dataset.dropped = String(lagging.dropped);
  nodes.lagging.textContent = describeLag(lagging.dropped);
  delete nodes.lagging.dataset.fading;
  nodes.lagging.hidden = false;
  clearTimeout(lagging.timer);
  lagging.timer = setTimeout(() => {
    nodes.lagging.dataset.fading = '';
    lagging.timer = setTimeout(() => {
      nodes.lagging.hidden = true;
      lagging.dropped = 0;
    }, LAGGING_FADE_MS);
  }, LAGGING_SHOWN_MS);
}

function showNote(text) {
  nodes.note.hidden = text === null;
  nodes.note.textContent = text ?? '';
}
