/**
 * A FIFO whose keyed entries can be found while they wait, so a newer value with the same key can
 * replace a queued one in its place (the conflation of a client's outbox and of the hub's backlog).
 * Every method is O(1) amortised.
 */
export class KeyedQueue<E extends { readonly key: string | null }> {
  #entries: (E | undefined)[] = [];
  #head = 0;
  readonly #byKey = new Map<string, E>();

  get size(): number {
    return this.#entries.length - this.#head;
  }

  /** The queued entry with this key, if any. */
  get(key: string): E | undefined {
    return this.#byKey.get(key);
  }

  push(entry: E): void {
    this.#entries.push(entry);
    if (entry.key !== null) this.#byKey.set(entry.key, entry);
  }

  shift(): E | undefined {
    if (this.#head >= this.#entries.length) return undefined;
    const entry = this.#entries[this.#head];
    this.#entries[this.#head++] = undefined;
    // Compact once the consumed prefix dominates, so the array does not grow without bound.
    if (this.#head >= 1024 && this.#head * 2 >= this.#entries.length) {
      this.#entries = this.#entries.slice(this.#head);
      this.#head = 0;
    }
    if (entry?.key != null) this.#byKey.delete(entry.key);
    return entry;
  }

  clear(): void {
    this.#entries = [];
    this.#head = 0;
    this.#byKey.clear();
  }
}
