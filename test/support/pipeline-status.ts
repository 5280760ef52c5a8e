import type { PipelineStatus } from '../../src/observability/pipeline-status.ts';

/** The status of a pipeline with a connected feed and nothing flowing yet, for apps under test. */
export const idleStatus = async (): Promise<PipelineStatus> => ({
  startedAt: 0,
  bus: 'memory',
  source: { name: 'simulator', connected: true, reconnects: 0, rejects: 0, records: 0, lastMessageAt: null, fatalError: null },
  trades: 0,
  quotes: 0,
  gaps: 0,
  deadLetters: 0,
  symbols: [],
  consumers: [],
});
