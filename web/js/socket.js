/* global WebSocket, clearTimeout, fetch, location, setTimeout -- browser globals (the lint config is Node's) */
import { headers } from './api.js';
import { backoffDelay } from './backoff.js';
import { session } from './session.js';

const PROTOCOL = 'tickflow.v1';

/**
 * One of the notification service's sockets (`/ws/stream`, `/ws/notifications`; src/notify/PROTOCOL.md),
 * reconnecting with backoff until `close()`. The token goes as the `bearer.<token>` subprotocol next to
 * `tickflow.v1`: browsers cannot set headers on a WebSocket, and it must not appear in the URL.
 *
 * States: `connecting`, `open` (the server said hello), `retrying` (waiting to reconnect), `closed`,
 * `unauthorized` (the server wants a token this page does not have: retrying would not help).
 */
export class LiveSocket {
  #path;
  #onMessage;
  #onOpen;
  #onState;
  #socket = null;
  #attempt = 0;
  #timer = null;
  #closed = false;
  state = 'connecting';
  retryAt = null;
  detail = null;

  /**
   * @param {string} path `/ws/stream` or `/ws/notifications`
   * @param {{ onMessage: (message: any) => void, onOpen?: () => void, onState?: (socket: LiveSocket) => void }} handlers
   *   `onOpen` runs on every hello, i.e. after each reconnect too: the place to (re)subscribe.
   */
  constructor(path, { onMessage, onOpen = () => {}, onState = () => {} }) {
    this.#path = path;
    this.#onMessage = onMessage;
    this.#onOpen = onOpen;
    this.#onState = onState;
    this.#connect();
  }

  /** Sends a client message when open; returns whether it went out (`onOpen` resends state after a reconnect). */
  send(message) {
    if (this.#socket?.readyState !== WebSocket.OPEN) return false;
    this.#socket.send(JSON.stringify(message));
    return true;
  }

  close() {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#socket?.close(1000, 'page closed');
    this.#setState('closed');
  }

  #connect() {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${this.#path}`;
    const protocols = session.token ? [PROTOCOL, `bearer.${session.token}`] : [PROTOCOL];
    let socket;
    try {
      socket = new WebSocket(url, protocols);
    } catch {
      // A token with characters a subprotocol cannot carry: retrying would not help.
      this.#closed = true;
      this.#setState('closed', 'the token in the URL fragment is not a valid subprotocol token');
      return;
    }
    this.#socket = socket;
    this.#setState('connecting');
    let greeted = false;
    socket.addEventListener('message', (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      if (message?.type === 'hello') {
        greeted = true;
        // A reconnect counts as good only once the server accepted us, not on a TCP open that a
        // rejecting proxy or a 401 would follow with a close.
        this.#attempt = 0;
        this.#setState('open');
        this.#onOpen(message);
        return;
      }
      this.#onMessage(message);
    });
    socket.addEventListener('close', async (event) => {
      if (this.#socket !== socket) return;
      this.#socket = null;
      if (this.#closed) return;
      // A browser never sees why an upgrade was refused: a plain GET with the same token tells a 401.
      if (!greeted && (await refusesToken(this.#path))) {
        this.#closed = true;
        this.#setState('unauthorized', session.token ? 'the token in the URL is not accepted' : 'a token is required');
        return;
      }
      if (this.#closed) return;
      // 4008: the server found us too slow; what was missed comes from REST once we are back.
      const delay = event.code === 4008 ? 250 : backoffDelay(this.#attempt++);
      this.retryAt = Date.now() + delay;
      this.#setState('retrying', event.code === 4008 ? 'too slow, reconnecting' : null);
      this.#timer = setTimeout(() => this.#connect(), delay);
    });
  }

  #setState(state, detail = null) {
    this.state = state;
    this.detail = detail;
    if (state !== 'retrying') this.retryAt = null;
    this.#onState(this);
  }
}

/** Whether the endpoint answers 401 to this page's token (or to none). */
async function refusesToken(path) {
  const response = await fetch(path, { headers: headers() }).catch(() => null);
  return response?.status === 401;
}
