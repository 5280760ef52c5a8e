import assert from 'node:assert/strict';
import type { Command } from 'commander';
import { RUNNABLE } from '../../src/cli/commands/run.ts';
import { buildProgram } from '../../src/cli/program.ts';

function findCommand(program: Command, path: readonly string[]): Command | undefined {
  let command: Command | undefined = program;
  for (const name of path) command = command?.commands.find((sub) => sub.name() === name);
  return command;
}

/** Fails unless `words` (a container's command or args) is a command line tickflow accepts. */
export function assertTickflowCommand(where: string, words: readonly string[]): void {
  const program = buildProgram();
  const subcommands = words.filter((word) => !word.startsWith('-'));
  const isRun = subcommands[0] === 'run';
  const command = findCommand(program, isRun ? ['run'] : subcommands.slice(0, words[0] === 'topics' ? 2 : 1));
  assert.ok(command, `${where}: tickflow has no command "${words.join(' ')}"`);
  if (isRun) assert.ok((RUNNABLE as readonly string[]).includes(subcommands[1]!), `${where}: no processor "${subcommands[1]}"`);
  const flags = new Set(command.options.map((option) => option.long));
  for (const flag of words.filter((word) => word.startsWith('--'))) assert.ok(flags.has(flag), `${where}: "${command.name()}" has no option ${flag}`);
}
