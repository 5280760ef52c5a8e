import assert from 'node:assert/strict';
import { it } from 'node:test';
import { freePort, startCli } from '../support/cli.ts';

it('tickflow topics list with no broker reachable exits 1 with one line naming the brokers', async () => {
  const brokers = `127.0.0.1:${await freePort()}`;
  const cli = startCli(['topics', 'list'], { KAFKA_BROKERS: brokers });
  assert.equal(await cli.exited, 1, cli.stderr());
  const lines = cli.stderr().trim().split('\n');
  assert.equal(lines.length, 1, cli.stderr());
  assert.match(lines[0]!, new RegExp(`^tickflow: no Kafka broker of KAFKA_BROKERS \\(${brokers}\\) answered`));
});
