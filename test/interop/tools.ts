/**
 * Clients nobody here wrote, for the interoperability tests: Kafka's own Java command-line tools
 * (through scripts/kafka/kafka.sh, a fresh JVM per call) and Debian's kcat (librdkafka). A missing
 * one fails the test with what to install: interoperability tests never skip.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KAFKA_BROKERS } from '../support/kafka.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const KAFKA_SH = join(ROOT, 'scripts/kafka/kafka.sh');
export const BOOTSTRAP = KAFKA_BROKERS.join(',');

export interface Output {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number | null;
}

const checked = new Map<string, Error | undefined>();

/** Throws (once per process, then from memory) when `command` does not run: names what to install. */
function requireCommand(command: string, versionArgs: readonly string[], install: string): void {
  if (!checked.has(command)) {
    const result = spawnSync(command, versionArgs, { stdio: 'ignore' });
    checked.set(command, result.error || result.status !== 0 ? new Error(`'${command}' is not available (${result.error?.message ?? `exit status ${result.status}`}): ${install}`) : undefined);
  }
  const error = checked.get(command);
  if (error) throw error;
}

export function requireJava(): void {
  requireCommand('java', ['-version'], "Kafka's command-line tools need Java 17+: apt-get install -y openjdk-17-jre-headless");
}

export function requireKcat(): void {
  requireCommand('kcat', ['-V'], 'install kcat (librdkafka command-line client): apt-get install -y kcat');
}

/**
 * kafka.sh assembles the tools' jars from Maven Central on first use (a minute or more); doing it
 * here, once and alone, keeps that out of the timed tool calls and away from two JVMs racing to do it.
 */
export async function assembleJavaTools(): Promise<void> {
  requireJava();
  const home = process.env.KAFKA_HOME ?? join(ROOT, '.kafka');
  const stamp = join(home, 'tools-libs', '.assembled');
  const pomSum = createHash('sha256').update(readFileSync(join(ROOT, 'scripts/kafka/tools/pom.xml'))).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === pomSum) return;
  await run('bash', [KAFKA_SH, 'tool', 'topics', '--version'], { timeoutMs: 15 * 60_000, what: 'assembling the Kafka tools (kafka.sh tool topics --version)' });
}

/** Runs one of kafka.sh's tools (`console-consumer`, `console-producer`, …) with `args`. */
export function kafkaTool(name: string, args: readonly string[], options: { input?: string; timeoutMs?: number; acceptExitCodes?: readonly number[] } = {}): Promise<Output> {
  requireJava();
  return run('bash', [KAFKA_SH, 'tool', name, ...args], { ...options, timeoutMs: options.timeoutMs ?? 60_000, what: `kafka.sh tool ${name}` });
}

export function kcat(args: readonly string[], options: { input?: string; timeoutMs?: number } = {}): Promise<Output> {
  requireKcat();
  return run('kcat', args, { ...options, timeoutMs: options.timeoutMs ?? 30_000, what: `kcat ${args.join(' ')}` });
}

/** Resolves with the output; rejects on a timeout (killing the process) or an exit status not accepted. */
function run(command: string, args: readonly string[], options: { input?: string; timeoutMs: number; what: string; acceptExitCodes?: readonly number[] }): Promise<Output> {
  const accept = options.acceptExitCodes ?? [0];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${options.what} did not finish within ${options.timeoutMs} ms; stderr:\n${tail(stderr)}`));
    }, options.timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      const output = { stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8'), code };
      if (code !== null && accept.includes(code)) resolve(output);
      else reject(new Error(`${options.what} exited with status ${code}; stderr:\n${tail(stderr)}`));
    });
    child.stdin.on('error', () => {}); // a tool that exits early closes its stdin: the exit status tells
    child.stdin.end(options.input ?? '');
  });
}

function tail(chunks: readonly Buffer[]): string {
  return Buffer.concat(chunks).toString('utf8').split('\n').slice(-30).join('\n');
}
