/* global document -- browser globals (the lint config is Node's) */
/**
 * Builds an element. Text is always set as text (never parsed as HTML): records from the feed
 * carry venue strings and alert notes written by people.
 * @param {string} tag
 * @param {Record<string, string | number | boolean | null | undefined>} [attributes] `class`, `data-*`, `aria-*`, …
 * @param {Array<Node | string | null | undefined | false>} [children]
 */
export function el(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

/** The element with `data-testid` = `id` (the page's stable hooks, shared with the browser test). */
export function byTestId(id, root = document) {
  const node = root.querySelector(`[data-testid="${id}"]`);
  if (!node) throw new Error(`the page has no [data-testid="${id}"]`);
  return node;
}
