import type { z } from 'zod';
import { ConfigError } from '../errors.ts';

/**
 * What settings given as JSON (`TICKFLOW_STRATEGIES`, `TICKFLOW_TRADERS`) share: reading the text,
 * and validating it against a zod schema with every problem named by its exact path, e.g.
 * `TICKFLOW_STRATEGIES: symbols.AAPL[1].fast must be < slow`.
 */

/** The JSON value of `text`; a `ConfigError` naming `variable` when it is not JSON. */
export function readJsonSetting(text: string, variable: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${variable}: not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * `json` checked by `schema`; a `ConfigError` with one line per problem otherwise. `messages` words
 * the issues a setting knows better (a discriminated union's choices); the rest take the shared words.
 */
export function validateJsonSetting<Schema extends z.ZodType>(schema: Schema, json: unknown, variable: string, messages?: (issue: z.core.$ZodRawIssue) => string | undefined): z.output<Schema> {
  const parsed = schema.safeParse(json, { error: (issue) => messages?.(issue) ?? issueMessage(issue) });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${variable}: ${formatPath(issue.path)}${issue.message}`);
    throw new ConfigError(problems.join('\n'));
  }
  return parsed.data;
}

/** `symbols.AAPL[1].fast `, `symbols["OANDA:EUR_USD"][0] `; empty for the top level. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key)) text += text === '' ? key : `.${key}`;
    else text += `[${JSON.stringify(String(key))}]`;
  }
  return text === '' ? '' : `${text} `;
}

/** Messages in the form "<path> must be …", for zod's own checks (refinements bring their own). */
function issueMessage(issue: z.core.$ZodRawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? `is required (${article(issue.expected)})` : `must be ${article(issue.expected)}, got ${describeInput(issue.input)}`;
    case 'too_small':
      return issue.origin === 'array' ? `needs at least ${issue.minimum} entries` : `must be ${issue.inclusive === false ? '>' : '≥'} ${issue.minimum}`;
    case 'too_big':
      return `must be ${issue.inclusive === false ? '<' : '≤'} ${issue.maximum}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}, got ${describeInput(issue.input)}`;
    case 'unrecognized_keys':
      return `has unknown option${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}`;
    default:
      return undefined;
  }
}

function article(expected: string): string {
  if (expected === 'int') return 'an integer';
  return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`;
}

/** A value as it appears in a message: JSON, cut to 60 characters. */
export function describeInput(input: unknown): string {
  if (input === undefined) return 'nothing';
  const text = JSON.stringify(input) ?? String(input);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** For a union discriminated by `key`: "must be one of …, got …" when no choice matched. */
export function discriminatorMessage(key: string, choices: readonly string[]): (issue: z.core.$ZodRawIssue) => string | undefined {
  return (issue) =>
    issue.code === 'invalid_union' && issue.note === 'No matching discriminator'
      ? `must be one of ${choices.map((name) => JSON.stringify(name)).join(', ')}, got ${describeInput((issue.input as Record<string, unknown> | undefined)?.[key])}`
      : undefined;
}
