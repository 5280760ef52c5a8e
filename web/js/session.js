/* global URLSearchParams, history, location -- browser globals (the lint config is Node's) */
/**
 * Settings from the URL fragment: `#token=…&symbol=AAPL&interval=1m`. The fragment never leaves the
 * browser, so a bearer token placed there is not sent in any URL, logged by a proxy or kept in a
 * Referer; it travels only as an Authorization header and a WebSocket subprotocol.
 */
function readFragment() {
  return new URLSearchParams(location.hash.replace(/^#/, ''));
}

export const session = {
  token: readFragment().get('token') || null,
  symbol: readFragment().get('symbol') || null,
  interval: readFragment().get('interval') === '1m' ? '1m' : '1s',
};

/** Keeps the selection in the fragment (so a reload shows the same chart), the token untouched. */
export function rememberSelection(symbol, interval) {
  const fragment = readFragment();
  fragment.set('symbol', symbol);
  fragment.set('interval', interval);
  history.replaceState(null, '', `${location.pathname}${location.search}#${fragment.toString()}`);
}
