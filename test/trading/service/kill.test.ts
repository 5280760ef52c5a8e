import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { BusRecord } from '../../../src/bus/bus.ts';
import type { TradeUpdate } from '../../../src/model/trade-update.ts';
import { openPostgresStore } from '../../../src/store/postgres-store.ts';
import type { SqlStore } from '../../../src/store/sql-store.ts';
import { KAFKA_BROKERS, kafkaFixture, type KafkaFixture } from '../../support/kafka.ts';
import { waitFor, within } from '../../support/wait.ts';
import { TEST_DATABASE_URL, uniqueSchema } from '../../store/postgres-support.ts';
import { ACCOUNT_ID, openScenarioService, placeOrders, recordedTrades, type KillScenario } from './kill-scenario.ts';

// Against a real broker (KAFKA_BROKERS, default 127.0.0.1:9092) and PostgreSQL (DATABASE_URL, default 127.0.0.1:5432).
const CHILD = fileURLToPath(new URL('./kill-child.ts', import.meta.url));
const PRINTS = 1_500;

function startChild(scenario: KillScenario, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [CHILD], {
    env: { PATH: process.env.PATH ?? '', LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', KAFKA_BROKERS: KAFKA_BROKERS.join(','), SCENARIO: JSON.stringify(scenario), MAX_BATCH: '50', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = once(child, 'exit').then(([code, signal]) => (code ?? signal) as number | string);
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** `waitFor`, failing with what the child wrote. */
async function waitForChild(started: ReturnType<typeof startChild>, condition: () => boolean | Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  try {
    await waitFor(condition, what, timeoutMs);
  } catch (error) {
    throw new Error(`${(error as Error).message}\nchild stdout:\n${started.stdout().slice(-2_000)}\nchild stderr:\n${started.stderr().slice(-4_000)}`, { cause: error });
  }
}

/** What the store of one run holds: accounts, every update in order, every order, equity. */
async function contents(sql: SqlStore): Promise<Record<string, unknown>> {
  const query = async (text: string) => (await sql.driver.query<Record<string, unknown>>(text)).rows;
  return {
    accounts: await query('SELECT account_id, snapshot FROM trading_accounts ORDER BY account_id'),
    updates: (await query('SELECT body FROM trading_updates ORDER BY account_id, seq')).map((row) => row.body),
    orders: await query('SELECT order_id, status, snapshot FROM trading_orders ORDER BY order_id'),
    equity: (await query('SELECT account_id, ts, equity, pl FROM trading_equity ORDER BY account_id, ts')).map((row) => ({ ...row, ts: Number(row.ts) })),
  };
}

describe('trading service killed -9 mid-stream (Kafka + PostgreSQL)', () => {
  let fixture: KafkaFixture;
  let crashed: Awaited<ReturnType<typeof uniqueSchema>>;
  let reference: Awaited<ReturnType<typeof uniqueSchema>>;
  before(async () => {
    fixture = await kafkaFixture();
    crashed = await uniqueSchema('tickflow_trading_kill');
    reference = await uniqueSchema('tickflow_trading_reference');
  });
  after(async () => {
    await fixture?.close();
    await crashed?.drop();
    await reference?.drop();
  });

  it('after two kills and restarts, accounts, orders, fills and equity equal an uninterrupted run', async () => {
    const scenario: KillScenario = {
      raw: fixture.uniqueName('raw'),
      orders: fixture.uniqueName('orders'),
      executions: fixture.uniqueName('executions'),
      group: fixture.uniqueName('trading'),
      schema: crashed.name,
    };
    // One partition: the tape's order across symbols is part of the input (buying power is account-wide).
    await fixture.bus.ensureTopics([{ name: scenario.raw, partitions: 1 }, { name: scenario.orders, partitions: 2 }, { name: scenario.executions, partitions: 2 }]);
    const producer = fixture.bus.producer();
    const setup = await openScenarioService(crashed.name, producer, scenario);
    await placeOrders(setup.service);
    await setup.service.close();
    await setup.sql.close();
    const trades = recordedTrades(PRINTS);
    for (let at = 0; at < trades.length; at += 500) await producer.send(scenario.raw, trades.slice(at, at + 500).map((trade) => ({ key: trade.symbol, value: trade, timestamp: trade.tsEvent })));

    // 1: killed after its 3rd batch is stored but before the bus commits it.
    const first = startChild(scenario, { HANG_AT: '3' });
    try {
      await waitForChild(first, () => first.stdout().includes('hang 3\n'), 'the 3rd batch to be stored', 90_000);
    } finally {
      first.child.kill('SIGKILL');
    }
    assert.equal(await within(first.exited, 5_000, 'killed child exit'), 'SIGKILL');

    // 2: killed wherever it is once it has stored a few more batches.
    const second = startChild(scenario);
    try {
      await waitForChild(second, () => /applied 4 /.test(second.stdout()), 'the restarted child to store batches', 90_000);
    } finally {
      second.child.kill('SIGKILL');
    }
    assert.equal(await within(second.exited, 5_000, 'killed child exit'), 'SIGKILL');
    assert.match(second.stdout(), /applied 1 skipped [1-9]/, 'the stored but uncommitted batch came again and was recognized');

    // 3: runs to the end of the tape.
    const store = await openPostgresStore({ url: TEST_DATABASE_URL, schema: crashed.name });
    const third = startChild(scenario);
    try {
      await waitForChild(
        third,
        async () => Number((await store.driver.query<{ next_offset: unknown }>('SELECT next_offset FROM trading_offsets')).rows[0]?.next_offset ?? 0) === PRINTS,
        'the whole tape to be applied',
        90_000,
      );
    } finally {
      third.child.kill('SIGTERM');
    }
    assert.equal(await within(third.exited, 20_000, 'stopped child exit'), 0, third.stderr());
    const actual = await contents(store);
    await store.close();

    // The uninterrupted run: the same orders, then the whole tape in other batches, in this process.
    const uninterrupted = await openScenarioService(reference.name, { send: async () => {}, close: async () => {} }, scenario);
    await placeOrders(uninterrupted.service);
    const records: BusRecord[] = trades.map((trade, offset) => ({ topic: scenario.raw, partition: 0, offset, key: trade.symbol, value: trade, timestamp: trade.tsEvent }));
    for (let at = 0; at < records.length; at += 137) await uninterrupted.service.applyPrints(records.slice(at, at + 137));
    await uninterrupted.service.close();
    const expected = await contents(uninterrupted.sql);
    await uninterrupted.sql.close();

    const fills = (expected.updates as TradeUpdate[]).filter((update) => update.fill !== null);
    assert.ok(fills.length >= 100, `the tape fills orders all along (${fills.length} fills)`);
    assert.ok((expected.orders as { status: string }[]).some((order) => order.status === 'new' || order.status === 'accepted' || order.status === 'partially_filled'), 'some orders stay open');
    assert.deepEqual(actual.accounts, expected.accounts);
    assert.deepEqual(actual.updates, expected.updates);
    assert.deepEqual(actual.orders, expected.orders);
    assert.deepEqual(actual.equity, expected.equity);

    // The executions topic: every update at least once, in order per account; copies only of a publish cut short.
    const reader = fixture.bus.committedReader();
    const published = (await reader.readToEnd(scenario.executions, [0, 1], { timeoutMs: 20_000 })).map((record) => record.value as TradeUpdate);
    await reader.close();
    const seen = new Map<number, TradeUpdate>();
    let last = 0;
    for (const update of published.filter((update) => update.account_id === ACCOUNT_ID)) {
      assert.ok(update.seq <= last + 1, `no gap: ${update.seq} after ${last}`);
      last = Math.max(last, update.seq);
      seen.set(update.seq, update);
    }
    assert.deepEqual([...seen.values()], expected.updates);
    await producer.close();
  });
});
