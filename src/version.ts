import { readFileSync } from 'node:fs';

/** tickflow's version, from its package.json: what reports and `--version` name. */
export const TICKFLOW_VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
