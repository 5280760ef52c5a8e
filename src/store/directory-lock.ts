import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { STORE_ERROR_CODES, StoreError } from './store-error.ts';

/** Lock files this process holds: a second open in the same process is refused too. */
const held = new Set<string>();

/**
 * A lock file holding the owner's pid, created exclusively. A lock whose process is gone (a crash)
 * is taken over; one held by a live process is refused with a clear error.
 */
export class DirectoryLock {
  readonly #path: string;
  #released = false;

  private constructor(path: string) {
    this.#path = path;
  }

  static acquire(path: string, what: string): DirectoryLock {
    if (held.has(path)) throw locked(`${what} is already open in this process (lock ${path})`);
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(path, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        held.add(path);
        return new DirectoryLock(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const content = readFileSafe(path);
      // Created but its pid not yet written: another process is taking it right now.
      if (content === '' && Date.now() - mtimeOf(path) < 5_000) throw locked(`${what} is being opened by another process (lock ${path})`);
      const owner = Number(content);
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) throw locked(`${what} is in use by process ${owner} (lock ${path})`);
      // The owner died without releasing it: take it over.
      try {
        unlinkSync(path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    throw locked(`${what}: could not take the lock ${path}; another process is taking it at the same time`);
  }

  release(): void {
    if (this.#released) return;
    this.#released = true;
    held.delete(this.#path);
    try {
      unlinkSync(this.#path);
    } catch {
      // Already gone: nothing to release.
    }
  }
}

function locked(message: string): StoreError {
  return new StoreError(STORE_ERROR_CODES.LOCKED, message);
}

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

function mtimeOf(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function isAlive(pid: number): boolean {
  // Our own pid in a lock we do not hold is a previous life's (containers restart as the same pid).
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
