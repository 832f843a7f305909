// Prometheus metrics of one aggregator instance, on its own registry (tests run several
// instances in one process). Names follow Prometheus conventions: _total counters, base units.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { BatchObserver, ChunkApplied } from './partition-batch.js';

export interface AggregatorMetrics extends BatchObserver {
  readonly registry: Registry;
  consumed(records: number): void;
  batchDuration(seconds: number): void;
  lag(topic: string, partition: number, records: number): void;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): AggregatorMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const consumed = new Counter({
    name: 'aggregator_records_consumed_total',
    help: 'Kafka records received from the activity topic (before any check).',
    registers,
  });
  const applied = new Counter({
    name: 'aggregator_events_applied_total',
    help: 'Events whose effects were applied to Redis (first delivery of an event id).',
    registers,
  });
  const duplicates = new Counter({
    name: 'aggregator_duplicates_total',
    help: 'Valid events not applied because their event id was already applied.',
    registers,
  });
  const deadLettered = new Counter({
    name: 'aggregator_dead_lettered_total',
    help: 'Records rejected to the DLQ and counted in Redis, by error code.',
    labelNames: ['code'],
    registers,
  });
  const skipped = new Counter({
    name: 'aggregator_records_skipped_total',
    help: 'Records below the partition offset stored in Redis (already applied), skipped.',
    registers,
  });
  const fences = new Counter({
    name: 'aggregator_fence_conflicts_total',
    help: 'Applies refused because another consumer had moved the partition on (then re-planned).',
    registers,
  });
  const duration = new Histogram({
    name: 'aggregator_batch_duration_seconds',
    help: 'Time to process one partition batch, from receipt to the Kafka commit.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const lag = new Gauge({
    name: 'aggregator_consumer_lag_records',
    help: 'Per partition of the topic: end offset (high watermark) minus the next offset stored in Redis; read every few seconds by every instance, applies or not.',
    labelNames: ['topic', 'partition'],
    registers,
  });
  const newest = new Gauge({
    name: 'aggregator_newest_event_time_seconds',
    help: 'occurredAt of the newest event applied by this instance, Unix seconds.',
    registers,
  });
  let newestMs = -Infinity;

  return {
    registry,
    consumed: (records) => consumed.inc(records),
    batchDuration: (seconds) => duration.observe(seconds),
    lag: (topic, partition, records) => lag.set({ topic, partition: String(partition) }, records),
    applied(_partition: number, chunk: ChunkApplied) {
      applied.inc(chunk.accepted);
      duplicates.inc(chunk.duplicates);
      for (const [code, count] of chunk.rejectedByCode) deadLettered.inc({ code }, count);
      if (chunk.newestEventAt !== undefined && chunk.newestEventAt > newestMs) {
        newestMs = chunk.newestEventAt;
        newest.set(newestMs / 1000);
      }
    },
    fenced: () => fences.inc(),
    skipped: (_partition, records) => skipped.inc(records),
  };
}
