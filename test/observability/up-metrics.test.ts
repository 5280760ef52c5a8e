import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { freePort, startCli, type RunningCli } from '../support/cli.ts';
import { waitFor, within } from '../support/wait.ts';
import { assertExposition } from './exposition.ts';

const running: RunningCli[] = [];
after(() => {
  for (const cli of running) cli.child.kill('SIGKILL');
});

const ARCHIVE_CONSUMED = /^tickflow_records_consumed_total\{topic="raw-market-data",processor="archive"\} [1-9]/m;

function count(text: string, metric: string, labels = ''): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${metric}_count${labels ? `{${labels}}` : ''} `));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe('tickflow up /metrics', () => {
  it('serves the per-hop latency histograms of the running pipeline', async () => {
    const port = await freePort();
    const cli = startCli(['up'], { PORT: String(port), TICKFLOW_DATA_DIR: mkdtempSync(join(tmpdir(), 'tickflow-metrics-')), TICKFLOW_SIM_RATE: '400' });
    running.push(cli);
    const url = `http://127.0.0.1:${port}/metrics`;
    let text = '';
    await waitFor(
      async () => {
        const response = await fetch(url).catch(() => null);
        if (response?.status !== 200) return false;
        assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
        text = await response.text();
        // The archive reads in the background (after the aggregator's chain) and counts a batch once written.
        return count(text, 'tickflow_exchange_to_processed_seconds', 'processor="aggregator"') > 50 && ARCHIVE_CONSUMED.test(text);
      },
      'trades timed through the aggregator and archived',
      // `up` serves /metrics ~8 s after it starts on a quiet machine; a full test run's load has made it 20 s.
      60_000,
    );
    assertExposition(text);
    assert.ok(count(text, 'tickflow_exchange_to_receive_seconds') > 50);
    assert.ok(count(text, 'tickflow_receive_to_bus_seconds') > 50);
    assert.ok(count(text, 'tickflow_bus_to_consumer_seconds', 'processor="aggregator"') > 50);
    assert.match(text, /^tickflow_records_published_total\{topic="raw-market-data"\} [1-9]/m);
    assert.match(text, /^tickflow_feed_connected\{source="[^"]+"\} 1$/m);
    assert.match(text, /^tickflow_consumer_lag_records\{processor="storage",topic="raw-market-data"\} \d+$/m);
    assert.match(text, /^tickflow_process_resident_memory_bytes \d+/m);
    cli.child.kill('SIGINT');
    assert.equal(await within(cli.exited, 15_000, 'shutdown after SIGINT'), 0);
  });
});
