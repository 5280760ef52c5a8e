import { byTestId } from './dom.js';
import { describeOrder, orderRequest } from './order-ticket-request.js';

/** The order ticket: the chart's symbol, buy or sell, market or limit, qty, limit price. */
export class OrderTicket {
  #form = byTestId('order-ticket');
  #symbol = byTestId('ticket-symbol');
  #message = byTestId('order-message');
  #side = 'buy';
  #symbolName = null;
  #assetClass = () => null;

  /**
   * @param {{ submit: (body: object) => Promise<object>, assetClassOf: (symbol: string) => string | null }} options
   *   `submit` resolves with the accepted order, rejects with the API's error.
   */
  constructor({ submit, assetClassOf }) {
    this.#assetClass = assetClassOf;
    for (const button of this.#form.querySelectorAll('[data-side]')) {
      button.addEventListener('click', () => this.#chooseSide(button.dataset.side));
    }
    this.#form.elements.type.addEventListener('change', () => this.#showLimit());
    this.#showLimit();
    this.#form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const request = orderRequest({
        symbol: this.#symbolName,
        side: this.#side,
        type: this.#form.elements.type.value,
        qty: this.#form.elements.qty.value,
        limitPrice: this.#form.elements.limitPrice.value,
        assetClass: this.#symbolName ? this.#assetClass(this.#symbolName) : null,
      });
      if (request.error) return this.#say(request.error, 'error');
      const button = this.#form.querySelector('button[type="submit"]');
      button.disabled = true;
      this.#say('sending…');
      try {
        this.#say(describeOrder(await submit(request.body)), 'ok');
      } catch (error) {
        this.#say(error.message, 'error');
      } finally {
        button.disabled = false;
      }
    });
  }

  /** The chart's symbol is the ticket's. */
  follow(symbol) {
    this.#symbolName = symbol;
    this.#symbol.textContent = symbol ?? '—';
  }

  #chooseSide(side) {
    this.#side = side;
    this.#form.dataset.side = side;
    for (const button of this.#form.querySelectorAll('[data-side]')) button.setAttribute('aria-pressed', String(button.dataset.side === side));
    this.#form.querySelector('button[type="submit"]').textContent = side === 'buy' ? 'Buy' : 'Sell';
  }

  #showLimit() {
    const limit = this.#form.elements.type.value === 'limit';
    this.#form.elements.limitPrice.disabled = !limit;
    this.#form.elements.limitPrice.required = limit;
  }

  #say(text, state) {
    this.#message.textContent = text;
    if (state) this.#message.dataset.state = state;
    else delete this.#message.dataset.state;
  }
}
