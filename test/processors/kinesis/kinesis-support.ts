import { CreateStreamCommand, DescribeStreamCommand, GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { waitFor } from '../../support/wait.ts';

/** Any static credentials do for kinesalite (and for the fake server). */
export const TEST_CREDENTIALS = { accessKeyId: 'test-access-key', secretAccessKey: 'test-secret-key' } as const;

type Kinesalite = (options: { createStreamMs?: number; deleteStreamMs?: number; updateStreamMs?: number; shardLimit?: number }) => Server;

/** kinesalite (in memory) on a free port of 127.0.0.1, over real HTTP/1.1. */
export async function startKinesalite(): Promise<{ endpoint: string; client: KinesisClient; close: () => Promise<void> }> {
  const kinesalite = createRequire(import.meta.url)('kinesalite') as Kinesalite;
  const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 50 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new KinesisClient({ region: 'us-east-1', endpoint, credentials: TEST_CREDENTIALS, requestHandler: new NodeHttpHandler() });
  return {
    endpoint,
    client,
    close: async () => {
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function createStream(client: KinesisClient, name: string, shards: number): Promise<void> {
  await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
  await waitFor(async () => (await client.send(new DescribeStreamCommand({ StreamName: name }))).StreamDescription?.StreamStatus === 'ACTIVE', `stream ${name} active`);
}

export interface ReadRecord {
  readonly shardId: string;
  readonly partitionKey: string;
  readonly sequenceNumber: string;
  readonly data: Record<string, unknown>;
}

/** Every record of every shard, from the start, in shard order. */
export async function readAll(client: KinesisClient, name: string): Promise<ReadRecord[]> {
  const shards = (await client.send(new ListShardsCommand({ StreamName: name }))).Shards ?? [];
  const all: ReadRecord[] = [];
  for (const shard of shards) {
    let iterator = (await client.send(new GetShardIteratorCommand({ StreamName: name, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
    while (iterator) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }));
      const records = page.Records ?? [];
      for (const record of records) {
        all.push({
          shardId: shard.ShardId!,
          partitionKey: record.PartitionKey!,
          sequenceNumber: record.SequenceNumber!,
          data: JSON.parse(Buffer.from(record.Data!).toString('utf8')) as Record<string, unknown>,
        });
      }
      if (records.length === 0) break;
      iterator = page.NextShardIterator;
    }
  }
  return all;
}
