/**
 * One PGlite run in its own process (PGlite's memory is the process's: peak RSS is only meaningful
 * alone), printing one JSON line:
 *   node bench/storage/pglite-child.ts <store|copy-plain|copy-indexed> <rows> <batch> <symbols> <dir>
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { openPgliteStore } from '../../src/store/pglite-store.ts';
import { BASELINE_TABLES, copyBatchesPglite } from './baseline.ts';
import { timeReads, type ReadTimings } from './reads.ts';
import { batches, syntheticTrades } from './trades.ts';

export type PgliteScenario = 'store' | 'copy-plain' | 'copy-indexed';

export interface PgliteResult {
  readonly scenario: PgliteScenario;
  readonly rows: number;
  readonly seconds: number;
  readonly peakRssMb: number;
  readonly reads?: ReadTimings;
}

const [scenario, rowsArg, batchArg, symbolsArg, dir] = process.argv.slice(2) as [PgliteScenario, string, string, string, string];
const trades = batches(syntheticTrades(Number(rowsArg), Number(symbolsArg)), Number(batchArg));
const rows = Number(rowsArg);
let seconds: number;
let reads: ReadTimings | undefined;

if (scenario === 'store') {
  const store = await openPgliteStore({ dir: join(dir, 'store') });
  const start = performance.now();
  for (const batch of trades) await store.write({ trades: batch });
  seconds = (performance.now() - start) / 1_000;
  reads = await timeReads(store);
  await store.close();
} else {
  const baseline = scenario === 'copy-plain' ? 'plain' : 'indexed';
  const db = await PGlite.create(join(dir, 'copy'));
  await db.exec(BASELINE_TABLES[baseline]);
  const start = performance.now();
  await copyBatchesPglite(db, `${baseline}_trades`, trades);
  seconds = (performance.now() - start) / 1_000;
  await db.close();
}

const peakRssMb = Math.round(Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1024);
const result: PgliteResult = { scenario, rows, seconds, peakRssMb, ...(reads ? { reads } : {}) };
console.log(JSON.stringify(result));
