/**
 * Where a producer run's CPU went, from the .cpuprofile files `node bench/kafka-producer.ts
 * --cpu-prof DIR` writes: self time per category (JSON serialization, the client's record encoding,
 * compression, GC, …) and the top functions.
 *
 *   node bench/kafka/profile-summary.ts DIR [--top 15]
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
}
interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

// First match wins; the order puts specific names before the file they live in.
const CATEGORIES: readonly (readonly [string, (frame: CallFrame) => boolean])[] = [
  ['JSON serialization (values)', (f) => f.functionName === 'jsonSerializer' || f.functionName === 'stringify'],
  ['garbage collection', (f) => f.functionName === '(garbage collector)'],
  ['idle (waiting for the broker)', (f) => f.functionName === '(idle)'],
  ['compression', (f) => f.url.startsWith('wasm://') || f.url.includes('/protocol/compression.js') || f.url.includes('@platformatic/wasm-utils') || /^(gzip|zlib|zstd|deflate)/i.test(f.functionName)],
  ['partitioning (murmur2)', (f) => f.url.includes('murmur2') || f.url.includes('partitioners.js') || f.url.endsWith('/src/bus/partitioner.ts')],
  [
    'record batch encoding (client)',
    (f) => /\/protocol\/(records|writer|crc32c)\.js$/.test(f.url) || f.url.includes('@platformatic/dynamic-buffer') || f.url.includes('/apis/producer/produce') || f.url === 'node:buffer' || f.url === 'node:internal/buffer' || f.functionName === 'writeBuffer',
  ],
  ['send bookkeeping (client)', (f) => f.url.includes('@platformatic/kafka/') || f.url.includes('/fastq/') || f.url === 'node:diagnostics_channel'],
  ['tickflow adapter', (f) => f.url.includes('/src/bus/')],
  ['benchmark driver', (f) => f.url.includes('/bench/')],
  ['network', (f) => f.url.startsWith('node:net') || f.url.startsWith('node:internal/stream') || f.url.startsWith('node:stream') || f.functionName === 'writev' || f.functionName === 'writeUtf8String'],
];

const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '15' } } });
const dir = positionals[0];
if (!dir) throw new Error('usage: node bench/kafka/profile-summary.ts DIR [--top 15]');

for (const file of readdirSync(dir).filter((name) => name.endsWith('.cpuprofile')).sort()) {
  const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfTime = new Map<ProfileNode, number>();
  profile.samples.forEach((id, i) => {
    const node = byId.get(id)!;
    selfTime.set(node, (selfTime.get(node) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const total = [...selfTime.values()].reduce((sum, time) => sum + time, 0);
  const categories = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [node, time] of selfTime) {
    const category = CATEGORIES.find(([, matches]) => matches(node.callFrame))?.[0] ?? 'other (start-up, module loading, …)';
    categories.set(category, (categories.get(category) ?? 0) + time);
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^.*\/(src|bench)\//, '$1/')}:${lineNumber + 1}`;
    functions.set(name, (functions.get(name) ?? 0) + time);
  }
  const percent = (time: number) => `${((100 * time) / total).toFixed(1).padStart(5)} %`;
  console.log(`\n${file}: ${(total / 1e6).toFixed(2)} s sampled`);
  for (const [category, time] of [...categories].sort((a, b) => b[1] - a[1])) console.log(`  ${percent(time)}  ${category}`);
  console.log('  top functions (self time):');
  for (const [name, time] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) console.log(`    ${percent(time)}  ${name}`);
}
