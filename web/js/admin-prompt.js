import { byTestId } from './dom.js';

/**
 * The form that asks for the admin token when a change of the alert rules is refused: it shows the
 * server's reason and where the token is kept. `ask(detail)` resolves the token, or `null` on cancel.
 */
export class AdminTokenPrompt {
  #form = byTestId('admin-token-form');
  #reason = byTestId('admin-token-reason');
  #input = this.#form.elements.namedItem('token');
  #pending = null;

  constructor() {
    this.#form.addEventListener('submit', (event) => {
      event.preventDefault();
      const token = this.#input.value.trim();
      if (token) this.#settle(token);
    });
    this.#form.querySelector('[data-action="cancel"]').addEventListener('click', () => this.#settle(null));
  }

  ask(detail) {
    this.#settle(null);
    this.#reason.textContent = detail;
    this.#input.value = '';
    this.#form.hidden = false;
    this.#input.focus();
    return new Promise((resolve) => {
      this.#pending = resolve;
    });
  }

  #settle(token) {
    const resolve = this.#pending;
    this.#pending = null;
    if (!resolve) return;
    this.#form.hidden = true;
    this.#input.value = '';
    resolve(token);
  }
}
