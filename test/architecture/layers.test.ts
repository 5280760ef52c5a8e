import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { cycles, importGraph } from './imports.ts';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

/**
 * The floors of the tree, lowest first. A file imports only from its own floor or below: the ground
 * floor (time, logging, errors, topic names, the records) knows nothing of the rest, and the wiring
 * (`cli/`, with the composition root in `cli/compose/`) sits on top of everything it wires.
 */
const FLOORS: readonly (readonly string[])[] = [
  ['clock.ts', 'backoff.ts', 'logger.ts', 'errors.ts', 'constant-time.ts', 'topics.ts', 'time-zone.ts', 'version.ts', 'chart-library.ts', 'model/'],
  ['bus/', 'store/', 'indicators/', 'providers/'],
  ['sources/'],
  ['observability/'],
  ['processors/', 'notify/', 'prices/', 'trading/', 'strategy/', 'backtest/', 'schemas/'],
  ['api/'],
  ['config/'],
  ['cli/'],
];

/** Adapters that only the composition root chooses (the Kafka-only runner needs the Kafka bus it runs on). */
const ADAPTERS: readonly { readonly path: string; readonly allowedFrom: readonly string[] }[] = [
  // The configuration reads the Kafka bus's defaults (written once, there), and chooses nothing.
  { path: 'bus/kafka/options.ts', allowedFrom: ['bus/kafka/', 'cli/compose/', 'cli/commands/topics.ts', 'processors/runner/kafka/', 'config/config.ts'] },
  // The configuration checks the security settings against the shapes the Kafka clients take, and chooses nothing.
  { path: 'bus/kafka/security.ts', allowedFrom: ['bus/kafka/', 'cli/compose/', 'processors/runner/kafka/', 'config/'] },
  { path: 'bus/kafka/', allowedFrom: ['cli/compose/', 'cli/commands/topics.ts', 'processors/runner/kafka/'] },
  { path: 'bus/memory/', allowedFrom: ['cli/compose/'] },
  { path: 'store/pglite-store.ts', allowedFrom: ['store/create-store.ts'] },
  { path: 'store/postgres-store.ts', allowedFrom: ['store/create-store.ts'] },
];

function floorOf(file: string): number {
  const floor = FLOORS.findIndex((paths) => paths.some((path) => file === path || (path.endsWith('/') && file.startsWith(path))));
  assert.notEqual(floor, -1, `src/${file} is on no floor: add its folder to FLOORS in test/architecture/layers.test.ts`);
  return floor;
}

describe('the source tree', () => {
  const graph = importGraph(SRC);

  it('has no import cycle', () => {
    assert.deepEqual(cycles(graph).map((cycle) => cycle.join(' → ')), []);
  });

  it('imports only from its own floor or below', () => {
    const upward: string[] = [];
    for (const [file, targets] of graph) {
      for (const target of targets) if (floorOf(target) > floorOf(file)) upward.push(`${file} → ${target}`);
    }
    assert.deepEqual(upward, []);
  });

  it('leaves the choice of adapters to the composition root', () => {
    const chosen: string[] = [];
    for (const [file, targets] of graph) {
      for (const target of targets) {
        const adapter = ADAPTERS.find((candidate) => target.startsWith(candidate.path));
        if (!adapter || file.startsWith(adapter.path) || adapter.allowedFrom.some((allowed) => file.startsWith(allowed))) continue;
        chosen.push(`${file} → ${target}`);
      }
    }
    assert.deepEqual(chosen, []);
  });
});
