import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { HttpProblem } from '../src/api/problem.ts';
import { ProducerFencedError } from '../src/bus/kafka/transactions.ts';
import { ConfigError, ERROR_CODES, InternalError, TickflowError } from '../src/errors.ts';
import { KinesisSinkError } from '../src/processors/kinesis/kinesis-sink.ts';
import { StoreError } from '../src/store/store-error.ts';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const SOURCES = readdirSync(SRC, { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts'))
  .sort()
  .map((file) => ({ file, text: readFileSync(SRC + file, 'utf8') }));

const BUILT_IN_ERRORS = ['Error', 'RangeError', 'TypeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'AggregateError'];

/**
 * The only built-in errors src/ may construct, per file, and why each is not a TickflowError. Any
 * other `new Error(` (or RangeError, TypeError, …) fails the test: raise a TickflowError with a code.
 */
const BUILT_IN_ALLOWED: Readonly<Record<string, { readonly count: number; readonly why: string }>> = {
  'api/routes/health.ts': { count: 1, why: 'a local timeout signal, caught in the same function and reported as the readiness reason; it never escapes' },
  'sources/websocket/reconnecting-feed.ts': { count: 1, why: 'wraps a thrown non-Error value so it can be logged and carried as one; nothing is raised' },
  'sources/ingest/journal-sink.ts': { count: 1, why: 'wraps a thrown non-Error value so the journal’s first failure is kept as one' },
  'indicators/moving-average.ts': { count: 1, why: 'an assert on a pure function: every window reaching it was checked before with a ConfigError' },
  'indicators/rsi.ts': { count: 1, why: 'an assert on a pure function: every period reaching it was checked before with a ConfigError' },
  'trading/calendar/calendar.ts': { count: 1, why: 'an assert on the caller’s argument: a time that is not a number' },
  'trading/calendar/civil-date.ts': { count: 1, why: 'toDayNumber is for callers that validated the text; parseCivilDate answers null for outside input' },
  'model/fixed-point.ts': { count: 2, why: 'asserts on tape prices, which the trade validator already found positive and finite' },
};

describe('the error codes', () => {
  it('are one list, each TICKFLOW_ + its name, so no two are equal', () => {
    for (const [name, code] of Object.entries(ERROR_CODES)) assert.equal(code, `TICKFLOW_${name}`);
    assert.equal(new Set(Object.values(ERROR_CODES)).size, Object.keys(ERROR_CODES).length);
  });

  it('are each raised somewhere (no code without a use)', () => {
    const unused = Object.keys(ERROR_CODES).filter((name) => !SOURCES.some(({ text }) => text.includes(`ERROR_CODES.${name}`)));
    assert.deepEqual(unused, []);
  });
});

describe('the errors tickflow raises', () => {
  it('are TickflowErrors: every error class in src/ descends from it', () => {
    const parents = new Map<string, string>();
    for (const { text } of SOURCES) for (const match of text.matchAll(/\bclass (\w+) extends (\w+)/g)) parents.set(match[1]!, match[2]!);
    const errorClasses = [...parents.keys()].filter((name) => ancestry(name, parents).some((ancestor) => BUILT_IN_ERRORS.includes(ancestor)));
    assert.ok(errorClasses.length >= 6, `found ${errorClasses.join(', ')}`);
    const outside = errorClasses.filter((name) => name !== 'TickflowError' && !ancestry(name, parents).includes('TickflowError'));
    assert.deepEqual(outside, []);
  });

  it('construct no built-in error outside the listed asserts', () => {
    const found: Record<string, number> = {};
    const pattern = new RegExp(`\\bnew (?:${BUILT_IN_ERRORS.join('|')})\\(`, 'g');
    for (const { file, text } of SOURCES) {
      const count = text.match(pattern)?.length ?? 0;
      if (count > 0) found[file.replaceAll('\\', '/')] = count;
    }
    assert.deepEqual(found, Object.fromEntries(Object.entries(BUILT_IN_ALLOWED).map(([file, { count }]) => [file, count])));
  });

  it('carry their code and say whether trying again may help', () => {
    const cases: Array<[TickflowError, string, boolean]> = [
      [new ConfigError('x'), ERROR_CODES.CONFIG_INVALID, false],
      [new InternalError('x'), ERROR_CODES.INTERNAL, false],
      [new InternalError('x', { canRetry: true }), ERROR_CODES.INTERNAL, true],
      [new StoreError(ERROR_CODES.STORE_UNAVAILABLE, 'x', { canRetry: true }), ERROR_CODES.STORE_UNAVAILABLE, true],
      [new ProducerFencedError('id', null), ERROR_CODES.BUS_FENCED, false],
      [new KinesisSinkError('x', { canRetry: true }), ERROR_CODES.KINESIS_PUT_FAILED, true],
      [new HttpProblem(503, 'Service Unavailable', 'x'), ERROR_CODES.HTTP_PROBLEM, true],
      [new HttpProblem(429, 'Too Many Requests', 'x'), ERROR_CODES.HTTP_PROBLEM, true],
      [new HttpProblem(404, 'Not Found', 'x'), ERROR_CODES.HTTP_PROBLEM, false],
    ];
    for (const [error, code, canRetry] of cases) {
      assert.ok(error instanceof TickflowError, error.name);
      assert.deepEqual({ name: error.name, code: error.code, canRetry: error.canRetry }, { name: error.name, code, canRetry });
    }
  });
});

/** `name`, its parent, its parent's parent, … as far as src/ declares them, then the built-in it extends. */
function ancestry(name: string, parents: ReadonlyMap<string, string>): string[] {
  const chain = [name];
  for (let parent = parents.get(name); parent !== undefined && !chain.includes(parent); parent = parents.get(parent)) chain.push(parent);
  return chain;
}
