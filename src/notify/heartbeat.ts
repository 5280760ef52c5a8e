import type { WebSocket } from 'ws';

/**
 * Pings every socket each `intervalMs` from one timer; a socket that has not answered the previous
 * ping (with a pong, or any message) by the next tick is terminated. Browsers answer pings on
 * their own, so a live page never notices.
 */
export class Heartbeat {
  readonly #alive = new Map<WebSocket, boolean>();
  readonly #timer: NodeJS.Timeout;
  readonly #onTick: () => void;

  constructor(intervalMs: number, onTick: () => void = () => {}) {
    this.#onTick = onTick;
    this.#timer = setInterval(() => this.tick(), intervalMs);
    this.#timer.unref();
  }

  add(socket: WebSocket): void {
    this.#alive.set(socket, true);
    socket.on('pong', () => this.seen(socket));
  }

  /** The socket showed it is alive (a pong or a message). */
  seen(socket: WebSocket): void {
    if (this.#alive.has(socket)) this.#alive.set(socket, true);
  }

  delete(socket: WebSocket): void {
    this.#alive.delete(socket);
  }

  tick(): void {
    for (const [socket, alive] of this.#alive) {
      if (socket.readyState !== socket.OPEN) continue;
      if (!alive) {
        this.#alive.delete(socket);
        socket.terminate();
        continue;
      }
      this.#alive.set(socket, false);
      socket.ping();
    }
    this.#onTick();
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
