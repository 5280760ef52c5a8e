import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './cli.ts';

const run = promisify(execFile);
const CERTIFICATE_USER = 'tickflow_cert';

/** A PostgreSQL of its own that takes only TLS connections with a password (pg_hba: hostssl, scram-sha-256). */
export interface TlsPostgres {
  readonly port: number;
  /** The superuser's: in every URL, never to be printed. */
  readonly password: string;
  /** The CA that signed the server's certificate (for 127.0.0.1 and localhost). */
  readonly caFile: string;
  /** A CA that signed nothing the server shows. */
  readonly foreignCaFile: string;
  /** It also listens there; its certificate does not name it. */
  readonly unlistedHost: string;
  /** The superuser, by password, to the `postgres` database. */
  url(host: string, params: Record<string, string>): string;
  /** A user who logs in with a client certificate signed by `caFile` (no password), to a database it owns. */
  readonly certificateUser: { readonly url: (params: Record<string, string>) => string; readonly certFile: string; readonly keyFile: string };
  /** The server's log, for a failure message. */
  log(): string;
  stop(): Promise<void>;
}

/**
 * Starts a throwaway PostgreSQL with `ssl = on` on a free port, with certificates made by openssl
 * now. initdb refuses to run as root, so as root the server runs as the `postgres` user.
 */
export async function startTlsPostgres(): Promise<TlsPostgres> {
  const bin = serverBinaries();
  const dir = mkdtempSync(join(tmpdir(), 'tickflow-pgtls-'));
  const password = `tls-secret-${randomBytes(8).toString('hex')}`;
  const port = await freePort();
  const unlistedHost = '127.0.0.2';
  const data = join(dir, 'data');
  const asServer = process.getuid?.() === 0 ? (command: string, args: string[]) => run('runuser', ['-u', 'postgres', '--', command, ...args]) : run;
  try {
    await certificates(dir);
    writeFileSync(join(dir, 'password'), password);
    if (process.getuid?.() === 0) await run('chown', ['-R', 'postgres:', dir]);
    await asServer(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', `--pwfile=${join(dir, 'password')}`, '--auth=scram-sha-256', '--no-sync', '-E', 'UTF8']);
    appendFileSync(join(data, 'postgresql.conf'), [
      `port = ${port}`,
      `listen_addresses = '127.0.0.1,${unlistedHost}'`,
      `unix_socket_directories = '${dir}'`,
      'ssl = on',
      `ssl_cert_file = '${join(dir, 'server.pem')}'`,
      `ssl_key_file = '${join(dir, 'server.key')}'`,
      `ssl_ca_file = '${join(dir, 'ca.pem')}'`,
      'fsync = off',
      '',
    ].join('\n'));
    writeFileSync(join(data, 'pg_hba.conf'), `hostssl all ${CERTIFICATE_USER} 127.0.0.0/8 cert\nhostssl all all 127.0.0.0/8 scram-sha-256\n`);
    await asServer(join(bin, 'pg_ctl'), ['-D', data, '-l', join(dir, 'server.log'), '-w', '-t', '30', 'start']);
    await addCertificateUser(port, password, join(dir, 'ca.pem'));
  } catch (error) {
    const log = existsSync(join(dir, 'server.log')) ? readFileSync(join(dir, 'server.log'), 'utf8') : '';
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`the TLS PostgreSQL did not start: ${(error as Error).message}\n${log}`, { cause: error });
  }
  return {
    port,
    password,
    caFile: join(dir, 'ca.pem'),
    foreignCaFile: join(dir, 'foreign-ca.pem'),
    unlistedHost,
    url: (host, params) => `postgres://postgres:${encodeURIComponent(password)}@${host}:${port}/postgres?${new URLSearchParams(params)}`,
    certificateUser: {
      url: (params) => `postgres://${CERTIFICATE_USER}@127.0.0.1:${port}/${CERTIFICATE_USER}?${new URLSearchParams(params)}`,
      certFile: join(dir, 'client.pem'),
      keyFile: join(dir, 'client.key'),
    },
    log: () => readFileSync(join(dir, 'server.log'), 'utf8'),
    async stop() {
      await asServer(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']).catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The newest installed server's bin directory (Debian: /usr/lib/postgresql/<major>/bin). */
function serverBinaries(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root) ? readdirSync(root).filter((name) => existsSync(join(root, name, 'bin', 'initdb'))) : [];
  const newest = majors.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error(`no PostgreSQL server under ${root}/*/bin (initdb, pg_ctl): install it (apt-get install postgresql); these tests do not skip`);
  return join(root, newest, 'bin');
}

/** Through pg's own TLS options, not tickflow's: the server is set up by what is not under test. */
async function addCertificateUser(port: number, password: string, caFile: string): Promise<void> {
  const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password, database: 'postgres', ssl: { ca: readFileSync(caFile, 'utf8') } });
  await admin.connect();
  try {
    await admin.query(`CREATE ROLE ${CERTIFICATE_USER} LOGIN`);
    await admin.query(`CREATE DATABASE ${CERTIFICATE_USER} OWNER ${CERTIFICATE_USER}`);
  } finally {
    await admin.end();
  }
}

/**
 * ca.pem (+ its key); signed by it: server.pem/server.key for 127.0.0.1 and localhost, and
 * client.pem/client.key for the certificate user; foreign-ca.pem.
 */
async function certificates(dir: string): Promise<void> {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const selfSignedCa = (name: string, cn: string) => run('openssl', ['req', '-x509', ...ec, '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.pem`), '-days', '2', '-subj', `/CN=${cn}`]);
  await Promise.all([selfSignedCa('ca', 'tickflow test CA'), selfSignedCa('foreign-ca', 'some other CA')]);
  writeFileSync(join(dir, 'server.ext'), 'subjectAltName = IP:127.0.0.1, DNS:localhost\n');
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage = clientAuth\n');
  const signed = async (name: string, cn: string, serial: number) => {
    await run('openssl', ['req', '-new', ...ec, '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.csr`), '-subj', `/CN=${cn}`]);
    await run('openssl', ['x509', '-req', '-in', join(dir, `${name}.csr`), '-CA', join(dir, 'ca.pem'), '-CAkey', join(dir, 'ca.key'), '-set_serial', String(serial), '-days', '2', '-extfile', join(dir, `${name}.ext`), '-out', join(dir, `${name}.pem`)]);
  };
  await Promise.all([signed('server', 'localhost', 1), signed('client', CERTIFICATE_USER, 2)]);
  // PostgreSQL refuses a key file others can read.
  chmodSync(join(dir, 'server.key'), 0o600);
}
