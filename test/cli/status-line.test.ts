import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { PipelineStatus } from '../../src/observability/pipeline-status.ts';
import { StatusLine } from '../../src/cli/status-line.ts';

function status(trades: number): PipelineStatus {
  return {
    startedAt: 0,
    bus: 'memory',
    source: { name: 'simulator', connected: true, reconnects: 2, rejects: 1, records: trades, lastMessageAt: 0, fatalError: null },
    trades,
    quotes: 0,
    gaps: 0,
    deadLetters: 1,
    symbols: [{ symbol: 'AAPL', price: 1, tsEvent: 0, tsRecv: 0 }],
    consumers: [
      { name: 'aggregator', groupId: 'a', running: true, processed: 0, lag: 3, failures: 0, lastError: null, stats: { rejected: 2 } },
      { name: 'archive', groupId: 'b', running: true, processed: 0, lag: 40, failures: 0, lastError: null, stats: {} },
    ],
  };
}

it('shows the trade rate between two snapshots, lag per consumer, reconnects and rejects', () => {
  const line = new StatusLine();
  line.render(status(100), 10_000);
  assert.equal(
    line.render(status(600), 12_000),
    '250 trades/s · 600 trades · 1 symbol · simulator connected · lag aggregator 3 archive 40 · reconnects 2 · rejects 3',
  );
});

it('counts records read in a process that runs processors only', () => {
  const line = new StatusLine();
  const processorsOnly = (processed: number): PipelineStatus => ({
    ...status(0),
    source: null,
    consumers: [{ name: 'archive', groupId: 'b', running: true, processed, lag: 0, failures: 0, lastError: null, stats: {} }],
  });
  line.render(processorsOnly(0), 0);
  assert.equal(line.render(processorsOnly(300), 1_000), '300 records/s · 300 records · lag archive 0 · rejects 1');
});

it('says 1 trade and 1 symbol in the singular', () => {
  const line = new StatusLine();
  assert.match(line.render(status(1), 0), /^0 trades\/s · 1 trade · 1 symbol · /);
});

it('gives the first line the rate since the pipeline started, not 0', () => {
  const line = new StatusLine();
  assert.match(line.render({ ...status(513), startedAt: 5_000 }, 15_000), /^51 trades\/s · 513 trades · /);
});
