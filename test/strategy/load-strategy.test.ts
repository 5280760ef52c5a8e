import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadStrategy } from '../../src/strategy/load-strategy.ts';
import { StrategyError } from '../../src/strategy/strategy-error.ts';
import { strategyFile } from '../backtest/run/support.ts';

async function loadError(source: string, name?: string): Promise<StrategyError> {
  const path = strategyFile(source, name);
  try {
    await loadStrategy(path);
  } catch (error) {
    assert.ok(error instanceof StrategyError, String(error));
    assert.ok(error.message.includes(path), `${error.message} names no file`);
    return error;
  }
  assert.fail('loaded');
}

describe('loading a strategy from a file', () => {
  it('loads a TypeScript module and hashes it', async () => {
    const loaded = await loadStrategy(strategyFile(`const name: string = 'typed';\nexport default { name, setup: () => ({}) };`));
    assert.equal(loaded.definition.name, 'typed');
    assert.match(loaded.sha256, /^[0-9a-f]{64}$/);
  });

  it('names the file and line of a syntax error', async () => {
    const error = await loadError(`export default {\n  name: 'broken',\n  setup() { return {} ,\n};\n`);
    assert.match(error.message, /does not load/);
    assert.match(error.location ?? '', /strategy\.ts:\d+/);
  });

  it('names the line of a module that throws while loading', async () => {
    const error = await loadError(`const a = 1;\nthrow new Error('no data here');\nexport default {};\n`);
    assert.equal(error.location?.replace(/^.*strategy\.ts/, 'strategy.ts'), 'strategy.ts:2:7');
    assert.match(error.message, /no data here/);
  });

  it('refuses a module without a default export, a definition without setup, an unknown field, a bad parameter schema', async () => {
    assert.match((await loadError(`export const x = 1;`)).message, /no default export/);
    assert.match((await loadError(`export default { name: 'x' };`)).message, /setup\(ctx\) must be a function/);
    assert.match((await loadError(`export default { name: 'x', setup() { return {}; }, onBar() {} };`)).message, /unknown field onBar/);
    assert.match((await loadError(`export default { name: 'x', setup() { return {}; }, params: { fast: { type: 'integer', default: 1.5 } } };`)).message, /parameter fast: default must be an integer/);
  });

  it('says so for a missing file or another kind of file', async () => {
    await assert.rejects(loadStrategy('/nonexistent/strategy.ts'), /strategy \/nonexistent\/strategy\.ts: no such file/);
    await assert.rejects(loadStrategy(strategyFile('{}', 'strategy.json')), /not a \.ts, \.mts, \.js or \.mjs module/);
  });
});
