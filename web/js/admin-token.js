/* global sessionStorage -- browser globals (the lint config is Node's) */
/**
 * The admin token that changes alert rules, for this tab only: sessionStorage (gone when the tab
 * closes), never localStorage, the URL or a cookie. It travels only as `Authorization: Bearer`.
 */
const KEY = 'tickflow.admin-token';

export const adminTokenStore = {
  saved: (storage = sessionStorage) => storage.getItem(KEY) || null,
  save: (token, storage = sessionStorage) => storage.setItem(KEY, token),
  forget: (storage = sessionStorage) => storage.removeItem(KEY),
};

/**
 * Runs `request(token)` with the saved admin token (`undefined` without one). A 401 or 403 forgets
 * it and asks for one (`ask(detail)` resolves the token, or `null` when the user gives up), keeps
 * it and tries again. Anything else, and a refusal the user gave up on, is thrown.
 */
export async function asAdmin(request, ask, store = adminTokenStore) {
  let token = store.saved();
  for (;;) {
    try {
      return await request(token ?? undefined);
    } catch (error) {
      if (error?.status !== 401 && error?.status !== 403) throw error;
      store.forget();
      token = await ask(error.message);
      if (token === null) throw error;
      store.save(token);
    }
  }
}
