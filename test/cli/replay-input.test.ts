import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { startCli } from '../support/cli.ts';

const root = mkdtempSync(join(tmpdir(), 'tickflow-replay-input-'));
after(() => rmSync(root, { recursive: true, force: true }));

it('tickflow replay of a directory exits 2 with one line naming it, and starts nothing', async () => {
  const cli = startCli(['replay', '/etc'], { TICKFLOW_DATA_DIR: join(root, 'data') }, root);
  assert.equal(await cli.exited, 2, cli.stderr());
  assert.equal(cli.stderr().trim(), 'tickflow: /etc is a directory: replay reads one .jsonl file or Lean .zip file');
  assert.deepEqual(readdirSync(root), [], 'no data directory or archive was made');
});
