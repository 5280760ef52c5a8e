import type { Logger } from '../../logger.ts';

/** One part of a process: started in the order parts were added, stopped in reverse. */
export interface Part {
  readonly name: string;
  start?(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The one close list of a process. Parts are added as they are built; `start` starts them in that
 * order and `stop` stops every started (or merely built) part in reverse, so what feeds a part stops
 * before it and what it needs stops after it. A part whose stop fails is logged and the rest still stop.
 */
export class Lifecycle {
  readonly #parts: Part[] = [];
  readonly #logger: Logger;
  readonly #slowStopMs: number;
  #stopping: Promise<void> | null = null;

  /** A part that takes `slowStopMs` or longer to stop is named in the log, so a slow shutdown says where it waited. */
  constructor(logger: Logger, { slowStopMs = 2_000 }: { slowStopMs?: number } = {}) {
    this.#logger = logger;
    this.#slowStopMs = slowStopMs;
  }

  add(part: Part): void {
    this.#parts.push(part);
  }

  async start(): Promise<void> {
    for (const part of this.#parts) {
      if (this.#stopping) return;
      await part.start?.();
    }
  }

  /** Stops every part, last added first. Safe to call more than once. */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    for (const part of [...this.#parts].reverse()) {
      const started = performance.now();
      try {
        await part.stop();
      } catch (error) {
        this.#logger.error({ err: error, part: part.name }, `stopping ${part.name} failed`);
      }
      const ms = Math.round(performance.now() - started);
      if (ms >= this.#slowStopMs) this.#logger.warn({ part: part.name, ms }, `stopping ${part.name} took ${ms} ms`);
    }
  }
}
