import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import type { Command } from 'commander';
import { parse } from 'yaml';
import { RUNNABLE } from '../../src/cli/commands/run.ts';
import { buildProgram } from '../../src/cli/program.ts';
import { CONFIG_VARIABLES } from '../../src/config/config.ts';

const read = (path: string) => readFileSync(fileURLToPath(new URL(`../../${path}`, import.meta.url)), 'utf8');

interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
}

const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const tickflowServices = Object.entries(compose.services).filter(([, service]) => service.image === 'tickflow:latest');
const known = new Set<string>(CONFIG_VARIABLES);

function findCommand(program: Command, path: readonly string[]): Command | undefined {
  let command: Command | undefined = program;
  for (const name of path) command = command?.commands.find((sub) => sub.name() === name);
  return command;
}

describe('docker-compose.yml agrees with the CLI', () => {
  it('has every processor as a service, each running a command tickflow has', () => {
    const program = buildProgram();
    for (const [name, service] of tickflowServices) {
      const words = service.command ?? ['up'];
      const subcommands = words.filter((word) => !word.startsWith('-'));
      const isRun = subcommands[0] === 'run';
      const command = findCommand(program, isRun ? ['run'] : subcommands.slice(0, words[0] === 'topics' ? 2 : 1));
      assert.ok(command, `${name}: tickflow has no command "${words.join(' ')}"`);
      if (isRun) assert.ok((RUNNABLE as readonly string[]).includes(subcommands[1]!), `${name}: no processor "${subcommands[1]}"`);
      const flags = new Set(command.options.map((option) => option.long));
      for (const flag of words.filter((word) => word.startsWith('--'))) assert.ok(flags.has(flag), `${name}: "${command.name()}" has no option ${flag}`);
    }
    const run = tickflowServices.filter(([, service]) => service.command?.[0] === 'run').map(([, service]) => service.command![1]);
    assert.deepEqual([...run].sort(), [...RUNNABLE].sort(), 'one service per processor');
  });

  it('names only environment variables tickflow reads', () => {
    for (const [name, service] of tickflowServices) {
      for (const variable of Object.keys(service.environment ?? {})) assert.ok(known.has(variable as never), `${name}: tickflow does not read ${variable}`);
    }
  });

  it('builds an image whose environment tickflow reads', () => {
    const variables = [...read('Dockerfile').matchAll(/^ENV (.+)$/gm)].flatMap((match) => [...match[1]!.matchAll(/(\w+)=/g)].map((pair) => pair[1]!));
    for (const variable of variables.filter((name) => name !== 'NODE_ENV')) assert.ok(known.has(variable as never), `Dockerfile sets ${variable}, which tickflow does not read`);
  });
});
