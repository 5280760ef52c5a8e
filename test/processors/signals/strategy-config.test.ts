import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../../src/errors.ts';
import { DEFAULT_STRATEGY_CONFIG, parseStrategyConfig, strategiesFor } from '../../../src/processors/signals/strategy-config.ts';

function problem(json: unknown, variable?: string): string {
  const text = typeof json === 'string' ? json : JSON.stringify(json);
  try {
    parseStrategyConfig(text, variable);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    assert.equal(error.code, 'TICKFLOW_CONFIG_INVALID');
    return error.message;
  }
  assert.fail(`${text} was accepted`);
}

describe('strategy configuration', () => {
  it('defaults: EMA(5)/EMA(20), RSI(14), volume spike on 1s bars, VWAP deviation 0.1 %', () => {
    assert.deepEqual(
      DEFAULT_STRATEGY_CONFIG.default.map((entry) => entry.id),
      ['ma-crossover', 'rsi', 'volume-spike', 'vwap-deviation'],
    );
    assert.deepEqual(DEFAULT_STRATEGY_CONFIG.default[0], { strategy: 'ma-crossover', id: 'ma-crossover', kind: 'ema', fast: 5, slow: 20, interval: '1s', strengthScalePct: 0.05 });
    assert.deepEqual(DEFAULT_STRATEGY_CONFIG.symbols, {});
    assert.ok(Object.isFrozen(DEFAULT_STRATEGY_CONFIG.default[0]));
  });

  it('a symbol entry replaces the default list; options left out take their defaults; ids name instances', () => {
    const config = parseStrategyConfig(
      JSON.stringify({
        default: [{ strategy: 'vwap-deviation' }],
        symbols: {
          AAPL: [
            { strategy: 'ma-crossover', id: 'fast-cross', fast: 3, slow: 8 },
            { strategy: 'ma-crossover', id: 'slow-cross', kind: 'sma', fast: 10, slow: 30, interval: '1m' },
          ],
          'OANDA:EUR_USD': [],
        },
      }),
    );
    assert.deepEqual(strategiesFor(config, 'MSFT'), [{ strategy: 'vwap-deviation', id: 'vwap-deviation', thresholdPct: 0.1 }]);
    assert.deepEqual(strategiesFor(config, 'AAPL').map((e) => [e.id, e.strategy, 'kind' in e ? e.kind : null]), [['fast-cross', 'ma-crossover', 'ema'], ['slow-cross', 'ma-crossover', 'sma']]);
    assert.deepEqual(strategiesFor(config, 'OANDA:EUR_USD'), []);
    assert.deepEqual(parseStrategyConfig('{"symbols":{"AAPL":[]}}').default, DEFAULT_STRATEGY_CONFIG.default, 'no "default": the built-in list');
    assert.deepEqual(strategiesFor(parseStrategyConfig('{}'), 'constructor'), DEFAULT_STRATEGY_CONFIG.default, 'no prototype keys');
  });

  it('names the exact path of each problem', () => {
    assert.equal(problem({ symbols: { AAPL: [{ strategy: 'rsi' }, { strategy: 'ma-crossover', fast: 20, slow: 5 }] } }), 'TICKFLOW_STRATEGIES: symbols.AAPL[1].fast must be < slow');
    assert.equal(problem({ default: [{ strategy: 'rsi', oversold: 80 }] }), 'TICKFLOW_STRATEGIES: default[0].oversold must be < overbought');
    assert.equal(problem({ default: [{ strategy: 'macd' }] }), 'TICKFLOW_STRATEGIES: default[0].strategy must be one of "ma-crossover", "vwap-deviation", "rsi", "volume-spike", got "macd"');
    assert.equal(problem({ default: [{ strategy: 'rsi', interval: '5m' }] }), 'TICKFLOW_STRATEGIES: default[0].interval must be one of "1s", "1m", got "5m"');
    assert.equal(problem({ default: [{ strategy: 'rsi', period: 2.5 }] }), 'TICKFLOW_STRATEGIES: default[0].period must be an integer, got 2.5');
    assert.equal(problem({ default: [{ strategy: 'volume-spike', lookback: 0 }] }), 'TICKFLOW_STRATEGIES: default[0].lookback must be ≥ 1');
    assert.equal(problem({ default: [{ strategy: 'vwap-deviation', thresholdPct: '0.1' }] }), 'TICKFLOW_STRATEGIES: default[0].thresholdPct must be a number, got "0.1"');
    assert.equal(problem({ default: [{ strategy: 'rsi', perod: 14 }] }), 'TICKFLOW_STRATEGIES: default[0] has unknown option "perod"');
    assert.equal(problem({ symbols: { 'OANDA:EUR_USD': [{ strategy: 'rsi', overbought: 100 }] } }), 'TICKFLOW_STRATEGIES: symbols["OANDA:EUR_USD"][0].overbought must be < 100');
    assert.equal(problem({ defaults: [] }), 'TICKFLOW_STRATEGIES: has unknown option "defaults"');
    assert.equal(problem({ default: {} }), 'TICKFLOW_STRATEGIES: default must be an array, got {}');
  });

  it('refuses two instances with one id in a list', () => {
    assert.equal(
      problem({ symbols: { AAPL: [{ strategy: 'ma-crossover' }, { strategy: 'ma-crossover', fast: 2, slow: 4 }] } }, 'TICKFLOW_STRATEGIES (strategies.json)'),
      'TICKFLOW_STRATEGIES (strategies.json): symbols.AAPL[1].id "ma-crossover" is used twice in this list (give one of them another "id")',
    );
  });

  it('reports every problem, one per line, and JSON syntax errors', () => {
    const message = problem({ default: [{ strategy: 'rsi', period: 0 }, { strategy: 'volume-spike', multiple: 1 }] });
    assert.deepEqual(message.split('\n'), ['TICKFLOW_STRATEGIES: default[0].period must be ≥ 1', 'TICKFLOW_STRATEGIES: default[1].multiple must be > 1']);
    assert.match(problem('{"default": ['), /^TICKFLOW_STRATEGIES: not valid JSON: /);
    assert.match(problem('[]'), /^TICKFLOW_STRATEGIES: must be an object, got \[\]$/);
  });
});
