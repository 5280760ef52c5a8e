import { KinesisClient, PutRecordsCommand, type PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { BusRecord } from '../../bus/bus.ts';
import { ERROR_CODES, TickflowError } from '../../errors.ts';
import { BatchingWriter } from '../runner/batching-writer.ts';
import type { Processor } from '../runner/processor.ts';
import { silentLogger, type Logger } from '../../logger.ts';
import { KINESIS_LIMITS, resolveKinesisSinkOptions, type KinesisConfig, type KinesisSinkOptions, type ResolvedKinesisSinkOptions } from './kinesis-options.ts';

/**
 * A PutRecords request that did not get every record accepted: `canRetry` after the retry budget
 * ran out on throttling or failures worth retrying, not after an error retrying cannot help.
 */
export class KinesisSinkError extends TickflowError {
  constructor(message: string, options: { canRetry: boolean; cause?: unknown }) {
    super(ERROR_CODES.KINESIS_PUT_FAILED, message, options);
    this.name = 'KinesisSinkError';
  }
}

/** Errors of a whole PutRecords call worth retrying: throttling, server-side and network failures. */
const RETRYABLE_ERRORS = new Set([
  'ProvisionedThroughputExceededException',
  'LimitExceededException',
  'ThrottlingException',
  'Throttling',
  'RequestLimitExceeded',
  'InternalFailure',
  'InternalFailureException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'KMSThrottlingException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
]);

function isRetryable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { name, $metadata, $retryable, code } = error as { name?: string; $metadata?: { httpStatusCode?: number }; $retryable?: unknown; code?: string };
  if ($retryable) return true;
  if (name && RETRYABLE_ERRORS.has(name)) return true;
  const status = $metadata?.httpStatusCode;
  if (status === undefined) return typeof code === 'string' || name === 'Error' || name === 'AbortError'; // socket errors: ECONNRESET, ECONNREFUSED, …
  return status === 429 || status >= 500;
}

interface Entry {
  readonly record: BusRecord;
  readonly request: PutRecordsRequestEntry;
  readonly bytes: number;
}

/**
 * Publishes bus records to an Amazon Kinesis Data Stream with PutRecords.
 *
 * Each record becomes one Kinesis record: partition key = the bus record's key (the symbol), data =
 * the record's value as UTF-8 JSON with `ingestedAt` (Unix ms, when the sink first sent it) added —
 * `{...value, ingestedAt}` for an object value, `{"value": value, "ingestedAt"}` otherwise.
 * Requests hold ≤ 500 records and ≤ 5 MiB. Entries a partial response reports failed
 * (`ProvisionedThroughputExceededException`, `InternalFailure`, …) are sent again, alone and in
 * their original order, with exponential backoff and jitter; a throttled or failed call the
 * same way. Records are reported durable only once Kinesis accepted every one of them; when the
 * retry budget runs out the batch fails and the runner reads it again from the last commit
 * (at-least-once: Kinesis may then hold duplicates, identifiable by the value's `source`+`seq`).
 * A record larger than 1 MiB (or with a key Kinesis refuses) can never be sent: it is counted as
 * `rejected`, logged at error level with its topic, partition, offset and key, and committed.
 */
export class KinesisSink implements Processor {
  readonly name = 'kinesis';
  readonly topics: readonly string[];
  readonly #options: ResolvedKinesisSinkOptions;
  readonly #client: KinesisClient;
  readonly #writer: BatchingWriter;
  readonly #logger: Logger;
  #closed = false;
  #sent = 0;
  #rejected = 0;
  #requests = 0;
  #retriedEntries = 0;
  #throttledCalls = 0;

  constructor(options: KinesisSinkOptions) {
    this.#options = resolveKinesisSinkOptions(options);
    this.topics = this.#options.topics;
    this.#logger = (this.#options.logger ?? silentLogger()).child({ processor: 'kinesis', stream: this.#options.streamName });
    const { region, endpoint, credentials } = this.#options;
    this.#client = new KinesisClient({
      region,
      ...(endpoint ? { endpoint } : {}),
      ...(credentials ? { credentials } : {}),
      // HTTP/1.1 keeps-alive sockets: works everywhere, kinesalite included (it has no HTTP/2).
      requestHandler: new NodeHttpHandler({ connectionTimeout: 5_000, requestTimeout: 30_000 }),
      // The sink retries itself (failed entries as well as failed calls), within one budget.
      maxAttempts: 1,
    });
    this.#writer = new BatchingWriter({ batchSize: this.#options.batchSize, flushMs: this.#options.flushMs, write: (records) => this.#publish(records) });
  }

  process(batch: readonly BusRecord[]): Promise<readonly BusRecord[]> {
    return this.#writer.add(batch);
  }

  tick(): Promise<readonly BusRecord[]> {
    return this.#writer.tick();
  }

  /** Sends everything pending (retrying as usual) and then closes the client. */
  async close(): Promise<readonly BusRecord[]> {
    if (this.#closed) return [];
    try {
      return await this.#writer.close();
    } finally {
      this.#closed = true;
      this.#client.destroy();
    }
  }

  stats(): Readonly<Record<string, number>> {
    return {
      sent: this.#sent,
      rejected: this.#rejected,
      requests: this.#requests,
      retriedEntries: this.#retriedEntries,
      throttledCalls: this.#throttledCalls,
      pending: this.#writer.pending,
    };
  }

  async #publish(records: BusRecord[]): Promise<readonly BusRecord[]> {
    const ingestedAt = Date.now();
    const entries: Entry[] = [];
    for (const record of records) {
      const entry = this.#entry(record, ingestedAt);
      if (entry) entries.push(entry);
    }
    // One request at a time, in order: a key's records are never sent before its earlier ones were accepted.
    for (const request of chunk(entries)) await this.#putAll(request);
    this.#sent += entries.length;
    return records;
  }

  #entry(record: BusRecord, ingestedAt: number): Entry | null {
    const { value, key } = record;
    const body = typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value, ingestedAt } : { value, ingestedAt };
    const data = Buffer.from(JSON.stringify(body), 'utf8');
    const bytes = data.length + Buffer.byteLength(key, 'utf8');
    const keyLength = [...key].length;
    let problem: string | null = null;
    if (keyLength === 0 || keyLength > KINESIS_LIMITS.partitionKeyMaxLength) problem = `partition key must be 1–${KINESIS_LIMITS.partitionKeyMaxLength} characters, is ${keyLength}`;
    else if (bytes > KINESIS_LIMITS.bytesPerRecord) problem = `record is ${bytes} bytes (data + partition key), Kinesis accepts at most ${KINESIS_LIMITS.bytesPerRecord}`;
    if (problem) {
      this.#rejected++;
      this.#logger.error(
        { topic: record.topic, partition: record.partition, offset: record.offset, key: key.slice(0, 300), bytes },
        `kinesis sink rejected a record it can never send (${problem}); it is skipped and committed`,
      );
      return null;
    }
    return { record, request: { Data: data, PartitionKey: key }, bytes };
  }

  /** Sends one request's entries until Kinesis accepted all of them, or throws once the budget is spent. */
  async #putAll(entries: Entry[]): Promise<void> {
    let pending = entries;
    let lastProblem = '';
    for (let attempt = 0; ; attempt++) {
      if (attempt > 0) {
        if (attempt > this.#options.maxRetries) {
          throw new KinesisSinkError(`PutRecords to ${this.#options.streamName} failed after ${this.#options.maxRetries} retries: ${lastProblem}; ${pending.length} of ${entries.length} records not accepted`, { canRetry: true });
        }
        await sleep(this.#backoff(attempt));
      }
      this.#requests++;
      let response;
      try {
        response = await this.#client.send(new PutRecordsCommand({ StreamName: this.#options.streamName, Records: pending.map((entry) => entry.request) }));
      } catch (error) {
        if (!isRetryable(error)) throw new KinesisSinkError(`PutRecords to ${this.#options.streamName} failed: ${describeError(error)}`, { canRetry: false, cause: error });
        this.#throttledCalls++;
        lastProblem = describeError(error);
        this.#logger.warn({ attempt, records: pending.length, error: lastProblem }, 'kinesis PutRecords call failed; retrying with backoff');
        continue;
      }
      const results = response.Records ?? [];
      if (!response.FailedRecordCount && results.length === pending.length) return;
      if (results.length !== pending.length) {
        lastProblem = `response has ${results.length} results for ${pending.length} records`;
        continue;
      }
      // The failed entries, in their original order, are the next request.
      const failed: Entry[] = [];
      const codes = new Map<string, number>();
      results.forEach((result, index) => {
        if (!result.ErrorCode) return;
        failed.push(pending[index]!);
        codes.set(result.ErrorCode, (codes.get(result.ErrorCode) ?? 0) + 1);
      });
      if (failed.length === 0) return;
      this.#retriedEntries += failed.length;
      lastProblem = [...codes].map(([code, count]) => `${count}× ${code}`).join(', ');
      this.#logger.warn({ attempt, failed: failed.length, of: pending.length, errors: Object.fromEntries(codes) }, 'kinesis accepted part of a PutRecords request; retrying the failed records');
      pending = failed;
    }
  }

  #backoff(attempt: number): number {
    const { retryBaseMs, retryMaxMs } = this.#options;
    const ceiling = Math.min(retryMaxMs, retryBaseMs * 2 ** Math.min(attempt - 1, 20));
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2); // "equal jitter": never 0, spreads retries
  }
}

/** Splits entries into PutRecords requests of ≤ 500 records and ≤ 5 MiB, keeping their order. */
function chunk(entries: readonly Entry[]): Entry[][] {
  const requests: Entry[][] = [];
  let current: Entry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    if (current.length === KINESIS_LIMITS.recordsPerRequest || bytes + entry.bytes > KINESIS_LIMITS.bytesPerRequest) {
      requests.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += entry.bytes;
  }
  if (current.length > 0) requests.push(current);
  return requests;
}

function describeError(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Builds the sink from `kinesisConfigFromEnv`'s result plus what the pipeline decides (topics, logger, tuning). */
export function createKinesisSink(config: KinesisConfig, extra: Omit<KinesisSinkOptions, keyof KinesisConfig> = {}): KinesisSink {
  return new KinesisSink({ ...extra, ...config });
}
