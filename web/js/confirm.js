/* global clearTimeout, setTimeout -- browser globals (the lint config is Node's) */
/**
 * A confirmation without a dialog: the first press of `key` arms it for `ms` (its button then
 * asks "sure?"), a second press of the same key while armed confirms. Pressing another key arms
 * that one instead; after `ms` it disarms by itself. `onChange(armedKey | null)` follows the state.
 */
// Wrapped: the browser's timers refuse to be called as methods of another object ("Illegal invocation").
const DEFAULT_TIMERS = { setTimeout: (run, ms) => setTimeout(run, ms), clearTimeout: (timer) => clearTimeout(timer) };

export class ConfirmStep {
  #ms;
  #onChange;
  #timers;
  #armed = null;
  #timer = null;

  constructor({ ms = 3_000, onChange = () => {}, timers = DEFAULT_TIMERS } = {}) {
    this.#ms = ms;
    this.#onChange = onChange;
    this.#timers = timers;
  }

  /** The key waiting for its second press, or `null`. */
  get armed() {
    return this.#armed;
  }

  /** Returns whether this press confirms. */
  press(key) {
    if (this.#armed === key) {
      this.reset();
      return true;
    }
    this.#timers.clearTimeout(this.#timer);
    this.#armed = key;
    this.#timer = this.#timers.setTimeout(() => this.reset(), this.#ms);
    this.#onChange(key);
    return false;
  }

  reset() {
    this.#timers.clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#armed === null) return;
    this.#armed = null;
    this.#onChange(null);
  }
}
