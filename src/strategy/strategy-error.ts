import { pathToFileURL } from 'node:url';
import { ERROR_CODES, TickflowError } from '../errors.ts';

/**
 * A strategy's own mistake: a module that does not load, a handler that throws, a parameter it
 * refuses. The message names the strategy file and, when the error came from it, the line.
 */
export class StrategyError extends TickflowError {
  override readonly name = 'StrategyError';
  /** `file:line:column` in the strategy, when the stack shows it. */
  readonly location: string | null;

  constructor(message: string, location: string | null = null, options: { cause?: unknown } = {}) {
    super(ERROR_CODES.STRATEGY, message, options);
    this.location = location;
  }
}

/**
 * Where in the strategy file `error` happened: the first stack frame (or, for a syntax error, the
 * first line of the stack) in that file, as `shown:line:column` with the path as the user gave it.
 */
export function locateIn(error: unknown, absolutePath: string, shown: string): string | null {
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const url = pathToFileURL(absolutePath).href;
  for (const candidate of [url, absolutePath]) {
    const at = stack.indexOf(candidate);
    if (at === -1) continue;
    const position = /^(?:\?[^:\s)]*)?:(\d+)(?::(\d+))?/.exec(stack.slice(at + candidate.length));
    if (position) return `${shown}:${position[1]}${position[2] ? `:${position[2]}` : ''}`;
  }
  return null;
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}`;
  return String(error);
}
