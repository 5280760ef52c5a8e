import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { freePort, startCli, type RunningCli } from '../support/cli.ts';
import { waitFor, within } from '../support/wait.ts';

const running: RunningCli[] = [];
const root = mkdtempSync(join(tmpdir(), 'tickflow-up-strategy-'));
after(() => {
  for (const cli of running) cli.child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

// Crypto trades around the clock, so the market order fills whenever the test runs.
const SYMBOL = 'BINANCE:BTCUSDT';

const FIRST_TRADE = `
export default {
  name: 'first-trade',
  params: { qty: { type: 'number', default: 0.01, min: 0 } },
  setup(ctx) {
    let ordered = false;
    return {
      async onTrade(trade) {
        if (ordered) return;
        ordered = true;
        const result = await ctx.buy(trade.symbol, ctx.params.qty);
        ctx.log.info('ordered', { ok: result.ok });
      },
    };
  },
};
`;

function strategyFile(name: string, source: string): string {
  const file = join(root, name);
  writeFileSync(file, source);
  return file;
}

function startUp(args: readonly string[], port: number, dataDir: string): RunningCli {
  const cli = startCli(['up', ...args], { PORT: String(port), TICKFLOW_DATA_DIR: dataDir, TICKFLOW_SYMBOLS: SYMBOL, TICKFLOW_SIM_RATE: '50' });
  running.push(cli);
  return cli;
}

describe('tickflow up --strategy', () => {
  it('runs the strategy on the default paper account: its order is placed and filled', async () => {
    const dataDir = mkdtempSync(join(root, 'data-'));
    const port = await freePort();
    const file = strategyFile('first-trade.ts', FIRST_TRADE);
    const cli = startUp(['--strategy', file, '--account', 'default', '--param', 'qty=0.02'], port, dataDir);
    const base = `http://127.0.0.1:${port}`;
    await waitFor(async () => (await fetch(`${base}/readyz`).catch(() => null))?.status === 200, 'readyz 200', 30_000);
    const keys = JSON.parse(readFileSync(join(dataDir, 'paper-account.json'), 'utf8')) as { accountId: string; APCA_API_KEY_ID: string; APCA_API_SECRET_KEY: string };
    assert.match(cli.stdout(), new RegExp(`^  strategy first-trade on account ${keys.accountId} \\(${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\)$`, 'm'));

    const headers = { 'apca-api-key-id': keys.APCA_API_KEY_ID, 'apca-api-secret-key': keys.APCA_API_SECRET_KEY };
    let orders: Array<Record<string, unknown>> = [];
    await waitFor(async () => {
      orders = (await (await fetch(`${base}/v2/orders?status=all`, { headers })).json()) as Array<Record<string, unknown>>;
      return orders.some((order) => order.status === 'filled');
    }, 'the strategy’s order filled', 30_000);
    assert.equal(orders.length, 1, 'one order: the strategy ordered once');
    assert.deepEqual([orders[0]!.symbol, orders[0]!.side, orders[0]!.qty, orders[0]!.filled_qty], [SYMBOL, 'buy', '0.02', '0.02']);

    cli.child.kill('SIGINT');
    assert.equal(await within(cli.exited, 15_000, 'shutdown after SIGINT'), 0);
  });

  it('stops before starting, with exit status 2 and a line naming the file and the parameter, on a bad parameter', async () => {
    const file = strategyFile('params.ts', FIRST_TRADE);
    const cli = startUp(['--strategy', file, '--param', 'qty=lots'], await freePort(), mkdtempSync(join(root, 'data-')));
    assert.equal(await within(cli.exited, 20_000, 'exit on a bad parameter'), 2);
    assert.equal(cli.stderr().trim(), `tickflow: ${file}: parameter qty: must be a number, got "lots"`);
    assert.doesNotMatch(cli.stdout(), /tickflow is up/);
  });

  it('stops before starting, with exit status 1 and a line naming the file, on a strategy that does not load', async () => {
    const file = strategyFile('broken.ts', 'export default {\n  name: "broken",\n  setup() { return {}; \n');
    const cli = startUp(['--strategy', file], await freePort(), mkdtempSync(join(root, 'data-')));
    assert.equal(await within(cli.exited, 20_000, 'exit on a broken strategy'), 1);
    const stderr = cli.stderr().trim();
    assert.match(stderr, new RegExp(`^tickflow: strategy ${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(:\\d+(:\\d+)?)? does not load: `));
    assert.doesNotMatch(cli.stdout(), /tickflow is up/);
  });
});
