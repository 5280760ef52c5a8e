import { HttpProblem } from './problem.ts';

/** Reads `from`/`to`: Unix milliseconds or an ISO 8601 date-time; a 400 naming the parameter otherwise. */
export function parseTime(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = /^\d{1,16}$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(value) || !onTheCalendar(text)) {
    throw new HttpProblem(400, 'Bad Request', `query parameter "${name}" must be Unix milliseconds or an ISO 8601 date-time such as 2026-11-23T14:30:00Z (got ${JSON.stringify(text)})`);
  }
  return value;
}

export function parseRange(query: { from?: string; to?: string }): { from?: number; to?: number } {
  const from = parseTime('from', query.from);
  const to = parseTime('to', query.to);
  if (from !== undefined && to !== undefined && from >= to) throw new HttpProblem(400, 'Bad Request', 'query parameter "from" must be before "to"');
  return { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
}

/** Date.parse rolls 2026-02-30 over to March 2: a written date and time must exist as written. */
function onTheCalendar(text: string): boolean {
  const parts = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(text);
  if (!parts) return true;
  const [year, month, day, hour = '0', minute = '0'] = parts.slice(1).map((part) => part ?? '0') as [string, string, string, string, string];
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return date.getUTCMonth() === Number(month) - 1 && date.getUTCDate() === Number(day) && Number(hour) < 24 && Number(minute) < 60;
}
