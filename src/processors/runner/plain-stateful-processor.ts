import type { BusProducer, BusRecord } from '../../bus/bus.ts';
import type { Processor } from './processor.ts';
import type { StatefulProcessor, StepResult } from './stateful-processor.ts';

/**
 * Runs a StatefulProcessor on the plain ProcessorRunner (the embedded bus, or Kafka at least once):
 * a step's outputs are sent, and its batch reported durable once the bus acknowledged them; its
 * state lives in memory only, so the processor is never reset or restored. Closing flushes: the
 * input has ended, so what the processor still holds open is completed and published.
 *
 * The processor's rules are the same as under the TransactionalRunner; only durability differs.
 */
export class PlainStatefulProcessor implements Processor {
  readonly name: string;
  readonly topics: readonly string[];
  readonly #processor: StatefulProcessor;
  readonly #producer: BusProducer;

  constructor(processor: StatefulProcessor, producer: BusProducer) {
    this.#processor = processor;
    this.#producer = producer;
    this.name = processor.name;
    this.topics = [processor.input];
  }

  async process(batch: readonly BusRecord[]): Promise<readonly BusRecord[]> {
    await this.#publish(this.#processor.process(batch));
    return batch;
  }

  async tick(now: number): Promise<readonly BusRecord[]> {
    if (this.#processor.tick) await this.#publish(this.#processor.tick(now));
    return [];
  }

  async close(): Promise<readonly BusRecord[]> {
    if (this.#processor.flush) await this.#publish(this.#processor.flush());
    return [];
  }

  stats(): Readonly<Record<string, number>> {
    return this.#processor.stats?.() ?? {};
  }

  async #publish(step: StepResult): Promise<void> {
    for (const { topic, records } of step.outputs) if (records.length > 0) await this.#producer.send(topic, records);
  }
}
