/**
 * Seconds to wait according to an HTTP `Retry-After` header (RFC 9110 §10.2.3: delay-seconds or an
 * HTTP-date), rounded up to whole seconds ≥ 1; `null` when absent or unreadable.
 */
export function parseRetryAfter(header: string | null, now: number): number | null {
  if (header === null) return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Math.max(1, Number(text));
  // An HTTP-date starts with the day name (IMF-fixdate, RFC 850 and asctime forms all do); V8's
  // Date.parse alone would also read "-5" as a year.
  if (!/^[A-Za-z]{3}/.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(1, Math.ceil((at - now) / 1000));
}
