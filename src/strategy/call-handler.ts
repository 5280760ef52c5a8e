import type { LoadedStrategy } from './load-strategy.ts';
import { describeError, locateIn, StrategyError } from './strategy-error.ts';

/**
 * Calls a strategy's handler; a throw or a rejected promise becomes a `StrategyError` naming the
 * handler, the event it was handling and the strategy file's line. Returns the handler's promise
 * only when it made one, so synchronous strategies pay for no promise.
 */
export function callHandler<T>(strategy: LoadedStrategy, handler: string, call: () => T, what: unknown): T | Promise<Awaited<T>> {
  let result: T;
  try {
    result = call();
  } catch (error) {
    throw handlerError(strategy, handler, what, error);
  }
  if (result instanceof Promise) {
    return result.catch((error: unknown) => {
      throw handlerError(strategy, handler, what, error);
    }) as Promise<Awaited<T>>;
  }
  return result;
}

function handlerError(strategy: LoadedStrategy, handler: string, what: unknown, error: unknown): StrategyError {
  if (error instanceof StrategyError) return error;
  const location = locateIn(error, strategy.absolutePath, strategy.path);
  return new StrategyError(`strategy ${location ?? strategy.path} threw in ${handler}${describeEvent(what)}: ${describeError(error)}`, location, { cause: error });
}

function describeEvent(what: unknown): string {
  if (typeof what !== 'object' || what === null) return '';
  const event = what as { type?: string; symbol?: string; tsEvent?: number; time?: number; kind?: string; market?: string; event?: string };
  const time = event.tsEvent ?? event.time;
  const at = typeof time === 'number' && Number.isFinite(time) ? ` at ${new Date(time).toISOString()}` : '';
  if (event.type === 'trade-update') return ` (${event.event} of an order${at})`;
  if (event.kind) return ` (${event.market} ${event.kind}${at})`;
  return ` (${event.type ?? 'event'}${event.symbol ? ` ${event.symbol}` : ''}${at})`;
}
