/**
 * Kafka's Java client partitioner for keyed records: murmur2 of the key's UTF-8 bytes with the
 * Java client's seed, made positive with `& 0x7fffffff`, modulo the partition count. Using it in
 * every bus means a symbol lands in the same partition whichever client produced it.
 */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  const m = 0x5bd1e995;
  const r = 24;
  let h = (0x9747b28c ^ length) | 0;
  const length4 = length & ~3;
  for (let i = 0; i < length4; i += 4) {
    let k = (data[i]! & 0xff) | ((data[i + 1]! & 0xff) << 8) | ((data[i + 2]! & 0xff) << 16) | ((data[i + 3]! & 0xff) << 24);
    k = Math.imul(k, m);
    k ^= k >>> r;
    k = Math.imul(k, m);
    h = Math.imul(h, m);
    h ^= k;
  }
  const rest = length & 3;
  if (rest === 3) h ^= (data[length4 + 2]! & 0xff) << 16;
  if (rest >= 2) h ^= (data[length4 + 1]! & 0xff) << 8;
  if (rest >= 1) {
    h ^= data[length4]! & 0xff;
    h = Math.imul(h, m);
  }
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}

export interface PartitionKey {
  readonly bytes: Buffer;
  /** murmur2 & 0x7fffffff, as the Java client (and @platformatic/kafka's `compatibilityPartitioner`); taken modulo the partition count. */
  readonly hash: number;
}

/** Past this many distinct keys the cache starts over: it stays bounded whatever the keys. */
const KEY_CACHE_LIMIT = 10_000;
const keys = new Map<string, PartitionKey>();

/**
 * A key's UTF-8 bytes and hash. Keys are symbols: a few hundred strings sent millions of times, so
 * each is encoded and hashed once, not per record (the Kafka client's own murmur2 works on BigInts
 * and was ~8% of a send's CPU: bench/README.md, "Kafka producer throughput").
 */
export function partitionKey(key: string): PartitionKey {
  let entry = keys.get(key);
  if (entry === undefined) {
    if (keys.size >= KEY_CACHE_LIMIT) keys.clear();
    const bytes = Buffer.from(key, 'utf8');
    entry = { bytes, hash: murmur2(bytes) & 0x7fffffff };
    keys.set(key, entry);
  }
  return entry;
}

export function partitionForKey(key: string, partitions: number): number {
  return partitionKey(key).hash % partitions;
}
