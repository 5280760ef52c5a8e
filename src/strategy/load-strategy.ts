import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { schemaProblem } from './params.ts';
import type { StrategyDefinition } from './strategy-api.ts';
import { describeError, locateIn, StrategyError } from './strategy-error.ts';

export interface LoadedStrategy {
  readonly definition: StrategyDefinition;
  /** As the user gave it, and resolved. */
  readonly path: string;
  readonly absolutePath: string;
  readonly sha256: string;
}

const KNOWN_KEYS = new Set(['name', 'description', 'params', 'bars', 'setup']);

/**
 * Loads a strategy module (TypeScript or JavaScript) from a path, at run time. Its default export must
 * be a strategy definition; anything else is a `StrategyError` naming the file (and the line, for a
 * module that fails to parse or throws while loading).
 */
export async function loadStrategy(path: string): Promise<LoadedStrategy> {
  const absolutePath = resolve(path);
  const info = await stat(absolutePath).catch(() => null);
  if (!info?.isFile()) throw new StrategyError(`strategy ${path}: no such file`);
  if (!/\.(ts|mts|js|mjs)$/.test(absolutePath)) throw new StrategyError(`strategy ${path}: not a .ts, .mts, .js or .mjs module`);
  const source = await readFile(absolutePath);
  const sha256 = createHash('sha256').update(source).digest('hex');
  let module: { default?: unknown };
  try {
    module = (await import(pathToFileURL(absolutePath).href)) as { default?: unknown };
  } catch (error) {
    const location = locateIn(error, absolutePath, path);
    throw new StrategyError(`strategy ${location ?? path} does not load: ${describeError(error)}`, location, { cause: error });
  }
  const definition = module.default;
  const problem = definitionProblem(definition);
  if (problem) throw new StrategyError(`strategy ${path}: ${problem}`);
  return { definition: definition as StrategyDefinition, path, absolutePath, sha256 };
}

function definitionProblem(value: unknown): string | null {
  if (value === undefined) return 'has no default export; export default defineStrategy({ name, setup(ctx) { … } })';
  if (typeof value !== 'object' || value === null) return 'the default export must be a strategy definition object';
  const definition = value as Record<string, unknown>;
  const unknown = Object.keys(definition).filter((key) => !KNOWN_KEYS.has(key));
  if (unknown.length) return `unknown field${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} in the definition (it takes ${[...KNOWN_KEYS].join(', ')}; handlers are returned by setup)`;
  if (typeof definition.name !== 'string' || definition.name.trim() === '') return 'name must be a non-empty string';
  if (typeof definition.setup !== 'function') return 'setup(ctx) must be a function returning the handlers';
  if (definition.bars !== undefined && !(Array.isArray(definition.bars) && definition.bars.every((interval) => interval === '1s' || interval === '1m'))) return 'bars must be a list of "1s" and "1m"';
  return schemaProblem(definition.params);
}

const HANDLERS = new Set(['onTrade', 'onBar', 'onQuote', 'onQuoteBar', 'onClock', 'onOrderUpdate', 'onStop']);

/** Why what `setup` returned is not a set of handlers, or `null`. */
export function handlersProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return 'setup must return an object of handlers (onBar, onTrade, …)';
  for (const [key, handler] of Object.entries(value)) {
    if (!HANDLERS.has(key)) return `setup returned unknown handler ${key} (known: ${[...HANDLERS].join(', ')})`;
    if (typeof handler !== 'function') return `${key} must be a function`;
  }
  return null;
}
