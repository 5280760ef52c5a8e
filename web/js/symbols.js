import { byTestId, el } from './dom.js';
import { describeFeed, formatAge, formatPercent, formatPrice, shortName } from './format.js';

/**
 * The symbol list: last price (coloured by the direction of the last move), change since this page
 * first saw the symbol, and a live/stale badge; the feed's health in the panel head. Rows are
 * updated in place, so the list does not flicker and a click is never lost to a re-render.
 */
export class SymbolList {
  #list = byTestId('symbol-list');
  #empty = byTestId('symbols-empty');
  #feedBadge = byTestId('feed-badge');
  #rows = new Map();
  #onSelect;
  selected = null;

  constructor({ onSelect }) {
    this.#onSelect = onSelect;
    this.#list.addEventListener('click', (event) => {
      const row = event.target.closest('[data-symbol]');
      if (row) this.#onSelect(row.dataset.symbol);
    });
    this.#list.addEventListener('keydown', (event) => {
      const row = event.target.closest('[data-symbol]');
      if (row && (event.key === 'Enter' || event.key === ' ')) {
        event.preventDefault();
        this.#onSelect(row.dataset.symbol);
      }
    });
  }

  get symbols() {
    return [...this.#rows.keys()];
  }

  /** A `/v1/symbols` answer. */
  update({ feed, symbols }) {
    this.#showFeed(feed);
    for (const summary of symbols) {
      const row = this.#rows.get(summary.symbol) ?? this.#add(summary.symbol);
      row.stale = summary.stale;
      row.lastUpdate = summary.lastUpdate;
      // The stream is fresher than the poll for the selected symbol; the poll must not move it back.
      if (summary.price !== null && !(row.liveAt && row.liveAt >= (summary.lastUpdate ?? 0))) this.#setPrice(row, summary.price);
      this.#render(row);
    }
    this.#empty.hidden = this.#rows.size > 0;
    if (this.#rows.size === 0) this.#empty.textContent = 'no symbols configured';
  }

  /** A live trade of the selected symbol. */
  trade(trade) {
    const row = this.#rows.get(trade.symbol);
    if (!row) return;
    row.liveAt = trade.tsRecv;
    row.lastUpdate = trade.tsRecv;
    row.stale = false;
    this.#setPrice(row, trade.price);
    this.#render(row);
  }

  priceOf(symbol) {
    return this.#rows.get(symbol)?.price ?? null;
  }

  select(symbol) {
    this.selected = symbol;
    for (const [name, row] of this.#rows) row.node.setAttribute('aria-selected', String(name === symbol));
  }

  #add(symbol) {
    const price = el('span', { class: 'price', 'data-testid': 'symbol-price' }, ['—']);
    const change = el('span', { class: 'change', title: 'change since this page first saw the symbol' }, ['']);
    const badge = el('span', { class: 'badge', 'data-testid': 'symbol-health' }, ['']);
    const node = el('li', { class: 'symbol-row', role: 'option', tabindex: '0', 'data-testid': 'symbol-row', 'data-symbol': symbol, 'aria-selected': String(symbol === this.selected) }, [
      el('span', { class: 'name' }, [shortName(symbol)]),
      price,
      el('span', { class: 'meta' }, [badge, symbol.includes(':') ? el('span', { class: 'venue' }, [symbol.split(':')[0]]) : null]),
      change,
    ]);
    const row = { symbol, node, priceNode: price, changeNode: change, badgeNode: badge, price: null, first: null, direction: 0, stale: true, lastUpdate: null, liveAt: null };
    // Keep the rows in alphabetical order, as the API sends them.
    const after = [...this.#rows.keys()].sort().find((name) => name > symbol);
    this.#list.insertBefore(node, after ? this.#rows.get(after).node : null);
    this.#rows.set(symbol, row);
    return row;
  }

  #setPrice(row, price) {
    if (row.price !== null && price !== row.price) row.direction = price > row.price ? 1 : -1;
    row.price = price;
    row.first ??= price;
  }

  #render(row) {
    row.priceNode.textContent = formatPrice(row.price);
    row.node.dataset.direction = row.direction > 0 ? 'up' : row.direction < 0 ? 'down' : 'flat';
    const change = row.first ? ((row.price - row.first) / row.first) * 100 : null;
    row.changeNode.textContent = change === null ? '' : formatPercent(change);
    row.changeNode.dataset.sign = change > 0 ? 'up' : change < 0 ? 'down' : 'flat';
    row.badgeNode.textContent = row.stale ? 'stale' : 'live';
    row.badgeNode.dataset.state = row.stale ? 'stale' : 'live';
    row.badgeNode.title = row.lastUpdate ? `last trade ${formatAge(Date.now() - row.lastUpdate)} ago` : 'no trade yet';
  }

  #showFeed(feed) {
    if (!feed) {
      this.#feedBadge.textContent = 'no feed';
      this.#feedBadge.dataset.state = 'down';
      return;
    }
    const { state, text } = describeFeed(feed);
    this.#feedBadge.dataset.state = state;
    this.#feedBadge.textContent = text;
    this.#feedBadge.title = feed.fatalError ?? (feed.lastMessageAt ? `last frame ${formatAge(Date.now() - feed.lastMessageAt)} ago · ${feed.reconnects} reconnects` : 'no frame yet');
  }
}
