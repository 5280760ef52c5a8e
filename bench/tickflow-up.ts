import { startCli } from '../test/support/cli.ts';
import { waitFor } from '../test/support/wait.ts';

export interface RunningUp {
  /** `http://127.0.0.1:PORT`. */
  readonly base: string;
  /** SIGINT (it drains), then resolves once the process exited. */
  stop(): Promise<void>;
}

/** `tickflow <args>` (an `up`) on `port` with `env`, once /readyz answers 200; fails with its stderr if it exits first. */
export async function startUp(args: readonly string[], port: number, env: Record<string, string>): Promise<RunningUp> {
  const cli = startCli(args, { PORT: String(port), ...env });
  const base = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (cli.child.exitCode === null) cli.child.kill('SIGINT');
    await cli.exited;
  };
  const exitedEarly = cli.exited.then((code) => {
    throw new Error(`tickflow ${args.join(' ')} exited (${code}):\n${cli.stderr().slice(-4000)}`);
  });
  exitedEarly.catch(() => {});
  try {
    await Promise.race([waitFor(async () => (await fetch(`${base}/readyz`).catch(() => null))?.status === 200, `tickflow ${args.join(' ')} ready`, 90_000), exitedEarly]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { base, stop };
}
