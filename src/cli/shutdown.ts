import { ENV_DEFAULTS } from '../config/config.ts';

/**
 * Runs `stop` once on the first SIGINT or SIGTERM; a second signal exits at once, and so does a
 * shutdown still running after `boundMs` (exit status 1, with a line saying so), so an
 * orchestrator's grace period is never overrun silently. Returns a function that triggers the same
 * shutdown from code (for a fatal source error, or a replay that ended).
 */
export function onShutdown(stop: (reason: string) => Promise<void>, boundMs: number = ENV_DEFAULTS.TICKFLOW_SHUTDOWN_TIMEOUT_MS): (reason: string) => Promise<void> {
  let stopping: Promise<void> | null = null;
  const trigger = (reason: string): Promise<void> => {
    if (!stopping) {
      const timer = setTimeout(() => {
        process.stderr.write(`tickflow: shutdown did not finish within ${boundMs} ms (TICKFLOW_SHUTDOWN_TIMEOUT_MS); exiting without it\n`);
        process.exit(1);
      }, boundMs);
      timer.unref();
      stopping = stop(reason).finally(() => clearTimeout(timer));
    }
    return stopping;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      process.stderr.write(`\n${signal} again: exiting without draining\n`);
      process.exit(130);
    }
    void trigger(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return trigger;
}
