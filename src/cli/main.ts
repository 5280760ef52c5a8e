import { Command, CommanderError } from 'commander';
import { TickflowError } from '../errors.ts';
import { registerReplay } from './commands/replay.ts';
import { registerRun } from './commands/run.ts';
import { registerSimulate } from './commands/simulate.ts';
import { registerTopics } from './commands/topics.ts';
import { registerUp } from './commands/up.ts';
import { CONFIG_HELP } from './config-help.ts';

const program = new Command('tickflow')
  .description('Real-time market data: Finnhub ingest, a bus (embedded or Kafka), rolling metrics, time bars, archives.')
  .version('0.1.0')
  .showHelpAfterError()
  .addHelpText('after', CONFIG_HELP)
  .exitOverride();

registerUp(program);
registerSimulate(program);
registerReplay(program);
registerRun(program);
registerTopics(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  if (error instanceof TickflowError) {
    console.error(`tickflow: ${error.message}`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
}
