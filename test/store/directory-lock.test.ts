import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DirectoryLock } from '../../src/store/directory-lock.ts';
import { STORE_ERROR_CODES } from '../../src/store/store-error.ts';
import { waitFor } from '../support/wait.ts';

const dir = mkdtempSync(join(tmpdir(), 'tickflow-lock-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const LOCK_MODULE = new URL('../../src/store/directory-lock.ts', import.meta.url).href;

describe('directory lock (PGlite store)', () => {
  it('refuses a second process while the first holds it, and is taken over once that process died', async () => {
    const path = join(dir, 'store.lock');
    const child = spawn(process.execPath, ['--input-type=module', '-e', `import { DirectoryLock } from ${JSON.stringify(LOCK_MODULE)}; DirectoryLock.acquire(${JSON.stringify(path)}, 'store'); console.log('locked'); setInterval(() => {}, 1000);`], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await waitFor(() => output.includes('locked'), 'the child holding the lock');
      assert.throws(() => DirectoryLock.acquire(path, 'the PGlite store'), (error: Error & { code?: string }) => {
        assert.equal(error.code, STORE_ERROR_CODES.LOCKED);
        assert.match(error.message, new RegExp(`the PGlite store is in use by process ${child.pid}`));
        return true;
      });
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise((resolve) => child.once('exit', resolve));
    assert.ok(existsSync(path), 'a killed process leaves its lock behind');
    const lock = DirectoryLock.acquire(path, 'the PGlite store');
    assert.equal(readFileSync(path, 'utf8'), String(process.pid));
    lock.release();
    lock.release();
    assert.ok(!existsSync(path));
  });

  it('takes over a lock left with its own pid by an earlier life (containers restart as the same pid)', () => {
    const path = join(dir, 'same-pid.lock');
    writeFileSync(path, String(process.pid));
    const lock = DirectoryLock.acquire(path, 'store');
    assert.throws(() => DirectoryLock.acquire(path, 'store'), /already open in this process/);
    lock.release();
  });
});
