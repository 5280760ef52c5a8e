import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openPostgresStore } from '../../src/store/postgres-store.ts';
import { STORE_ERROR_CODES, StoreError } from '../../src/store/store-error.ts';
import { startTlsPostgres, type TlsPostgres } from '../support/tls-postgres.ts';
import { within } from '../support/wait.ts';
import { TEST_DATABASE_URL } from './postgres-support.ts';
import { trade } from './store-contract.ts';

let server: TlsPostgres;
before(async () => {
  server = await startTlsPostgres();
});
after(() => server?.stop());

/** Opens the store at `url`, runs `use` on it, and closes it. */
async function withStore<T>(url: string, use: (store: Awaited<ReturnType<typeof openPostgresStore>>) => Promise<T>): Promise<T> {
  const store = await openPostgresStore({ url, connectTimeoutMs: 5_000 });
  try {
    return await use(store);
  } finally {
    await within(store.close(), 10_000, 'closing the store');
  }
}

async function encrypted(url: string): Promise<boolean> {
  return withStore(url, async (store) => {
    const { rows } = await store.driver.query<{ ssl: boolean }>('SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
    return rows[0]!.ssl;
  });
}

/** Opening the store at `url` fails with a message matching `reason` that never shows the password; for good (no retry) unless `canRetry`. */
async function refused(url: string, reason: RegExp, canRetry = false): Promise<void> {
  await assert.rejects(openPostgresStore({ url, connectTimeoutMs: 5_000 }), (error: unknown) => {
    assert.ok(error instanceof StoreError, String(error));
    assert.deepEqual({ code: error.code, canRetry: error.canRetry }, { code: STORE_ERROR_CODES.UNAVAILABLE, canRetry });
    assert.match(error.message, reason);
    assert.ok(!error.message.includes(server.password) && !error.message.includes(encodeURIComponent(server.password)), error.message);
    return true;
  });
}

describe('PostgreSQL over TLS (a server of its own that takes only TLS)', () => {
  it('verify-full with the CA that signed the certificate: migrates, writes and reads over an encrypted connection', async () => {
    const url = server.url('127.0.0.1', { sslmode: 'verify-full', sslrootcert: server.caFile });
    await withStore(url, async (store) => {
      await store.write({ trades: [trade({ symbol: 'TLS', price: 42 })] });
      const summary = (await store.symbols()).find((s) => s.symbol === 'TLS');
      assert.deepEqual({ count: summary?.tradeCount, price: summary?.lastPrice }, { count: 1, price: 42 });
    });
    assert.equal(await encrypted(url), true);
    assert.equal(await encrypted(server.url('localhost', { sslmode: 'verify-full', sslrootcert: server.caFile })), true, 'by a DNS name in the certificate too');
  });

  it('verify-full with a CA that did not sign the certificate, or without sslrootcert, fails for good naming the cause', async () => {
    const untrusting: Array<Record<string, string>> = [{ sslmode: 'verify-full', sslrootcert: server.foreignCaFile }, { sslmode: 'verify-full' }];
    for (const params of untrusting) {
      await refused(server.url('127.0.0.1', params), /TLS certificate is not signed by a CA tickflow trusts \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN)\): give the CA/);
    }
  });

  it('verify-full to a host the certificate does not name fails; verify-ca checks only the CA, as in libpq', async () => {
    await refused(server.url(server.unlistedHost, { sslmode: 'verify-full', sslrootcert: server.caFile }), /TLS certificate is not for the host in DATABASE_URL \(.*127\.0\.0\.2 is not in the cert's list/);
    assert.equal(await encrypted(server.url(server.unlistedHost, { sslmode: 'verify-ca', sslrootcert: server.caFile })), true);
    await refused(server.url(server.unlistedHost, { sslmode: 'verify-ca', sslrootcert: server.foreignCaFile }), /not signed by a CA tickflow trusts/);
  });

  it('require encrypts without checking the certificate, and checks the CA when given one, as in libpq', async () => {
    assert.equal(await encrypted(server.url(server.unlistedHost, { sslmode: 'require' })), true);
    await refused(server.url('127.0.0.1', { sslmode: 'require', sslrootcert: server.foreignCaFile }), /not signed by a CA tickflow trusts/);
  });

  it('logs in with a client certificate (sslcert, sslkey) where the server asks for one', async () => {
    const { url, certFile, keyFile } = server.certificateUser;
    const clientDn = await withStore(url({ sslmode: 'verify-full', sslrootcert: server.caFile, sslcert: certFile, sslkey: keyFile }), async (store) => {
      const { rows } = await store.driver.query<{ client_dn: string }>('SELECT client_dn FROM pg_stat_ssl WHERE pid = pg_backend_pid()');
      return rows[0]!.client_dn;
    });
    assert.equal(clientDn, '/CN=tickflow_cert');
    await refused(url({ sslmode: 'verify-full', sslrootcert: server.caFile }), /connection requires a valid client certificate \(SQLSTATE 28000\)/, true);
  });

  it('disable against a server that takes only TLS shows the server’s refusal', async () => {
    await refused(server.url('127.0.0.1', { sslmode: 'disable' }), /no pg_hba\.conf entry .* no encryption \(SQLSTATE 28000\)/, true);
    // pg also takes the password as a parameter: it is masked there too.
    await refused(`postgres://postgres@127.0.0.1:${server.port}/postgres?sslmode=disable&password=${encodeURIComponent(server.password)}`, /password=\*\*\*: no pg_hba\.conf entry/, true);
  });

  it('verify-full against a server without TLS fails for good', async () => {
    const plain = `${TEST_DATABASE_URL}${TEST_DATABASE_URL.includes('?') ? '&' : '?'}sslmode=verify-full&sslrootcert=${encodeURIComponent(server.caFile)}`;
    await refused(plain, /the server does not accept TLS connections, and sslmode asks for TLS/);
  });
});
