import { CommanderError } from 'commander';
import { ERROR_CODES, TickflowError } from '../errors.ts';
import { buildProgram } from './program.ts';

// `tickflow backtest … | head`: a reader that stops reading ends the output, not with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  if (error instanceof TickflowError) {
    console.error(`tickflow: ${error.message}`);
    // 2: the command line or the configuration is wrong; 1: it was right, and something failed.
    process.exit(error.code === ERROR_CODES.USAGE || error.code === ERROR_CODES.CONFIG_INVALID ? 2 : 1);
  }
  console.error(error);
  process.exit(1);
}
