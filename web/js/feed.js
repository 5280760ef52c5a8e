/* global document -- browser globals (the lint config is Node's) */
import { byTestId, el } from './dom.js';
import { formatPrice, formatTime, shortName } from './format.js';

const MAX_ITEMS = 200;

/** Signals and alert firings from `/ws/notifications`, newest first; a click selects the symbol. */
export class NotificationFeed {
  #list = byTestId('feed-list');
  #empty = byTestId('feed-empty');
  #signalCount = byTestId('signal-count');
  #alertCount = byTestId('alert-count');
  #signals = 0;
  #alerts = 0;
  #seenAlerts = new Set();

  #selected = null;

  constructor({ onSelect }) {
    this.#list.addEventListener('click', (event) => {
      const item = event.target.closest('[data-symbol]');
      if (item) onSelect(item.dataset.symbol);
    });
    // Filtering is CSS on the list's data-filter: hidden items stay, so switching back loses nothing.
    for (const button of document.querySelectorAll('button[data-filter]')) {
      button.addEventListener('click', () => {
        this.#list.dataset.filter = button.dataset.filter;
        for (const other of document.querySelectorAll('button[data-filter]')) other.setAttribute('aria-pressed', String(other === button));
      });
    }
  }

  /** Marks the items of the symbol on the chart (the "this symbol" filter). */
  select(symbol) {
    this.#selected = symbol;
    for (const item of this.#list.children) item.toggleAttribute('data-selected', item.dataset.symbol === symbol);
  }

  signal(signal) {
    this.#signals += 1;
    this.#count(this.#signalCount, this.#signals, 'signal');
    const strength = Number.isFinite(signal.strength) ? `${Math.round(Math.min(1, Math.max(0, signal.strength)) * 100)}%` : '';
    // CSSOM, not a style attribute: the page's CSP allows no inline styles.
    const bar = el('i');
    bar.style.width = strength || '0%';
    this.#prepend(
      el('li', { class: 'feed-item', 'data-testid': 'feed-item', 'data-kind': 'signal', 'data-side': signal.side, 'data-symbol': signal.symbol, title: signal.reason }, [
        el('time', { datetime: new Date(signal.tsRecv).toISOString() }, [formatTime(signal.tsRecv)]),
        el('span', { class: 'tag' }, [signal.side === 'buy' ? 'BUY' : 'SELL']),
        el('span', { class: 'symbol', title: signal.symbol }, [shortName(signal.symbol)]),
        el('span', { class: 'what' }, [signal.strategy, el('small', {}, [signal.reason])]),
        el('span', { class: 'price' }, [formatPrice(signal.price)]),
        el('span', { class: 'strength', title: `strength ${strength}` }, [el('b', {}, [bar])]),
      ]),
    );
  }

  alert(firing) {
    // The same crossing delivered twice (at-least-once) has the same id: show it once.
    if (this.#seenAlerts.has(firing.id)) return;
    this.#seenAlerts.add(firing.id);
    this.#alerts += 1;
    this.#count(this.#alertCount, this.#alerts, 'alert');
    this.#prepend(
      el('li', { class: 'feed-item', 'data-testid': 'feed-item', 'data-kind': 'alert', 'data-symbol': firing.symbol, title: firing.note ?? firing.message }, [
        el('time', { datetime: new Date(firing.tsRecv).toISOString() }, [formatTime(firing.tsRecv)]),
        el('span', { class: 'tag' }, ['ALERT']),
        el('span', { class: 'symbol', title: firing.symbol }, [shortName(firing.symbol)]),
        el('span', { class: 'what' }, [firing.message, firing.note ? el('small', {}, [firing.note]) : null]),
        el('span', { class: 'price' }, [formatPrice(firing.price)]),
        el('span', { class: 'strength' }, ['']),
      ]),
    );
  }

  #count(node, count, noun) {
    node.dataset.count = String(count);
    node.textContent = `${count} ${noun}${count === 1 ? '' : 's'}`;
  }

  #prepend(item) {
    item.toggleAttribute('data-selected', item.dataset.symbol === this.#selected);
    this.#empty.hidden = true;
    this.#list.prepend(item);
    while (this.#list.childElementCount > MAX_ITEMS) this.#list.lastElementChild.remove();
  }
}
