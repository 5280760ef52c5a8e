/** Text for HTML: `&`, `<`, `>`, `"`, `'` as entities (safe in element content and quoted attributes). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * JSON to place inside a `<script>` element: `<` written as `\u003c`, so no `</script>` or `<!--`
 * in the data can end or change the element (the JSON value is unchanged).
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
