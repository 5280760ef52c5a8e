import { ERROR_CODES, TickflowError } from '../errors.ts';

/** A wrong command-line argument: printed as one line, exit status 2. */
export function usageError(message: string): TickflowError {
  return new TickflowError(ERROR_CODES.USAGE, message);
}
