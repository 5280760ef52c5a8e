/** One progress line on a terminal, rewritten in place: how far the data is read, how fast, and how long is left. */
export class ProgressLine {
  readonly #label: string;
  readonly #stream: NodeJS.WriteStream;
  readonly #startedAt = performance.now();
  #shown = false;
  #lastDrawn = 0;

  constructor(label: string, stream: NodeJS.WriteStream = process.stderr) {
    this.#label = label;
    this.#stream = stream;
  }

  update(bytesRead: number, totalBytes: number, events: number): void {
    const now = performance.now();
    if (now - this.#lastDrawn < 200) return;
    this.#lastDrawn = now;
    const share = totalBytes > 0 ? Math.min(1, bytesRead / totalBytes) : 0;
    const seconds = (now - this.#startedAt) / 1000;
    const rate = seconds > 0 ? events / seconds : 0;
    const left = share > 0.02 ? (seconds * (1 - share)) / share : null;
    const width = 24;
    const filled = Math.round(share * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const line = `${this.#label} ${bar} ${(share * 100).toFixed(0).padStart(3)}%  ${megabytes(bytesRead)} of ${megabytes(totalBytes)}  ${events.toLocaleString('en-US')} events  ${Math.round(rate).toLocaleString('en-US')}/s${left === null ? '' : `  ${left.toFixed(0)} s left`}`;
    this.#stream.write(`\r${line}\x1b[K`);
    this.#shown = true;
  }

  /** Removes the line (before other output, and at the end). */
  clear(): void {
    if (this.#shown) this.#stream.write('\r\x1b[K');
    this.#shown = false;
    this.#lastDrawn = 0;
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(1)} MB`;
}
