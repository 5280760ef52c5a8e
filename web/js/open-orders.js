import { byTestId, el } from './dom.js';
import { shortName } from './format.js';
import { formatQty } from './portfolio-format.js';

/** The open orders of `GET /v2/orders?status=open`, each with a cancel button. */
export class OpenOrdersView {
  #list = byTestId('open-orders');
  #empty = byTestId('open-orders-empty');
  #message = byTestId('open-orders-message');

  /** `onCancel(id)` resolves when the order is canceled, rejects with the API's error. */
  constructor({ onCancel }) {
    this.#list.addEventListener('click', async (event) => {
      const button = event.target.closest?.('[data-testid="order-cancel"]');
      if (!button) return;
      const id = button.closest('[data-order-id]').dataset.orderId;
      button.disabled = true;
      this.#say('');
      try {
        await onCancel(id);
        this.#say('order canceled', 'ok');
      } catch (error) {
        button.disabled = false;
        this.#say(error.message, 'error');
      }
    });
  }

  render(orders) {
    this.#list.replaceChildren(
      ...orders.map((order) =>
        el('li', { class: 'order', 'data-testid': 'open-order', 'data-order-id': order.id, 'data-side': order.side, 'data-symbol': order.symbol }, [
          el('span', { class: 'tag' }, [order.side]),
          el('span', { class: 'what', title: order.symbol }, [`${formatQty(order.qty)} ${shortName(order.symbol)}`]),
          el('span', { class: 'how' }, [order.type === 'limit' ? `limit ${order.limit_price}` : order.type, el('small', {}, [order.status])]),
          el('button', { type: 'button', 'data-testid': 'order-cancel', title: 'cancel this order (DELETE /v2/orders/{id})' }, ['cancel']),
        ]),
      ),
    );
    this.#list.dataset.count = String(orders.length);
    this.#empty.hidden = orders.length > 0;
  }

  clear() {
    this.render([]);
    this.#say('');
  }

  #say(text, state) {
    this.#message.textContent = text;
    if (state) this.#message.dataset.state = state;
    else delete this.#message.dataset.state;
  }
}
