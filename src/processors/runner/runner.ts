import type { PartitionLag } from '../../bus/bus.ts';
import { ERROR_CODES, TickflowError } from '../../errors.ts';

export interface RunnerStatus {
  readonly name: string;
  readonly groupId: string;
  readonly running: boolean;
  readonly processed: number;
  readonly failures: number;
  readonly lastError: string | null;
}

/** What drives one processor on a bus, whichever runner it is: what a pipeline starts, watches and stops. */
export interface Runner {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  lag(): Promise<readonly PartitionLag[]>;
  status(): RunnerStatus;
  processorStats(): Readonly<Record<string, number>>;
  /** Settles with the error a runner stopped on for good by itself (see `stopsForGood`); never otherwise. */
  readonly halted: Promise<Error>;
}

/** A refusal no retry gets past: the broker denies this client an operation until someone grants it. */
export function stopsForGood(error: unknown): error is TickflowError {
  return error instanceof TickflowError && error.code === ERROR_CODES.BUS_ACCESS_DENIED;
}
