import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from './cli.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const KAFKA_SH = join(ROOT, 'scripts', 'kafka', 'kafka.sh');

/**
 * A broker of its own for a test that kills it: on free ports, with its own data, sharing the jars
 * the shared broker was assembled from.
 */
export class PrivateBroker {
  readonly home = mkdtempSync(join(tmpdir(), 'tickflow-broker-'));
  port = 0;
  #env: NodeJS.ProcessEnv = {};

  get brokers(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (this.port === 0) {
      this.port = await freePort();
      this.#env = {
        ...process.env,
        KAFKA_BROKERS: '',
        KAFKA_HOME: this.home,
        KAFKA_LIBS: join(ROOT, '.kafka', 'libs'),
        KAFKA_PORT: String(this.port),
        KAFKA_CONTROLLER_PORT: String(await freePort()),
      };
    }
    await run('bash', [KAFKA_SH, 'start'], { env: this.#env, timeout: 120_000 });
  }

  /** kill -9: no shutdown, no flush beyond what the OS already has. */
  kill9(): void {
    process.kill(Number(readFileSync(join(this.home, 'kafka.pid'), 'utf8').trim()), 'SIGKILL');
  }

  async stop(): Promise<void> {
    await run('bash', [KAFKA_SH, 'stop'], { env: this.#env, timeout: 60_000 }).catch(() => {});
    rmSync(this.home, { recursive: true, force: true });
  }
}
