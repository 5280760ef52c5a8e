/* global CSS, FormData, document -- browser globals (the lint config is Node's) */
import { AdminTokenPrompt } from './admin-prompt.js';
import { asAdmin } from './admin-token.js';
import { ApiError, deleteResource, getJson, patchJson, postJson } from './api.js';
import { ConfirmStep } from './confirm.js';
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
 * The alert rules (`/v1/alerts`), their latest firing from the notifications socket, a form to add
 * a price-above/below rule, and per rule a button to disable/enable it and one to delete it (pressed
 * twice: the first turns it into "sure?" for 3 s). A server without the alerts API (404) shows
 * "alerts unavailable". Changes need the admin token: refused (401, 403), they ask for it.
 */
export class AlertRules {
  #list = byTestId('alert-rules');
  #state = byTestId('alerts-state');
  #form = byTestId('alert-form');
  #message = byTestId('alert-form-message');
  #symbolSelect = this.#form.elements.namedItem('symbol');
  #rules = [];
  #fired = new Map();
  /** Rule ids with a PATCH or DELETE on the way: their buttons wait. */
  #busy = new Set();
  #deleting = new ConfirmStep({ ms: 3_000, onChange: () => this.#render() });
  /** Bumped by each load: an older answer arriving late does not overwrite a newer one. */
  #loads = 0;
  #priceOf;
  #prompt = new AdminTokenPrompt();
  available = null;

  constructor({ priceOf }) {
    this.#priceOf = priceOf;
    this.#form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.#submit();
    });
    this.#symbolSelect.addEventListener('change', () => this.#suggestThreshold());
    this.#list.addEventListener('click', (event) => {
      const button = event.target.closest('button[data-action]');
      const rule = this.#rules.find((candidate) => candidate.id === button?.closest('[data-rule-id]')?.dataset.ruleId);
      if (!rule || this.#busy.has(rule.id)) return;
      if (button.dataset.action === 'toggle') void this.#toggle(rule);
      else if (button.dataset.action === 'delete' && this.#deleting.press(rule.id)) void this.#delete(rule);
    });
  }

  async load() {
    const load = ++this.#loads;
    let rules;
    try {
      rules = rulesOf(await getJson('/v1/alerts'));
    } catch (error) {
      if (load !== this.#loads) return;
      this.available = !(error instanceof ApiError && (error.status === 404 || error.status === 405));
      this.#rules = [];
      this.#state.hidden = false;
      this.#state.dataset.state = this.available ? 'error' : 'unavailable';
      this.#state.textContent = this.available ? `could not load alerts: ${error.message}` : 'alerts unavailable on this server';
      this.#form.hidden = !this.available;
      this.#list.replaceChildren();
      return;
    }
    if (load !== this.#loads) return;
    this.#rules = rules;
    this.available = true;
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
      await this.#asAdmin((token) => postJson('/v1/alerts', body, { token }));
      this.#say('ok', `alert added: ${body.symbol} ${describeCondition(body.condition)}`);
      this.#form.elements.namedItem('threshold').value = '';
      await this.load();
    } catch (error) {
      this.#say('error', error instanceof ApiError && error.status === 404 ? 'alerts unavailable on this server' : `not added: ${error.message}`);
    } finally {
      button.disabled = false;
    }
  }

  async #toggle(rule) {
    const enabled = rule.enabled === false;
    await this.#change(rule, (token) => patchJson(`/v1/alerts/${encodeURIComponent(rule.id)}`, { enabled }, { token }), enabled ? 'enabled' : 'disabled', 'not changed');
  }

  async #delete(rule) {
    await this.#change(rule, (token) => deleteResource(`/v1/alerts/${encodeURIComponent(rule.id)}`, { token }), 'deleted', 'not deleted');
  }

  /** One PATCH or DELETE of `rule`: its buttons wait meanwhile, the outcome is said, the list reloaded. */
  async #change(rule, request, done, failed) {
    this.#busy.add(rule.id);
    this.#render();
    try {
      await this.#asAdmin(request);
      this.#say('ok', `alert ${done}: ${rule.symbol} ${describeCondition(rule.condition)}`);
    } catch (error) {
      this.#say('error', `${failed}: ${error.message}`);
    } finally {
      this.#busy.delete(rule.id);
      await this.load();
    }
  }

  /** `request(token)` with the admin token, asking for it when the server refuses. */
  #asAdmin(request) {
    return asAdmin(request, (detail) => this.#prompt.ask(detail));
  }

  #say(state, text) {
    this.#message.dataset.state = state;
    this.#message.textContent = text;
  }

  #render() {
    this.#state.hidden = this.#rules.length > 0;
    this.#state.dataset.state = 'empty';
    this.#state.textContent = 'no alert rules yet';
    // The rows are rebuilt: a focused button gets its focus back on its new self.
    const focused = document.activeElement?.closest?.('[data-rule-id] button[data-action]');
    const refocus = focused && this.#list.contains(focused) ? { id: focused.closest('[data-rule-id]').dataset.ruleId, action: focused.dataset.action } : null;
    this.#list.replaceChildren(
      ...this.#rules.map((rule) => {
        const fired = this.#fired.get(rule.id);
        const enabled = rule.enabled !== false;
        const busy = this.#busy.has(rule.id);
        const sure = this.#deleting.armed === rule.id;
        return el('li', { class: 'rule', 'data-testid': 'alert-rule', 'data-rule-id': rule.id, 'data-enabled': String(enabled), 'aria-busy': busy ? 'true' : null }, [
          el('span', { class: 'symbol' }, [rule.symbol]),
          el('span', { class: 'condition' }, [describeCondition(rule.condition), rule.note ? el('small', {}, [rule.note]) : null]),
          el('span', { class: 'fired' }, [enabled ? (fired ? `fired ${formatTime(fired.tsRecv)}` : 'armed') : 'off']),
          el('span', { class: 'actions' }, [
            el('button', { type: 'button', 'data-action': 'toggle', 'data-testid': 'rule-toggle', disabled: busy, title: enabled ? 'stop this rule firing (keeps it)' : 'let this rule fire again' }, [enabled ? 'disable' : 'enable']),
            el('button', { type: 'button', 'data-action': 'delete', 'data-testid': 'rule-delete', 'data-armed': sure ? 'true' : null, disabled: busy, title: sure ? 'press again to delete this rule' : 'delete this rule (asks once more)' }, [sure ? 'sure?' : 'delete']),
          ]),
        ]);
      }),
    );
    if (refocus) this.#list.querySelector(`[data-rule-id="${CSS.escape(refocus.id)}"] button[data-action="${refocus.action}"]`)?.focus();
  }
}
