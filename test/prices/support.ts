import type { BusProducer, OutgoingRecord } from '../../src/bus/bus.ts';
import type { RawProviderResponse } from '../../src/prices/latest-price-service.ts';
import type { QuoteOptions, QuoteOutcome, QuoteProvider } from '../../src/providers/quote-provider.ts';

/** A provider answering from `answer`, counting calls; `hold()` keeps calls pending until `release()`. */
export class ScriptedProvider implements QuoteProvider {
  readonly name: string;
  calls = 0;
  answer: (symbol: string, options: QuoteOptions) => QuoteOutcome | Promise<QuoteOutcome>;
  #gate: PromiseWithResolvers<void> | null = null;

  constructor(name: string, answer: (symbol: string, options: QuoteOptions) => QuoteOutcome | Promise<QuoteOutcome>) {
    this.name = name;
    this.answer = answer;
  }

  async quote(symbol: string, options: QuoteOptions = {}): Promise<QuoteOutcome> {
    this.calls++;
    if (this.#gate) await this.#gate.promise;
    return this.answer(symbol, options);
  }

  hold(): void {
    this.#gate ??= Promise.withResolvers();
  }

  release(): void {
    this.#gate?.resolve();
    this.#gate = null;
  }
}

export function found(provider: string, price: number, timestamp = 1_700_000_000_000, fetchedAt = timestamp + 500): (symbol: string) => QuoteOutcome {
  return (symbol) => ({ kind: 'found', provider, symbol, price, timestamp, status: 200, body: JSON.stringify({ c: price, t: timestamp / 1000 }), fetchedAt });
}

export class RecordingProducer implements BusProducer {
  readonly sent: Array<{ topic: string; records: readonly OutgoingRecord[] }> = [];
  failWith: Error | null = null;

  async send(topic: string, records: readonly OutgoingRecord[]): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.sent.push({ topic, records });
  }

  async close(): Promise<void> {}

  values(): unknown[] {
    return this.sent.flatMap((batch) => batch.records.map((record) => record.value));
  }
}

/** The `n`th id RawStore hands out: a UUID that shows its number. */
export function rawId(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

/** An in-memory raw-response store handing out ids rawId(1), rawId(2), … */
export class RawStore {
  readonly rows: Array<RawProviderResponse & { id: string }> = [];
  failWith: Error | null = null;

  readonly save = async (raw: RawProviderResponse): Promise<string> => {
    if (this.failWith) throw this.failWith;
    const id = rawId(this.rows.length + 1);
    this.rows.push({ ...raw, id });
    return id;
  };
}
