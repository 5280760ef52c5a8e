import { byTestId, el } from './dom.js';
import { describeFeed, formatCount } from './format.js';

/** Trades per second from two successive `/status` answers (their `trades` counters). */
export function throughput(previous, current) {
  if (!previous || current.at <= previous.at || current.trades < previous.trades) return null;
  return ((current.trades - previous.trades) * 1000) / (current.at - previous.at);
}

/** The header strip: throughput, trades, feed, consumer lag, the WebSockets' state. */
export class StatusStrip {
  #throughput = byTestId('throughput');
  #trades = byTestId('trades-total');
  #feed = byTestId('feed-state');
  #reconnects = byTestId('feed-reconnects');
  #lags = byTestId('consumer-lag');
  #sockets = byTestId('ws-state');
  #previous = null;

  /** A `/status` answer, received at `at` (ms). */
  update(status, at = Date.now()) {
    const sample = { trades: status.trades, at };
    const rate = throughput(this.#previous, sample);
    this.#previous = sample;
    if (rate !== null) {
      this.#throughput.dataset.value = rate.toFixed(1);
      this.#throughput.textContent = `${rate < 10 ? rate.toFixed(1) : Math.round(rate)} trades/s`;
    }
    this.#trades.textContent = formatCount(status.trades);

    const source = status.source;
    const feed = source ? describeFeed(source) : { state: 'none', text: 'none' };
    this.#feed.dataset.state = feed.state;
    this.#feed.textContent = feed.text;
    this.#feed.title = source?.fatalError ?? '';
    this.#reconnects.textContent = source ? String(source.reconnects) : '—';

    this.#lags.replaceChildren(
      ...status.consumers.map((consumer) =>
        el('span', { class: 'lag', 'data-consumer': consumer.name, 'data-level': !consumer.running ? 'down' : consumer.lag > 1_000 ? 'high' : consumer.lag > 100 ? 'some' : 'ok', title: consumer.lastError ?? `${consumer.processed} records processed` }, [
          consumer.name,
          el('b', {}, [consumer.running ? formatCount(consumer.lag) : 'stopped']),
        ]),
      ),
    );
  }

  /** The pipeline did not answer: keep the last figures, say so. */
  unreachable() {
    this.#feed.dataset.state = 'unknown';
    this.#feed.textContent = 'tickflow unreachable';
    this.#previous = null;
  }

  /** A LiveSocket changed state. */
  socket(name, socket) {
    this.#sockets.dataset[name] = socket.state;
    const node = this.#sockets.querySelector(`[data-socket="${name}"]`);
    node.dataset.state = socket.state;
    const retry = socket.retryAt ? `, retrying in ${Math.max(0, Math.round((socket.retryAt - Date.now()) / 1000))} s` : '';
    node.title = `/ws/${name}: ${socket.state}${retry}${socket.detail ? ` (${socket.detail})` : ''}`;
  }
}
