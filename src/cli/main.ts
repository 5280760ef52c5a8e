import { CommanderError } from 'commander';
import { TickflowError } from '../errors.ts';
import { buildProgram } from './program.ts';

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  if (error instanceof TickflowError) {
    console.error(`tickflow: ${error.message}`);
    process.exit(2);
  }
  console.error(error);
  process.exit(1);
}
