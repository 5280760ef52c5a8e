import type { Command } from 'commander';

export function registerReplay(_program: Command): void {}
