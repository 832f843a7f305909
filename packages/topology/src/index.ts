// The pipeline's shape, defined once: what the simulator produces to, what the aggregator reads
// and writes, what the feeds API merges, what the demo, compose file, benchmarks and tests create.
// Depends only on @pulse/errors (which depends on nothing): every workspace may import it. docker-compose.yml repeats some values where
// its format forces it (kafka-init's command line); packages/testkit/test/compose.test.ts checks
// that they agree with this file.

import { PulseError } from '@pulse/errors';

/** Activity events from every trust, Avro single-object encoded; key = provider ODS code. */
export const ACTIVITY_TOPIC = 'nhs.activity.v1';

/** Rejected records: the original key and bytes, the reason in headers (DLQ_HEADERS). */
export const DLQ_TOPIC = 'nhs.activity.dlq.v1';

/**
 * Partitions of the activity topic, fixed for the topic's life: Kafka puts a key on partition
 * hash(key) mod N, so a change would move trusts between partitions and break per-partition
 * de-duplication (docs/aggregation.md). Aggregator replicas scale up to this many; the feeds API
 * merges partitions 0..N-1. A new count means a new topic version.
 */
export const ACTIVITY_PARTITIONS = 12;

/** Rejects are rare and read by people and tools, not by scaled consumers. */
export const DLQ_PARTITIONS = 1;

const DAY_MS = 86_400_000;

/**
 * How far back a rebuild from the log must reproduce every figure: the longest any figure is
 * kept, five years of daily counters plus a leap day (the store's longest retention), which also
 * covers the live state windows (an RTT wait of 260 weeks, a spell of 1,096 days).
 */
export const REBUILD_HORIZON_MS = 5 * 365 * DAY_MS + DAY_MS;

/** The grace period the activity topic's retention allows for (the aggregator's default). */
export const RETENTION_GRACE_MS = 14 * DAY_MS;

/**
 * The activity topic's `retention.ms`: the rebuild horizon plus the grace period, so every record
 * a retained figure depends on (its bucket's events, received up to the grace period after it;
 * the start of an open pathway or spell) is still in the log when the figures are rebuilt.
 */
export const ACTIVITY_RETENTION_MS = REBUILD_HORIZON_MS + RETENTION_GRACE_MS;

/**
 * Topic configs of the activity topic. `LogAppendTime`: each record's timestamp is the broker's
 * time of receipt, which no producer can set, and the aggregator judges lateness against it
 * (docs/aggregation.md), so a record's verdict never depends on when it is processed.
 */
export const ACTIVITY_TOPIC_CONFIG: Readonly<Record<string, string>> = {
  'message.timestamp.type': 'LogAppendTime',
  'retention.ms': String(ACTIVITY_RETENTION_MS),
};

/** A topic, its partition count and its topic configs, as the project creates it. */
export interface TopicSpec {
  readonly topic: string;
  readonly numPartitions: number;
  /** Topic configs (kafkajs's `configEntries` form). */
  readonly configEntries?: { name: string; value: string }[];
}

/** The project's topics with their shape, as `npm run infra:up`, the demo and compose create them. */
export const PULSE_TOPICS: readonly TopicSpec[] = [
  {
    topic: ACTIVITY_TOPIC,
    numPartitions: ACTIVITY_PARTITIONS,
    configEntries: Object.entries(ACTIVITY_TOPIC_CONFIG).map(([name, value]) => ({ name, value })),
  },
  { topic: DLQ_TOPIC, numPartitions: DLQ_PARTITIONS },
];

/** The prefix of every Redis key unless KEY_PREFIX says otherwise. */
export const DEFAULT_KEY_PREFIX = 'pulse';

/**
 * What a key prefix may be: 1-100 characters without spaces (keys are logged and typed) or braces
 * (the partition's `{<topic>:<partition>}` hash tag follows it).
 */
export const KEY_PREFIX_RULE = /^[^\s{}]{1,100}$/;

/**
 * The key space of one partition, `<prefix>:{<topic>:<partition>}`: the hash tag puts every key
 * one atomic apply touches in one Redis Cluster slot (the key layout is docs/aggregation.md's).
 */
export function partitionKey(prefix: string, topic: string, partition: number): string {
  return `${prefix}:{${topic}:${partition}}`;
}

/**
 * The Redis key naming the key prefix the figures are served from: `<base>:active-prefix`, where
 * `<base>` is KEY_PREFIX. Absent, the figures live under `<base>` itself. A rebuild from the log
 * (docs/aggregation.md, "Rebuild") writes every figure under a fresh prefix and then sets this
 * key to it; the feeds API reads from, and the aggregators write to, the prefix it names.
 */
export function activePrefixKey(base: string): string {
  return `${base}:active-prefix`;
}

/** The prefix a rebuild started at `startedAt` (epoch ms) writes: `<base>:r<startedAt>`. */
export function rebuildPrefix(base: string, startedAt: number): string {
  if (!Number.isSafeInteger(startedAt) || startedAt < 0)
    throw new RangeError(`a rebuild's start must be epoch ms, got ${startedAt}`);
  return `${base}:r${startedAt}`;
}

/** Thrown by parseActivePrefix for a pointer that names no prefix a rebuild could have made. */
export class ActivePrefixError extends PulseError<'BAD_ACTIVE_PREFIX'> {}

/**
 * The prefix the pointer at activePrefixKey(base) names: `base` when it is absent (null), else
 * its value, which must be `base` or a rebuild prefix of it (`<base>:r<digits>`). Anything else
 * (another deployment's prefix, junk) throws, so no reader or writer follows it.
 */
export function parseActivePrefix(base: string, value: string | null): string {
  if (value === null || value === base) return base;
  const rest = value.startsWith(`${base}:r`) ? value.slice(base.length + 2) : '';
  if (/^\d{1,16}$/.test(rest)) return value;
  throw new ActivePrefixError(
    'BAD_ACTIVE_PREFIX',
    `${activePrefixKey(base)} names no prefix of ${base}: expected ${base} or ${base}:r<digits>, ` +
      `got ${JSON.stringify(value.slice(0, 120))}`,
  );
}

/** Header names of a dead letter, part of the contract: tools and the data-quality feed read them. */
export const DLQ_HEADERS = {
  code: 'pulse-error-code',
  detail: 'pulse-error-detail',
  topic: 'pulse-source-topic',
  partition: 'pulse-source-partition',
  offset: 'pulse-source-offset',
  /**
   * Only on a reference letter (a record too large to dead-letter whole): the original value's
   * length in bytes, and its SHA-256 (hex).
   */
  valueBytes: 'pulse-original-value-bytes',
  valueSha256: 'pulse-original-value-sha256',
  /** Only when a reference letter leaves the key out too (a long key): its length and SHA-256. */
  keyBytes: 'pulse-original-key-bytes',
  keySha256: 'pulse-original-key-sha256',
} as const;
