/* global sessionStorage -- browser globals (the lint config is Node's) */
/**
 * The paper account's keys, for this tab only: sessionStorage (gone when the tab closes), never
 * localStorage, the URL or a cookie. They travel only as the APCA-API-* headers and the `/stream`
 * authenticate message.
 */
const KEY = 'tickflow.paper-keys';

/** The keys this tab connected with, or null. */
export function savedKeys(storage = sessionStorage) {
  try {
    const keys = JSON.parse(storage.getItem(KEY) ?? 'null');
    return typeof keys?.keyId === 'string' && typeof keys?.secret === 'string' && keys.keyId && keys.secret ? { keyId: keys.keyId, secret: keys.secret } : null;
  } catch {
    return null;
  }
}

export function saveKeys(keys, storage = sessionStorage) {
  storage.setItem(KEY, JSON.stringify({ keyId: keys.keyId, secret: keys.secret }));
}

export function forgetKeys(storage = sessionStorage) {
  storage.removeItem(KEY);
}
