/* global FormData -- browser globals (the lint config is Node's) */
import { ApiError, getJson, postJson } from './api.js';
import { byTestId, el } from './dom.js';
import { formatAge, formatPrice, formatTime } from './format.js';

/** `{kind:'price-above', threshold:190}` → `above 190.00`. */
export function describeCondition(condition) {
  switch (condition?.kind) {
    case 'price-above':
      return `above ${formatPrice(condition.threshold)}`;
    case 'price-below':
      return `below ${formatPrice(condition.threshold)}`;
    case 'move-pct':
      return `moves ${condition.percent}% within ${formatAge(condition.windowMs)}`;
    case 'stale':
      return `no trade for ${formatAge(condition.afterMs)}`;
    default:
      return condition?.kind ?? 'unknown condition';
  }
}

/** `GET /v1/alerts` answers a list, or `{alerts: [...]}`. */
function rulesOf(body) {
  if (Array.isArray(body)) return body;
  if (Array.isArray(body?.alerts)) return body.alerts;
  return [];
}

/**
 * The alert rules (`/v1/alerts`), their latest firing from the notifications socket, and a form to
 * add a price-above/below rule. A server without the alerts API (404) shows "alerts unavailable".
 */
export class AlertRules {
  #list = byTestId('alert-rules');
  #state = byTestId('alerts-state');
  #form = byTestId('alert-form');
  #message = byTestId('alert-form-message');
  #symbolSelect = this.#form.elements.namedItem('symbol');
  #rules = [];
  #fired = new Map();
  #priceOf;
  available = null;

  constructor({ priceOf }) {
    this.#priceOf = priceOf;
    this.#form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.#submit();
    });
    this.#symbolSelect.addEventListener('change', () => this.#suggestThreshold());
  }

  async load() {
    try {
      this.#rules = rulesOf(await getJson('/v1/alerts'));
      this.available = true;
    } catch (error) {
      this.available = !(error instanceof ApiError && (error.status === 404 || error.status === 405));
      this.#rules = [];
      this.#state.hidden = false;
      this.#state.dataset.state = this.available ? 'error' : 'unavailable';
      this.#state.textContent = this.available ? `could not load alerts: ${error.message}` : 'alerts unavailable on this server';
      this.#form.hidden = !this.available;
      this.#list.replaceChildren();
      return;
    }
    this.#form.hidden = false;
    this.#render();
  }

  /** The symbols the form offers; keeps the current choice. */
  setSymbols(symbols, selected) {
    const current = this.#symbolSelect.value;
    const names = [...this.#symbolSelect.options].map((option) => option.value);
    if (names.join() !== symbols.join()) {
      this.#symbolSelect.replaceChildren(...symbols.map((symbol) => el('option', { value: symbol }, [symbol])));
      this.#symbolSelect.value = current && symbols.includes(current) ? current : (selected ?? symbols[0] ?? '');
      this.#suggestThreshold();
    }
  }

  /** Follows the chart: the form is for the symbol being looked at. */
  follow(symbol) {
    if ([...this.#symbolSelect.options].some((option) => option.value === symbol)) {
      this.#symbolSelect.value = symbol;
      this.#suggestThreshold();
    }
  }

  firing(firing) {
    this.#fired.set(firing.ruleId, firing);
    if (!this.#rules.some((rule) => rule.id === firing.ruleId)) void this.load();
    else this.#render();
  }

  #suggestThreshold() {
    const price = this.#priceOf(this.#symbolSelect.value);
    const threshold = this.#form.elements.namedItem('threshold');
    threshold.placeholder = price === null ? 'threshold' : formatPrice(price).replaceAll(',', '');
  }

  async #submit() {
    const data = new FormData(this.#form);
    const threshold = Number(data.get('threshold'));
    if (!Number.isFinite(threshold) || threshold <= 0) {
      this.#say('error', 'the threshold must be a positive number');
      return;
    }
    const body = { symbol: String(data.get('symbol')), condition: { kind: String(data.get('kind')), threshold } };
    const button = this.#form.querySelector('button');
    button.disabled = true;
    try {
      await postJson('/v1/alerts', body);
      this.#say('ok', `alert added: ${body.symbol} ${describeCondition(body.condition)}`);
      this.#form.elements.namedItem('threshold').value = '';
      await this.load();
    } catch (error) {
      this.#say('error', error instanceof ApiError && error.status === 404 ? 'alerts unavailable on this server' : `not added: ${error.message}`);
    } finally {
      button.disabled = false;
    }
  }

  #say(state, text) {
    this.#message.dataset.state = state;
    this.#message.textContent = text;
  }

  #render() {
    this.#state.hidden = this.#rules.length > 0;
    this.#state.dataset.state = 'empty';
    this.#state.textContent = 'no alert rules yet';
    this.#list.replaceChildren(
      ...this.#rules.map((rule) => {
        const fired = this.#fired.get(rule.id);
        return el('li', { class: 'rule', 'data-testid': 'alert-rule', 'data-enabled': String(rule.enabled !== false) }, [
          el('span', { class: 'symbol' }, [rule.symbol]),
          el('span', { class: 'condition' }, [describeCondition(rule.condition), rule.note ? el('small', {}, [rule.note]) : null]),
          el('span', { class: 'fired' }, [fired ? `fired ${formatTime(fired.tsRecv)}` : rule.enabled === false ? 'disabled' : 'armed']),
        ]);
      }),
    );
  }
}
