// aggregator_consumer_lag_records from the topic's end offsets (high watermarks) and the offsets
// stored in Redis, read on a timer of its own rather than after applies: a group that applies
// nothing (rebalancing after a crash, a member holding partitions and stuck, Redis refusing
// writes) shows as lag that grows with every record produced. Each source keeps its last reading
// when a read fails (a broker or Redis outage), so the gauge goes on from what is known.
import type { Admin } from 'kafkajs';

export interface LagSources {
  /** Per partition: the end offset (high) and the earliest offset still held (low). */
  endOffsets(): Promise<Map<number, { high: bigint; low: bigint }>>;
  /** The next offset to apply stored in Redis, or null before the partition's first apply. */
  storedOffset(partition: number): Promise<string | null>;
}

export interface LagMonitorOptions {
  sources: LagSources;
  /** Sets one partition's lag in records. */
  report(partition: number, records: number): void;
  /** Called with a failed read, at most once per source per refresh (the previous reading stays). */
  onError(err: unknown): void;
  /** Time between refreshes; a refresh still running when the next is due is not doubled. */
  intervalMs: number;
}

export interface LagMonitor {
  /** One refresh now (the timer's too); resolves when it has reported. */
  refresh(): Promise<void>;
  stop(): void;
}

/** The end offsets of a topic through a connected admin. */
export function adminEndOffsets(admin: Admin, topic: string): LagSources['endOffsets'] {
  return async () => {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, { high: BigInt(o.high), low: BigInt(o.low) }]));
  };
}

/**
 * Lag = high − max(stored, low): records the group has still to apply. Before the first apply
 * nothing is stored, and the group starts from the earliest record held (FROM_BEGINNING).
 */
export function lagOf(end: { high: bigint; low: bigint }, stored: bigint | undefined): number {
  const from = stored === undefined || stored < end.low ? end.low : stored;
  return end.high > from ? Number(end.high - from) : 0;
}

export function startLagMonitor(options: LagMonitorOptions): LagMonitor {
  const { sources } = options;
  let ends = new Map<number, { high: bigint; low: bigint }>();
  const stored = new Map<number, bigint>();
  let running: Promise<void> | undefined;

  async function readAll(): Promise<void> {
    try {
      ends = await sources.endOffsets();
    } catch (err) {
      options.onError(err);
    }
    const readings = await Promise.allSettled(
      [...ends.keys()].map(async (p) => [p, await sources.storedOffset(p)] as const),
    );
    let failed: unknown;
    for (const reading of readings) {
      if (reading.status === 'rejected') failed ??= reading.reason;
      else if (reading.value[1] !== null) stored.set(reading.value[0], BigInt(reading.value[1]));
    }
    if (failed !== undefined) options.onError(failed);
    for (const [partition, end] of ends)
      options.report(partition, lagOf(end, stored.get(partition)));
  }

  function refresh(): Promise<void> {
    running ??= readAll().finally(() => (running = undefined));
    return running;
  }

  const timer = setInterval(() => void refresh(), options.intervalMs);
  timer.unref();
  return { refresh, stop: () => clearInterval(timer) };
}
