import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { tradingAccountResolver } from '../../src/cli/compose/default-trading-account.ts';
import { EngineGateway } from '../api/alpaca/support.ts';

const root = mkdtempSync(join(tmpdir(), 'tickflow-default-account-'));
after(() => rmSync(root, { recursive: true, force: true }));

describe("a trader's account", () => {
  it('an id stays as it is; "default" is the account in paper-account.json, else the first one, else none yet', async () => {
    const gateway = new EngineGateway(Date.UTC(2026, 0, 5, 15));
    const dir = mkdtempSync(join(root, 'data-'));
    const empty = tradingAccountResolver(gateway, dir);
    assert.equal(await empty('acct-7'), 'acct-7');
    assert.equal(await empty('default'), null);

    gateway.addAccount('first', 'PKFIRST', 'secret-1');
    gateway.addAccount('made-by-up', 'PKUP', 'secret-2');
    assert.equal(await tradingAccountResolver(gateway, dir)('default'), 'first');
    writeFileSync(join(dir, 'paper-account.json'), JSON.stringify({ accountId: 'made-by-up' }));
    assert.equal(await tradingAccountResolver(gateway, dir)('default'), 'made-by-up');
    // A file naming an account the service does not hold (another store) is not trusted.
    writeFileSync(join(dir, 'paper-account.json'), JSON.stringify({ accountId: 'gone' }));
    assert.equal(await tradingAccountResolver(gateway, dir)('default'), 'first');
  });
});
