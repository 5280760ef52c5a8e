import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import { ConfigError } from '../../src/errors.ts';

const NO_FILE = '/nonexistent/.env';
const PASSWORD = 'pa55-never-shown';
const URL_BASE = `postgres://tickflow:${PASSWORD}@db.example.com:5432/tickflow`;

/** Only the files' first line is read at start-up; the TLS handshake is what parses them (test/store/postgres-tls.test.ts). */
const dir = mkdtempSync(join(tmpdir(), 'tickflow-database-config-'));
const CA = join(dir, 'ca.pem');
writeFileSync(CA, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
const NOT_PEM = join(dir, 'ca.der');
writeFileSync(NOT_PEM, Buffer.from([0x30, 0x82, 0x01]));

/** loadConfig's ConfigError for `env`, checked never to show the password. */
function problem(env: Record<string, string>): string {
  try {
    loadConfig(env, NO_FILE);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    assert.ok(!error.message.includes(PASSWORD), error.message);
    return error.message;
  }
  assert.fail(`no ConfigError for ${JSON.stringify(env)}`);
}

describe('DATABASE_URL over TLS', () => {
  it('takes libpq’s sslmode and sslrootcert, and PGSSLMODE / PGSSLROOTCERT where the URL has none (the URL’s own win)', () => {
    const full = `${URL_BASE}?sslmode=verify-full&sslrootcert=${encodeURIComponent(CA)}`;
    assert.equal(loadConfig({ DATABASE_URL: full }, NO_FILE).databaseUrl, full);
    assert.equal(loadConfig({ DATABASE_URL: URL_BASE, PGSSLMODE: 'verify-full', PGSSLROOTCERT: CA }, NO_FILE).databaseUrl, full);
    assert.equal(loadConfig({ DATABASE_URL: `${URL_BASE}?sslmode=require`, PGSSLMODE: 'verify-full' }, NO_FILE).databaseUrl, `${URL_BASE}?sslmode=require`);
    assert.equal(loadConfig({ DATABASE_URL: `${URL_BASE}?sslrootcert=system` }, NO_FILE).databaseUrl, `${URL_BASE}?sslrootcert=system`);
    assert.equal(loadConfig({ PGSSLMODE: 'prefer' }, NO_FILE).databaseUrl, undefined, 'without DATABASE_URL nothing connects to PostgreSQL');
  });

  it('refuses what it does not implement as libpq does, naming the variable and what to write instead', () => {
    assert.match(problem({ DATABASE_URL: `${URL_BASE}?sslmode=prefer` }), /DATABASE_URL: sslmode=prefer is not supported \(prefer falls back to an unencrypted connection.*\): use one of disable, require, verify-ca, verify-full/);
    assert.match(problem({ DATABASE_URL: URL_BASE, PGSSLMODE: 'allow' }), /\n {2}PGSSLMODE: sslmode=allow is not supported/);
    assert.match(problem({ DATABASE_URL: `${URL_BASE}?sslmode=no-verify` }), /DATABASE_URL: sslmode=no-verify is not supported: use one of/);
    assert.match(problem({ DATABASE_URL: `${URL_BASE}?ssl=true` }), /DATABASE_URL: ssl is pg's, not libpq's: write sslmode=verify-full/);
    assert.match(problem({ DATABASE_URL: `${URL_BASE}?sslmode=verify-full&sslpassword=${PASSWORD}` }), /DATABASE_URL: sslpassword is not supported: give sslkey an unencrypted key/);
    assert.match(problem({ DATABASE_URL: `${URL_BASE}?sslmode=verify-ca` }), /DATABASE_URL: sslmode=verify-ca checks the server's certificate against a CA: give the CA file with sslrootcert=/);
    assert.match(problem({ DATABASE_URL: `${URL_BASE}?sslmode=require&sslrootcert=system` }), /sslrootcert=system needs sslmode=verify-full \(got sslmode=require\)/);
  });

  it('stops at a CA or client certificate it cannot use, naming the file', () => {
    assert.match(problem({ DATABASE_URL: `${URL_BASE}?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem` }), /DATABASE_URL: sslrootcert: cannot read "\/nonexistent\/ca.pem" \(ENOENT\)/);
    assert.match(problem({ DATABASE_URL: `${URL_BASE}?sslmode=verify-full`, PGSSLROOTCERT: NOT_PEM }), new RegExp(`PGSSLROOTCERT: sslrootcert: "${NOT_PEM}" holds no PEM certificate`));
    assert.match(problem({ DATABASE_URL: `${URL_BASE}?sslmode=verify-full&sslcert=${encodeURIComponent(CA)}` }), /DATABASE_URL: a client certificate needs both sslcert and sslkey/);
  });
});
