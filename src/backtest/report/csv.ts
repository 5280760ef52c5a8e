export type CsvValue = string | number | boolean | null;

/** RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled; `null` is empty. */
export function csvField(value: CsvValue): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A header row and the records, each line ended by CRLF (RFC 4180). */
export function csvTable(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}
