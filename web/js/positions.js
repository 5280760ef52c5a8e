import { byTestId, el } from './dom.js';
import { formatPercent, formatPrice, shortName } from './format.js';
import { amount, formatMoney, formatQty, signOf } from './portfolio-format.js';

/** The open positions of `GET /v2/positions`: qty, average entry, market value, unrealized P&L. */
export class PositionsView {
  #rows = byTestId('positions');
  #empty = byTestId('positions-empty');

  /** `onSelect(symbol)` when a row is clicked (the chart follows). */
  constructor({ onSelect }) {
    this.#rows.addEventListener('click', (event) => {
      const row = event.target.closest?.('[data-symbol]');
      if (row) onSelect(row.dataset.symbol);
    });
  }

  render(positions) {
    this.#rows.replaceChildren(
      ...positions.map((position) => {
        const pct = amount(position.unrealized_plpc);
        return el('tr', { 'data-testid': 'position-row', 'data-symbol': position.symbol, 'data-side': position.side, title: position.symbol }, [
          el('td', { class: 'symbol' }, [shortName(position.symbol)]),
          el('td', { class: 'num', 'data-field': 'qty' }, [formatQty(position.qty)]),
          el('td', { class: 'num' }, [formatPrice(amount(position.avg_entry_price))]),
          el('td', { class: 'num' }, [formatMoney(position.market_value)]),
          el('td', { class: 'num pl', 'data-sign': signOf(position.unrealized_pl) }, [
            formatMoney(position.unrealized_pl, { signed: true }),
            el('small', {}, [pct === null ? '' : formatPercent(pct * 100)]),
          ]),
        ]);
      }),
    );
    this.#rows.dataset.count = String(positions.length);
    this.#empty.hidden = positions.length > 0;
  }

  clear() {
    this.render([]);
  }
}
