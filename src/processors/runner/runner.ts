import type { PartitionLag } from '../../bus/bus.ts';
import type { RunnerStatus } from './processor-runner.ts';

/** What drives one processor on a bus, whichever runner it is: what a pipeline starts, watches and stops. */
export interface Runner {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  lag(): Promise<readonly PartitionLag[]>;
  status(): RunnerStatus;
  processorStats(): Readonly<Record<string, number>>;
}
