import type { Logger } from '../../logger.ts';
import type { Assembly } from '../compose/assemble.ts';

/** A feed that stops for good (a rejected key, a symbol limit) stops the process with status 1. */
export function exitWhenTheFeedFails({ feed }: Assembly, shutdown: (reason: string) => Promise<void>, logger: Logger): void {
  feed?.source.done.then(
    () => {},
    async (error: unknown) => {
      logger.fatal({ err: error }, 'the feed stopped for good');
      await shutdown('feed failed');
      process.exit(1);
    },
  );
}
