import { redactSecrets } from '../logger.ts';

const MAX_DETAIL = 200;

/**
 * Text safe to put in an outcome, an error or a log line: secret query parameters masked (see
 * `redactSecrets`), every occurrence of `key` itself masked (Alpha Vantage echoes the key in its rate
 * limit message; an HTML error page may echo a URL), whitespace collapsed, cut to a readable length.
 */
export function scrub(text: string, key: string): string {
  let clean = redactSecrets(text);
  if (key !== '') clean = clean.replaceAll(key, '***');
  clean = clean.replace(/\s+/g, ' ').trim();
  return clean.length > MAX_DETAIL ? `${clean.slice(0, MAX_DETAIL)}…` : clean;
}
