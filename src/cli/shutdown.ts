/**
 * Runs `stop` once on the first SIGINT or SIGTERM; a second signal exits at once. Returns a function
 * that triggers the same shutdown from code (for a fatal source error, or a replay that ended).
 */
export function onShutdown(stop: (reason: string) => Promise<void>): (reason: string) => Promise<void> {
  let stopping: Promise<void> | null = null;
  const trigger = (reason: string): Promise<void> => (stopping ??= stop(reason));
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
