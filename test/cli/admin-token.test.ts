import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { adminTokenFile, ensureAdminToken, readAdminToken } from '../../src/cli/admin-token.ts';

const root = mkdtempSync(join(tmpdir(), 'tickflow-admin-token-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = () => join(root, `data-${++dirs}`);

describe('the admin token', () => {
  it('is generated on first use into <data dir>/admin-token, readable by this user only, and the same afterwards', () => {
    const dataDir = freshDir();
    assert.equal(readAdminToken({ adminToken: undefined, dataDir }), null);
    const first = ensureAdminToken({ adminToken: undefined, dataDir });
    const file = adminTokenFile(dataDir);
    assert.equal(first.where, file);
    assert.match(first.token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(readFileSync(file, 'utf8').trim(), first.token);
    assert.deepEqual(ensureAdminToken({ adminToken: undefined, dataDir }), first);
    assert.deepEqual(readAdminToken({ adminToken: undefined, dataDir }), first);
    assert.notEqual(ensureAdminToken({ adminToken: undefined, dataDir: freshDir() }).token, first.token);
  });

  it('comes from TICKFLOW_ADMIN_TOKEN when it is set, and then no file is written', () => {
    const dataDir = freshDir();
    assert.deepEqual(ensureAdminToken({ adminToken: 'from-the-environment-123', dataDir }), { token: 'from-the-environment-123', where: 'TICKFLOW_ADMIN_TOKEN' });
    assert.throws(() => statSync(adminTokenFile(dataDir)), /ENOENT/);
  });

  it('is refused from a file other users may read, or that holds no token, naming the file', () => {
    const dataDir = freshDir();
    const { token } = ensureAdminToken({ adminToken: undefined, dataDir });
    const file = adminTokenFile(dataDir);
    chmodSync(file, 0o644);
    assert.throws(() => readAdminToken({ adminToken: undefined, dataDir }), (error: Error) => {
      assert.match(error.message, /readable by other users: chmod 600 /);
      assert.ok(error.message.includes(file));
      assert.ok(!error.message.includes(token), 'the token is never in a message');
      return true;
    });
    writeFileSync(file, 'short\n', { mode: 0o600 });
    chmodSync(file, 0o600);
    assert.throws(() => ensureAdminToken({ adminToken: undefined, dataDir }), /is not a token/);
  });
});
