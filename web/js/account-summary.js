import { byTestId } from './dom.js';
import { formatPercent } from './format.js';
import { amount, dayProfitLoss, formatMoney, signOf } from './portfolio-format.js';

/** Equity, cash, buying power and the day's P&L (equity − last_equity) of `GET /v2/account`. */
export class AccountSummaryView {
  #equity = byTestId('account-equity');
  #cash = byTestId('account-cash');
  #buyingPower = byTestId('account-buying-power');
  #dayPl = byTestId('account-day-pl');

  render(account) {
    this.#show(this.#equity, account.equity);
    this.#show(this.#cash, account.cash);
    this.#show(this.#buyingPower, account.buying_power);
    const day = dayProfitLoss(account);
    this.#dayPl.dataset.value = day.value === null ? '' : String(day.value);
    this.#dayPl.dataset.sign = signOf(day.value);
    this.#dayPl.textContent = day.value === null ? '—' : `${formatMoney(day.value, { signed: true })} ${day.pct === null ? '' : `(${formatPercent(day.pct)})`}`.trim();
    this.#dayPl.title = `equity − last_equity (${formatMoney(account.last_equity)} at the previous US market close)`;
  }

  clear() {
    for (const node of [this.#equity, this.#cash, this.#buyingPower, this.#dayPl]) {
      node.dataset.value = '';
      node.textContent = '—';
    }
  }

  #show(node, value) {
    const n = amount(value);
    node.dataset.value = n === null ? '' : String(n);
    node.textContent = formatMoney(value);
  }
}
