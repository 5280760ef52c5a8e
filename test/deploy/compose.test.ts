import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { RUNNABLE } from '../../src/cli/commands/run.ts';
import { CONFIG_VARIABLES } from '../../src/config/config.ts';
import { assertTickflowCommand } from './cli-commands.ts';

const read = (path: string) => readFileSync(fileURLToPath(new URL(`../../${path}`, import.meta.url)), 'utf8');

interface Service {
  image?: string;
  command?: string[];
  environment?: Record<string, string>;
}

const compose = parse(read('docker-compose.yml'), { merge: true }) as { services: Record<string, Service> };
const tickflowServices = Object.entries(compose.services).filter(([, service]) => service.image === 'tickflow:latest');
const known = new Set<string>(CONFIG_VARIABLES);

describe('docker-compose.yml agrees with the CLI', () => {
  it('has every processor as a service, each running a command tickflow has', () => {
    for (const [name, service] of tickflowServices) assertTickflowCommand(name, service.command ?? ['up']);
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
