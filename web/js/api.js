/* global URLSearchParams, clearTimeout, fetch, setTimeout -- browser globals (the lint config is Node's) */
import { session } from './session.js';

/** A REST answer that was not 2xx: `status` and the problem+json `detail` when there is one. */
export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

/** `token` (the admin token of a change) or else the page's own token goes as the bearer. */
export function headers(extra = {}, token = session.token) {
  return token ? { ...extra, authorization: `Bearer ${token}` } : extra;
}

async function answer(response) {
  const text = await response.text();
  let body;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) throw new ApiError(response.status, body?.detail ?? `${response.status} ${response.statusText}`);
  return body;
}

/** GET a JSON resource of this origin. */
export async function getJson(path, { signal } = {}) {
  return answer(await fetch(path, { headers: headers({ accept: 'application/json' }), cache: 'no-store', signal }));
}

export async function postJson(path, body, { token } = {}) {
  return answer(await fetch(path, { method: 'POST', headers: headers({ accept: 'application/json', 'content-type': 'application/json' }, token), body: JSON.stringify(body) }));
}

export async function patchJson(path, body, { token } = {}) {
  return answer(await fetch(path, { method: 'PATCH', headers: headers({ accept: 'application/json', 'content-type': 'application/json' }, token), body: JSON.stringify(body) }));
}

/** DELETE a resource of this origin; a 204 answers `null`. */
export async function deleteResource(path, { token } = {}) {
  return answer(await fetch(path, { method: 'DELETE', headers: headers({ accept: 'application/json' }, token) }));
}

/** Where a chart's history starts (Unix ms): `limit` bars of `interval` before now. */
export function historyStart(interval, limit) {
  const width = interval === '1m' ? 60_000 : 1_000;
  return Date.now() - limit * width;
}

/** `/v1/bars` wants Unix ms; the bars come oldest first from `from`, so `from` picks the recent ones. */
export function barsPath(symbol, interval, limit, from = historyStart(interval, limit)) {
  return `/v1/bars?${new URLSearchParams({ symbol, interval, from: String(from), limit: String(limit) })}`;
}

/** The stored signals since `from`, the most recent `limit` of them (newest first). */
export function signalsPath(symbol, from, limit) {
  return `/v1/signals?${new URLSearchParams({ symbol, from: String(from), order: 'desc', limit: String(limit) })}`;
}

/**
 * Calls `task` now and then every `everyMs` after it settled (never two at once, so a slow server
 * is not piled on). A failure goes to `onError` and the polling goes on. Returns a stop function.
 */
export function poll(task, everyMs, onError = () => {}) {
  let timer = null;
  let stopped = false;
  const run = async () => {
    try {
      await task();
    } catch (error) {
      onError(error);
    } finally {
      if (!stopped) timer = setTimeout(run, everyMs);
    }
  };
  void run();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
