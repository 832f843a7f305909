// Runs aggregators against the test Kafka and Redis, each test on its own topics, group and key
// prefix, and waits for them by state ("caught up to the high watermark"), never by time.
import { setTimeout as sleep } from 'node:timers/promises';
import { londonDayBounds } from '@pulse/kpi';
import { loadRefData } from '@pulse/refdata';
import type { RefData } from '@pulse/refdata';
import { createRedis } from '@pulse/redis';
import type { Redis } from '@pulse/redis';
import { createKafka, ensureTopics } from '@pulse/kafka';
import { createFigureReader, partitionKey } from '@pulse/store';
import type { FigureReader } from '@pulse/store';
import {
  redisPrefix,
  releaseAfterTest,
  REPLAY_TOPIC_CONFIG,
  storedOffsets as readStoredOffsets,
  testInfra,
  testKafka,
  testLogger,
  testRedis,
  topicEndOffsets,
  uniqueGroupId,
  uniqueName,
  uniqueTopic,
  waitForStoredOffsets,
} from '@pulse/testkit';
import type { Kafka } from 'kafkajs';
import { AGGREGATOR_REDIS_OPTIONS, buildAggregator } from '../../src/aggregator.js';
import type { Aggregator } from '../../src/aggregator.js';
import { loadAggregatorConfig } from '../../src/config.js';
import type { AggregatorConfig } from '../../src/config.js';
import { createMetrics } from '../../src/metrics.js';

let sharedRefdata: RefData | undefined;
/** The reference data, loaded once per test file. */
export const refdata = (): RefData => (sharedRefdata ??= loadRefData());

/** The oracle's resolver: the reference data as the aggregator uses it. */
export function resolver() {
  const data = refdata();
  return (ods: string, date: string) => {
    const r = data.resolveProvider(ods, date);
    return r.status === 'ok' ? { icb: r.icb.code, region: r.region.code } : undefined;
  };
}

/** The oracle's isKnownProvider: a provider the reference data knows, as classify asks. */
export const isKnownProvider = (ods: string): boolean => refdata().trust(ods) !== undefined;

/** One test's world: topics, group, key prefix and a Redis client to read it back. */
export interface World {
  topic: string;
  dlqTopic: string;
  partitions: number;
  groupId: string;
  prefix: string;
  /** A client of the world's broker (the test kit's, or the test's own). */
  kafka: Kafka;
  redis: Redis;
  reader: FigureReader;
  /** The environment an aggregator of this world runs with (in-process or as a child). */
  env: Record<string, string>;
}

export interface WorldOptions {
  partitions?: number;
  /** Added to the environment, e.g. CLOCK_OFFSET_MS. */
  env?: Record<string, string>;
  /**
   * A broker of the test's own (default: the test kit's). The world's topics are created there
   * and go with the broker; a group is made only by the aggregators that join it.
   */
  brokers?: string;
}

/** Topics and group on a broker the test started itself (nothing to clean up: it goes with it). */
async function ownBrokerNames(kafka: Kafka, partitions: number) {
  const names = {
    topic: uniqueName('agg-activity'),
    dlqTopic: uniqueName('agg-dlq'),
    groupId: uniqueName('agg'),
  };
  const admin = kafka.admin();
  await admin.connect();
  try {
    await ensureTopics(admin, [
      { topic: names.topic, numPartitions: partitions, configEntries: [...REPLAY_TOPIC_CONFIG] },
      { topic: names.dlqTopic, numPartitions: 1 },
    ]);
  } finally {
    await admin.disconnect();
  }
  return names;
}

export async function createWorld(options: WorldOptions = {}): Promise<World> {
  const partitions = options.partitions ?? 3;
  const infra = testInfra();
  const brokers = options.brokers ?? infra.kafkaBrokers;
  const kafka = options.brokers
    ? createKafka({ brokers, clientId: 'agg-test', logger: testLogger() })
    : testKafka('agg-test-admin');
  const { topic, dlqTopic, groupId } = options.brokers
    ? await ownBrokerNames(kafka, partitions)
    : {
        topic: await uniqueTopic({ partitions, label: 'agg-activity' }),
        dlqTopic: await uniqueTopic({ partitions: 1, label: 'agg-dlq' }),
        groupId: uniqueGroupId('agg'),
      };
  const prefix = redisPrefix('agg');
  const redis = await testRedis('agg-test');
  const env = {
    KAFKA_BROKERS: brokers,
    REDIS_URL: infra.redisUrl,
    LOG_LEVEL: process.env.PULSE_TEST_LOG_LEVEL ?? 'silent',
    ACTIVITY_TOPIC: topic,
    DLQ_TOPIC: dlqTopic,
    GROUP_ID: groupId,
    KEY_PREFIX: prefix,
    PORT: '0',
    ...options.env,
  };
  const reader = createFigureReader(redis, { prefix, topic, partitions, refdata: refdata() });
  return { topic, dlqTopic, partitions, groupId, prefix, kafka, redis, reader, env };
}

/** Starts an aggregator in this process; it is stopped when the test finishes, if still running. */
export async function startInProcess(
  world: World,
  env: Record<string, string> = {},
): Promise<{ aggregator: Aggregator; config: AggregatorConfig; stop(): Promise<void> }> {
  const config = loadAggregatorConfig({ ...world.env, ...env });
  const redis = createRedis(config.redisUrl, {
    logger: testLogger(),
    name: 'agg-in-process',
    options: AGGREGATOR_REDIS_OPTIONS,
  });
  await redis.connect();
  const aggregator = buildAggregator(config, {
    kafka: createKafka({
      brokers: config.brokers,
      clientId: 'agg-in-process',
      logger: testLogger(),
    }),
    redis,
    logger: testLogger(),
    refdata: refdata(),
    metrics: createMetrics({ defaultMetrics: false }),
  });
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    await aggregator.stop();
    await redis.quit();
  };
  releaseAfterTest('startInProcess', stop);
  await aggregator.start();
  return { aggregator, config, stop };
}

/** The Redis key of a partition's stored offset in this world (the store's layout). */
const offsetKeyOf = (world: World) => (partition: number) =>
  `${partitionKey(world.prefix, world.topic, partition)}:offset`;

/** The topic's end offsets (high watermarks) by partition, on the test kit's broker or `kafka`'s. */
export function endOffsets(
  topic: string,
  kafka: Kafka = testKafka('agg-test-admin'),
): Promise<Map<number, bigint>> {
  return topicEndOffsets(kafka, topic);
}

/** The next offset to apply stored in Redis for each partition (0 when none yet). */
export function storedOffsets(world: World): Promise<Map<number, bigint>> {
  const partitions = Array.from({ length: world.partitions }, (_, p) => p);
  return readStoredOffsets(world.redis, partitions, offsetKeyOf(world));
}

/**
 * Resolves once Redis holds every partition's offset at (or past) the topic's end offset, read
 * when the wait starts (call it after producing). Rejects when no partition advances for
 * timeoutMs, naming the partitions behind (a slow, loaded machine that keeps applying is waited
 * for: the exactness days failed at 240 s at a load of ~25 while still applying).
 */
export async function waitUntilCaughtUp(world: World, timeoutMs = 240_000): Promise<void> {
  await waitForStoredOffsets({
    kafka: world.kafka,
    topic: world.topic,
    redis: world.redis,
    offsetKey: offsetKeyOf(world),
    timeoutMs,
    pollMs: 250,
  });
}

/** Polls `condition` until it holds; rejects after timeoutMs naming what it waited for. */
export async function waitFor(
  what: string,
  condition: () => Promise<boolean>,
  timeoutMs = 240_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

/** Records applied so far over all partitions (the sum of the stored offsets). */
export async function appliedSoFar(world: World): Promise<bigint> {
  let sum = 0n;
  for (const offset of (await storedOffsets(world)).values()) sum += offset;
  return sum;
}

/** True when every partition's stored offset has reached its end offset right now. */
export async function caughtUp(world: World): Promise<boolean> {
  const [ends, stored] = await Promise.all([
    endOffsets(world.topic, world.kafka),
    storedOffsets(world),
  ]);
  return [...ends].every(([p, end]) => (stored.get(p) ?? 0n) >= end);
}

/** A world whose aggregators' clock stands an hour after the London date ends (a replay). */
export async function replayWorld(date: string, options: WorldOptions = {}) {
  const day = londonDayBounds(date);
  const clock = day.end + 3_600_000;
  const env = { CLOCK_OFFSET_MS: String(clock - Date.now()), ...options.env };
  return { world: await createWorld({ ...options, env }), day, clock };
}
