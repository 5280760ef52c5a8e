/* global WebSocket, clearTimeout, location, setTimeout -- browser globals (the lint config is Node's) */
import { backoffDelay } from './backoff.js';

/**
 * The account's `trade_updates` over Alpaca's trading stream at `/stream` (src/api/routes/alpaca/stream.ts):
 * the keys go in the first message (`authenticate`), never in the URL, then `listen`. Reconnects with
 * backoff until `close()`; refused keys close it for good (`unauthorized`).
 *
 * States: `connecting`, `open` (listening), `retrying`, `unauthorized`, `closed`.
 */
export class TradeUpdatesSocket {
  #keys;
  #onUpdate;
  #onOpen;
  #onState;
  #socket = null;
  #attempt = 0;
  #timer = null;
  #closed = false;
  state = 'connecting';

  /**
   * @param {{ keyId: string, secret: string }} keys
   * @param {{ onUpdate: (data: any) => void, onOpen?: () => void, onState?: (state: string) => void }} handlers
   *   `onOpen` runs on every (re)connect: what was missed meanwhile comes from REST.
   */
  constructor(keys, { onUpdate, onOpen = () => {}, onState = () => {} }) {
    this.#keys = keys;
    this.#onUpdate = onUpdate;
    this.#onOpen = onOpen;
    this.#onState = onState;
    this.#connect();
  }

  close() {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#socket?.close(1000, 'page closed');
    this.#setState('closed');
  }

  #connect() {
    const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/stream`);
    this.#socket = socket;
    this.#setState('connecting');
    socket.addEventListener('open', () => {
      socket.send(JSON.stringify({ action: 'authenticate', data: { key_id: this.#keys.keyId, secret_key: this.#keys.secret } }));
    });
    socket.addEventListener('message', (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      if (message?.stream === 'authorization') {
        if (message.data?.status === 'authorized') socket.send(JSON.stringify({ action: 'listen', data: { streams: ['trade_updates'] } }));
        else {
          this.#closed = true;
          this.#setState('unauthorized');
        }
      } else if (message?.stream === 'listening') {
        this.#attempt = 0;
        this.#setState('open');
        this.#onOpen();
      } else if (message?.stream === 'trade_updates') {
        this.#onUpdate(message.data);
      }
    });
    socket.addEventListener('close', () => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      if (this.#closed) return;
      this.#setState('retrying');
      this.#timer = setTimeout(() => this.#connect(), backoffDelay(this.#attempt++));
    });
  }

  #setState(state) {
    this.state = state;
    this.#onState(state);
  }
}
