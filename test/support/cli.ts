import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const TICKFLOW_BIN = fileURLToPath(new URL('../../bin/tickflow.js', import.meta.url));

export interface RunningCli {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (or the signal name). */
  readonly exited: Promise<number | string>;
}

/** Starts `tickflow <args>` with the same Node and a clean, explicit environment. */
export function startCli(args: readonly string[], env: Record<string, string>, cwd?: string): RunningCli {
  const child = spawn(process.execPath, [TICKFLOW_BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(cwd ? { cwd } : {}),
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = once(child, 'exit').then(([code, signal]) => (code ?? signal) as number | string);
  return { child, stdout: () => out, stderr: () => err, exited };
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (typeof address !== 'object' || !address) throw new Error('no port');
  return address.port;
}

/**
 * For a process that did not stop in time: whether it spins (its CPU over a second; ~1 s means a busy
 * event loop, which no timer of its own can end) or waits, and the tail of what it wrote.
 */
export async function stuckReport(cli: RunningCli): Promise<string> {
  const sample = (): { state: string; cpuTicks: number } | null => {
    try {
      // /proc/<pid>/stat: the fields after the command's closing parenthesis; state first, utime and stime 12th and 13th.
      const fields = readFileSync(`/proc/${cli.child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return { state: fields[0]!, cpuTicks: Number(fields[11]) + Number(fields[12]) };
    } catch {
      return null;
    }
  };
  const before = sample();
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  const after = sample();
  const cpu = before && after ? `state ${after.state}, ${((after.cpuTicks - before.cpuTicks) / 100).toFixed(2)} s of CPU in 1 s` : 'no /proc entry';
  return `${cpu}\nstdout (tail):\n${cli.stdout().slice(-1500)}\nstderr (tail):\n${cli.stderr().slice(-1500)}`;
}
