/**
 * A strategy's declared parameters: plain objects, so a strategy file needs no import to declare
 * them and `tickflow backtest --strategy x.ts --help` can list them.
 */
export type ParamSpec =
  | { readonly type: 'integer' | 'number'; readonly default: number; readonly min?: number; readonly max?: number; readonly description?: string }
  | { readonly type: 'boolean'; readonly default: boolean; readonly description?: string }
  | { readonly type: 'string'; readonly default: string; readonly description?: string }
  | { readonly type: 'enum'; readonly values: readonly string[]; readonly default: string; readonly description?: string };

export type ParamSchema = Readonly<Record<string, ParamSpec>>;

type ValueOf<T extends ParamSpec> = T extends { type: 'integer' | 'number' } ? number : T extends { type: 'boolean' } ? boolean : T extends { type: 'enum'; values: readonly (infer V)[] } ? V : string;

export type ParamValues<S extends ParamSchema> = { readonly [K in keyof S]: ValueOf<S[K]> };

/** Why a declared schema is unusable (a strategy file's mistake), or `null`. */
export function schemaProblem(schema: unknown): string | null {
  if (schema === undefined) return null;
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return 'params must be an object of parameter specs';
  for (const [name, spec] of Object.entries(schema as Record<string, unknown>)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return `parameter name ${JSON.stringify(name)} must be an identifier`;
    const problem = specProblem(spec as ParamSpec);
    if (problem) return `parameter ${name}: ${problem}`;
  }
  return null;
}

function specProblem(spec: ParamSpec): string | null {
  if (typeof spec !== 'object' || spec === null) return 'must be an object with type and default';
  switch (spec.type) {
    case 'integer':
    case 'number': {
      const check = (value: unknown) => typeof value === 'number' && Number.isFinite(value) && (spec.type === 'number' || Number.isSafeInteger(value));
      if (!check(spec.default)) return `default must be ${spec.type === 'integer' ? 'an integer' : 'a finite number'}`;
      if (spec.min !== undefined && !check(spec.min)) return 'min must be a number';
      if (spec.max !== undefined && !check(spec.max)) return 'max must be a number';
      return rangeProblem(spec, spec.default);
    }
    case 'boolean':
      return typeof spec.default === 'boolean' ? null : 'default must be true or false';
    case 'string':
      return typeof spec.default === 'string' ? null : 'default must be a string';
    case 'enum':
      if (!Array.isArray(spec.values) || spec.values.length === 0 || !spec.values.every((value) => typeof value === 'string')) return 'values must be a non-empty array of strings';
      return spec.values.includes(spec.default) ? null : `default must be one of ${spec.values.join(', ')}`;
    default:
      return `type must be integer, number, boolean, string or enum, got ${JSON.stringify((spec as { type: unknown }).type)}`;
  }
}

function rangeProblem(spec: { min?: number; max?: number }, value: number): string | null {
  if (spec.min !== undefined && value < spec.min) return `must be ≥ ${spec.min}, got ${value}`;
  if (spec.max !== undefined && value > spec.max) return `must be ≤ ${spec.max}, got ${value}`;
  return null;
}

/**
 * The values a run uses: the defaults, overridden by `name=value` pairs from the command line. An
 * unknown name or a value its spec refuses is an error naming the parameter and what it takes.
 */
export function resolveParams(schema: ParamSchema | undefined, given: Readonly<Record<string, string>>): Record<string, unknown> | string {
  const values: Record<string, unknown> = {};
  const specs = schema ?? {};
  for (const [name, spec] of Object.entries(specs)) values[name] = spec.default;
  for (const [name, text] of Object.entries(given)) {
    const spec = specs[name];
    if (!spec) {
      const known = Object.keys(specs);
      return `unknown parameter ${name}; ${known.length ? `the strategy takes ${known.join(', ')}` : 'the strategy takes none'}`;
    }
    const value = parseValue(spec, text);
    if (typeof value === 'object') return `parameter ${name}: ${value.problem}`;
    values[name] = value;
  }
  return values;
}

function parseValue(spec: ParamSpec, text: string): number | boolean | string | { problem: string } {
  switch (spec.type) {
    case 'integer':
    case 'number': {
      const value = text.trim() === '' ? Number.NaN : Number(text);
      if (!Number.isFinite(value) || (spec.type === 'integer' && !Number.isSafeInteger(value))) return { problem: `must be ${spec.type === 'integer' ? 'an integer' : 'a number'}, got ${JSON.stringify(text)}` };
      const problem = rangeProblem(spec, value);
      return problem ? { problem } : value;
    }
    case 'boolean':
      if (text === 'true' || text === 'false') return text === 'true';
      return { problem: `must be true or false, got ${JSON.stringify(text)}` };
    case 'string':
      return text;
    case 'enum':
      return spec.values.includes(text) ? text : { problem: `must be one of ${spec.values.join(', ')}, got ${JSON.stringify(text)}` };
  }
}

/** `name=value` pairs from `--param` options; a pair without `=` is an error naming it. */
export function parseParamPairs(pairs: readonly string[]): Record<string, string> | string {
  const given: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) return `--param ${JSON.stringify(pair)} must be name=value`;
    given[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return given;
}
