// "Has the aggregator applied everything on the topic?": the offsets the figure store keeps in
// Redis per partition against the topic's end offsets, for tests and benchmarks alike (no
// vitest here; also exported from @pulse/testkit/infra).
//
// The store's key is passed in (`${partitionKey(prefix, topic, p)}:offset` from @pulse/store):
// the testkit cannot depend on the store, whose tests depend on the testkit.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from '@pulse/redis';
import type { Kafka } from 'kafkajs';

/** The Redis key holding a partition's stored offset (the next offset to apply). */
export type OffsetKey = (partition: number) => string;

/** The topic's end offsets (high watermarks) by partition. */
export async function topicEndOffsets(kafka: Kafka, topic: string): Promise<Map<number, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
  } finally {
    await admin.disconnect();
  }
}

/** The stored offset of each partition (0 where none is stored yet), in one MGET. */
export async function storedOffsets(
  redis: Redis,
  partitions: readonly number[],
  offsetKey: OffsetKey,
): Promise<Map<number, bigint>> {
  if (partitions.length === 0) return new Map();
  const values = await redis.mget(...partitions.map(offsetKey));
  return new Map(partitions.map((p, i) => [p, BigInt(values[i] ?? 0)]));
}

export interface WaitForStoredOffsetsOptions {
  /** A kafkajs client to read the end offsets with (an admin is connected and closed here). */
  kafka: Kafka;
  topic: string;
  /** A connected client of the Redis the store writes to. */
  redis: Redis;
  offsetKey: OffsetKey;
  /**
   * Rejects once this long passes with no partition's stored offset advancing, naming the
   * partitions behind; 240 s by default. A hang guard, not a measure: a slow run on a loaded
   * machine that keeps applying is waited for.
   */
  timeoutMs?: number;
  /** Time between two reads of the stored offsets; 100 ms by default. */
  pollMs?: number;
}

/**
 * Resolves once Redis holds every partition's offset at (or past) the topic's end offset, read
 * when the wait starts (call it after producing). Resolves with those end offsets; rejects when
 * the stored offsets stop advancing for timeoutMs short of them.
 */
export async function waitForStoredOffsets({
  kafka,
  topic,
  redis,
  offsetKey,
  timeoutMs = 240_000,
  pollMs = 100,
}: WaitForStoredOffsetsOptions): Promise<Map<number, bigint>> {
  const ends = await topicEndOffsets(kafka, topic);
  const partitions = [...ends.keys()];
  let deadline = Date.now() + timeoutMs;
  let last: Map<number, bigint> | undefined;
  for (;;) {
    const stored = await storedOffsets(redis, partitions, offsetKey);
    const behind = [...ends].filter(([p, end]) => stored.get(p)! < end);
    if (behind.length === 0) return ends;
    if (last && partitions.some((p) => stored.get(p)! > last!.get(p)!))
      deadline = Date.now() + timeoutMs;
    last = stored;
    if (Date.now() > deadline) {
      const detail = behind.map(([p, end]) => `${p}: ${stored.get(p)} of ${end}`).join(', ');
      throw new Error(
        `stored offsets of ${topic} stopped short of its end offsets, no progress in ${timeoutMs} ms (${detail})`,
      );
    }
    await sleep(pollMs);
  }
}
