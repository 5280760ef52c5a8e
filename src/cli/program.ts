import { Command } from 'commander';
import { registerAccounts } from './commands/accounts.ts';
import { registerAcls } from './commands/acls.ts';
import { registerReplay } from './commands/replay.ts';
import { registerRun } from './commands/run.ts';
import { registerSimulate } from './commands/simulate.ts';
import { registerTopics } from './commands/topics.ts';
import { registerUp } from './commands/up.ts';
import { CONFIG_HELP } from './config-help.ts';
import { TICKFLOW_VERSION } from '../version.ts';
import { registerBacktest } from './commands/backtest.ts';

/** The `tickflow` command and all its subcommands, not yet parsed. */
export function buildProgram(): Command {
  const program = new Command('tickflow')
    .description('Real-time market data: Finnhub ingest, a bus (embedded or Kafka), rolling metrics, time bars, archives.')
    .version(TICKFLOW_VERSION)
    .showHelpAfterError()
    .addHelpText('after', CONFIG_HELP)
    .exitOverride();
  registerUp(program);
  registerSimulate(program);
  registerReplay(program);
  registerBacktest(program);
  registerRun(program);
  registerTopics(program);
  registerAccounts(program);
  registerAcls(program);
  return program;
}
