import { join } from 'node:path';
import type { Logger } from '../../logger.ts';
import type { Trade } from '../../model/trade.ts';
import { archivedValues } from '../../processors/archive/archived-values.ts';
import { IngestJournal } from '../../sources/ingest/ingest-journal.ts';
import { JournalSink } from '../../sources/ingest/journal-sink.ts';
import type { Pipeline } from './pipeline.ts';

/**
 * The ingest journal of embedded `up`: received records are on disk before they are on the in-memory
 * bus, and what a crash left in the journal is published again before the feed starts.
 */
export class EmbeddedJournal {
  /** Records of the journal the archive already holds (it skips them when they come again). */
  readonly alreadyArchived: Set<string>;
  readonly #journal: IngestJournal;
  readonly #logger: Logger;
  #sink: JournalSink | null = null;

  private constructor(journal: IngestJournal, alreadyArchived: Set<string>, logger: Logger) {
    this.#journal = journal;
    this.alreadyArchived = alreadyArchived;
    this.#logger = logger;
  }

  static async open(dataDir: string, archive: { readonly dir: string; readonly rawTopic: string }, logger: Logger): Promise<EmbeddedJournal> {
    const journal = await IngestJournal.open(join(dataDir, 'journal'));
    const held = await archivedValues(archive.dir, archive.rawTopic, journal.recovered.records as readonly Trade[]);
    return new EmbeddedJournal(journal, held, logger.child({ component: 'journal' }));
  }

  /** The sink the feed publishes into, in front of the pipeline's. */
  sinkFor(pipeline: Pipeline): JournalSink {
    this.#sink ??= new JournalSink({ journal: this.#journal, sink: pipeline.sink, offsets: () => pipeline.offsets(pipeline.topics.raw) });
    return this.#sink;
  }

  /** Publishes what an earlier run left in the journal; before the feed starts. */
  async replay(): Promise<void> {
    const { recovered } = this.#journal;
    const count = await this.#sink!.replay();
    if (recovered.tornRecords > 0) this.#logger.warn({ segments: recovered.tornRecords }, 'journal: cut off a record a crash left half-written');
    if (count > 0) this.#logger.info({ records: count, alreadyArchived: this.alreadyArchived.size }, 'journal: published again what the last run received but did not store');
  }

  /** Everything received is on the bus (the feed has stopped). */
  flush(): Promise<void> {
    return this.#sink?.flush() ?? Promise.resolve();
  }

  /** After the processors stopped: deletes what they committed and closes the journal. */
  close(): Promise<void> {
    return this.#sink ? this.#sink.close() : this.#journal.close();
  }
}
