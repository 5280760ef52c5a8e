import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config/config.ts';
import { withTraders } from '../../src/cli/compose/processor-factory.ts';

const NO_FILE = '/nonexistent/.env';
const TRADER = { id: 'momentum', account: 'default', strategies: ['ma-crossover'], sizing: { rule: 'fixed-notional', notional: 1000 } };
const traders = (value: unknown) => loadConfig({ TICKFLOW_TRADERS: JSON.stringify(value) }, NO_FILE);

describe('TICKFLOW_TRADERS', () => {
  it('none by default; read from JSON or a JSON file, with long-only and flat filled in', () => {
    assert.deepEqual(loadConfig({}, NO_FILE).traders, []);
    const file = join(mkdtempSync(join(tmpdir(), 'tickflow-traders-')), 'traders.json');
    writeFileSync(file, JSON.stringify([TRADER]));
    for (const config of [traders([TRADER]), loadConfig({ TICKFLOW_TRADERS: file }, NO_FILE)]) {
      assert.deepEqual(config.traders, [{ ...TRADER, position: { mode: 'long-only', onOpposite: 'flat' } }]);
    }
  });

  it('a bad value stops start-up naming the field', () => {
    const cases: Array<[unknown, RegExp]> = [
      [[{ ...TRADER, sizing: { rule: 'percent-of-equity', percent: 150 } }], /TICKFLOW_TRADERS: \[0\]\.sizing\.percent must be ≤ 100/],
      [[{ ...TRADER, sizing: { rule: 'half', qty: 1 } }], /TICKFLOW_TRADERS: \[0\]\.sizing\.rule must be one of "fixed-qty", "fixed-notional", "percent-of-equity", "target-percent", got "half"/],
      [[{ ...TRADER, sizing: { rule: 'fixed-qty', qty: 0 } }], /TICKFLOW_TRADERS: \[0\]\.sizing\.qty must be > 0/],
      [[{ ...TRADER, position: { mode: 'long-only', onOpposite: 'reverse' } }], /TICKFLOW_TRADERS: \[0\]\.position\.onOpposite reverse needs mode "long-short"/],
      [[{ ...TRADER, strategies: [] }], /TICKFLOW_TRADERS: \[0\]\.strategies needs at least 1 entries/],
      [[{ ...TRADER, strategies: ['ma-crossoverr'] }], /TICKFLOW_TRADERS: \[0\]\.strategies\[0\] "ma-crossoverr" is not a strategy of TICKFLOW_STRATEGIES/],
      [[TRADER, TRADER], /TICKFLOW_TRADERS: \[1\]\.id "momentum" is used twice/],
      [[{ ...TRADER, size: 3 }], /TICKFLOW_TRADERS: \[0\] has unknown option "size"/],
      [[{ ...TRADER, account: undefined }], /TICKFLOW_TRADERS: \[0\]\.account is required/],
    ];
    for (const [value, message] of cases) assert.throws(() => traders(value), (error: Error & { code?: string }) => message.test(error.message) && error.code === 'TICKFLOW_CONFIG_INVALID' && /^invalid configuration:\n/.test(error.message), JSON.stringify(value));
    assert.throws(() => loadConfig({ TICKFLOW_TRADERS: '[{' }, NO_FILE), /TICKFLOW_TRADERS: not valid JSON/);
    assert.throws(() => loadConfig({ TICKFLOW_TRADERS: '/nonexistent/traders.json' }, NO_FILE), /TICKFLOW_TRADERS: cannot read "\/nonexistent\/traders.json": ENOENT/);
  });

  it('names strategies of TICKFLOW_STRATEGIES by their instance id', () => {
    const config = loadConfig({ TICKFLOW_STRATEGIES: JSON.stringify({ default: [{ strategy: 'rsi', id: 'rsi-fast', period: 5 }] }), TICKFLOW_TRADERS: JSON.stringify([{ ...TRADER, strategies: ['rsi-fast'] }]) }, NO_FILE);
    assert.deepEqual(config.traders[0]?.strategies, ['rsi-fast']);
    assert.throws(() => loadConfig({ TICKFLOW_STRATEGIES: JSON.stringify({ default: [{ strategy: 'rsi', id: 'rsi-fast' }] }), TICKFLOW_TRADERS: JSON.stringify([TRADER]) }, NO_FILE), /"ma-crossover" is not a strategy of TICKFLOW_STRATEGIES \(rsi-fast\)/);
  });

  it('the trader runs right after the trading processor, only when traders are configured', () => {
    assert.deepEqual(withTraders(['aggregator', 'trading', 'storage'], traders([TRADER])), ['aggregator', 'trading', 'trader', 'storage']);
    assert.deepEqual(withTraders(['aggregator', 'trading'], { traders: [] }), ['aggregator', 'trading']);
    assert.deepEqual(withTraders(['aggregator'], traders([TRADER])), ['aggregator']);
  });
});
