/* global Blob, URL, document, fetch -- browser globals (the lint config is Node's) */
import { ApiError, getJson, headers, poll } from './api.js';
import { byTestId, el } from './dom.js';
import { formatPercent } from './format.js';
import { session } from './session.js';

const EVERY_MS = 30_000;

export const reportPath = (id) => `/v1/backtests/${encodeURIComponent(id)}/report.html`;

/** `0.089` → `+8.90%`; `null` → `—`. */
const fraction = (value) => (value === null || value === undefined ? '—' : formatPercent(value * 100));

/**
 * Past backtests (`GET /v1/backtests`), each a link that opens its HTML report in a new tab. With a
 * read token (which a plain link cannot send), the report is fetched with it and saved instead:
 * the file opens offline. A server without the route (404) hides the panel.
 */
export class BacktestList {
  #panel = byTestId('backtests');
  #list = byTestId('backtest-list');
  #state = byTestId('backtests-state');

  /** Polls until refused: a 401 or 403 waits for the page's token notice (main.js), a 404 means no such route. */
  start() {
    const stop = poll(() => this.load(), EVERY_MS, (error) => {
      const status = error instanceof ApiError ? error.status : 0;
      if (status === 401 || status === 403 || status === 404) stop();
      this.#show(status === 404 ? null : `backtests unavailable (${error.message})`);
    });
    return stop;
  }

  async load() {
    const { runs } = await getJson('/v1/backtests');
    this.#list.replaceChildren(...runs.map((run) => this.#row(run)));
    this.#list.dataset.count = String(runs.length);
    this.#show(runs.length === 0 ? 'no backtests yet: tickflow backtest writes them to <data dir>/backtests' : '');
  }

  #show(text) {
    this.#panel.hidden = text === null;
    this.#state.hidden = !text;
    this.#state.textContent = text ?? '';
  }

  #row(run) {
    const link = el('a', { href: reportPath(run.id), target: '_blank', rel: 'noopener noreferrer', 'data-testid': 'backtest-link', title: `${run.id}: open the report` }, [run.strategy]);
    link.addEventListener('click', (event) => {
      if (!session.token) return;
      event.preventDefault();
      void saveReport(run.id);
    });
    const sign = run.totalReturn > 0 ? 'up' : run.totalReturn < 0 ? 'down' : 'flat';
    return el('li', { class: 'backtest', 'data-id': run.id }, [
      link,
      el('span', { class: 'return', 'data-sign': sign }, [fraction(run.totalReturn)]),
      el('small', {}, [`${run.from ?? '?'} → ${run.to ?? '?'}`]),
      el('small', { class: 'figures' }, [`Sharpe ${run.sharpe === null ? '—' : run.sharpe.toFixed(2)} · DD ${fraction(run.maxDrawdown)}`]),
    ]);
  }
}

async function saveReport(id) {
  const response = await fetch(reportPath(id), { headers: headers({ accept: 'text/html' }) });
  if (!response.ok) throw new ApiError(response.status, `${response.status} ${response.statusText}`);
  const url = URL.createObjectURL(new Blob([await response.text()], { type: 'text/html' }));
  const anchor = el('a', { href: url, download: `${id}-report.html` });
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  URL.revokeObjectURL(url);
}
