import { KafkaAccessDenied } from '../../bus/access-denied.ts';
import type { Logger } from '../../logger.ts';
import type { Assembly } from '../compose/assemble.ts';

/**
 * A processor that stopped for good (Kafka denies it an operation) stops the process with status 1
 * and one line saying what to grant, instead of a process that runs on without doing its work.
 */
export function exitWhenAProcessorHalts({ pipeline }: Assembly, part: string, shutdown: (reason: string) => Promise<void>, logger: Logger): void {
  void pipeline.halted.then(async (error) => {
    const { message } = error instanceof KafkaAccessDenied ? error.forPart(part) : error;
    logger.fatal(message);
    await shutdown('a processor stopped for good');
    process.stderr.write(`tickflow: ${message}\n`);
    process.exit(1);
  });
}

/** A Kafka refusal with its hint naming the part to print the grants of; any other error as it is. */
export function withPartHint(error: unknown, part: string): unknown {
  return error instanceof KafkaAccessDenied ? error.forPart(part) : error;
}
