// The aggregator: a kafkajs consumer group on the activity topic whose eachBatch hands each
// partition batch to processPartitionBatch. Built from a config and clients; it never reads the
// environment, listens, or handles signals (main does).
import { createCodec } from '@pulse/contracts';
import type { Codec } from '@pulse/contracts';
import { createProducer, ensureTopics, keyPartitioner } from '@pulse/kafka';
import type { Logger } from '@pulse/logging';
import type { Redis } from '@pulse/redis';
import { loadRefData } from '@pulse/refdata';
import type { RefData } from '@pulse/refdata';
import type { ReadinessCheck } from '@pulse/service';
import { createFigureStore, followActivePrefix, PrefixRetiredError } from '@pulse/store';
import { DLQ_HEADERS, DLQ_PARTITIONS } from '@pulse/topology';
import type { ActivePrefix, FigureStore } from '@pulse/store';
import type { Admin, Consumer, EachBatchPayload, Kafka, Producer } from 'kafkajs';
import type { AggregatorConfig } from './config.js';
import { chunkDeadLetters, type DeadLetter } from './dlq.js';
import { adminEndOffsets, startLagMonitor, type LagMonitor } from './lag.js';
import { createMetrics } from './metrics.js';
import type { AggregatorMetrics } from './metrics.js';
import { processPartitionBatch } from './partition-batch.js';
import type { PartitionBatchDeps } from './partition-batch.js';

/**
 * Options for the aggregator's Redis connection. No auto-pipelining: each partition's probe and
 * apply are already one round trip each, so it would only add a tick of latency. (Script size is
 * bounded by @pulse/store's MAX_PLAN_ARGUMENTS, which is what kept ioredis 6's auto-pipelining
 * from overflowing the stack.)
 */
export const AGGREGATOR_REDIS_OPTIONS = { enableAutoPipelining: false } as const;

/** How often the lag gauge is read from the topic's end offsets and Redis (see lag.ts). */
export const LAG_REFRESH_MS = 5_000;

/**
 * How often the active-prefix pointer is read again (a rebuild's switch). A writer still on the
 * retired prefix is fenced out at its next apply and follows at once; this is for idle ones.
 */
export const POINTER_REFRESH_MS = 1_000;

export interface AggregatorDeps {
  kafka: Kafka;
  /** The writer's connection; create it with AGGREGATOR_REDIS_OPTIONS. */
  redis: Redis;
  logger: Logger;
  /** Defaults to the refdata package's own data. */
  refdata?: RefData;
  /** Defaults to a codec over every published schema. */
  codec?: Codec;
  /** Defaults to a fresh registry with the process' default metrics. */
  metrics?: AggregatorMetrics;
  /**
   * A rebuild's: write this key prefix whatever the pointer says, and dead-letter only records at
   * or after `deadLetterFrom(partition)` (those before it the live aggregators dead-lettered).
   * Without it the aggregator writes the prefix the pointer under KEY_PREFIX names, and follows it.
   */
  rebuild?: { prefix: string; deadLetterFrom(partition: number): Promise<bigint> };
}

export interface Aggregator {
  /** Connects, joins the group and starts consuming; resolves once running. */
  start(): Promise<void>;
  /** Finishes the current batch, commits, leaves the group and disconnects from Kafka. */
  stop(): Promise<void>;
  /** True while this instance is a member of the group (joined and not rebalancing). */
  isJoined(): boolean;
  /** /readyz checks: the group joined and Redis answering. */
  readonly readiness: readonly ReadinessCheck[];
  readonly metrics: AggregatorMetrics;
  /** The store of the prefix being written now (it changes when a rebuild switches the pointer). */
  readonly store: FigureStore;
  /** Resolves when the consumer crashed and will not restart by itself (main exits then). */
  readonly crashed: Promise<Error>;
  /** Reads the lag gauge now rather than at the next LAG_REFRESH_MS tick. */
  refreshLag(): Promise<void>;
}

export function buildAggregator(config: AggregatorConfig, deps: AggregatorDeps): Aggregator {
  const log = deps.logger.child({ component: 'consumer' });
  const refdata = deps.refdata ?? loadRefData();
  const codec = deps.codec ?? createCodec();
  const metrics = deps.metrics ?? createMetrics();
  const storeOf = (prefix: string) =>
    createFigureStore(deps.redis, {
      prefix,
      topic: config.activityTopic,
      grace: config.graceMs,
      retention: config.retentionMs,
      // Key lifetimes on wall time plus CLOCK_OFFSET_MS: a replayed past period keeps its keys.
      clockOffsetMs: config.clockOffsetMs,
      changeLog: config.changeLog,
      // Gauge state per ICB, region and England too, for reads of constant cost.
      refdata,
    });
  // The prefix written: a rebuild's own, else the pointer's (read at start, then followed).
  let store = storeOf(deps.rebuild?.prefix ?? config.keyPrefix);
  let pointer: ActivePrefix | undefined;
  const follow = (prefix: string) => {
    if (prefix === store.options.prefix) return;
    log.info(
      { from: store.options.prefix, to: prefix },
      'key prefix switched: writing the new one',
    );
    store = storeOf(prefix);
    // Seeks back were to the old prefix's offsets; the new one's are judged afresh.
    soughtTo.clear();
  };
  const producer: Producer = createProducer(deps.kafka);
  const consumer: Consumer = deps.kafka.consumer({
    groupId: config.groupId,
    sessionTimeout: config.sessionTimeoutMs,
    heartbeatInterval: config.heartbeatIntervalMs,
    // Larger fetches than the 1 MB default: events are ~150 bytes and applies are per batch.
    maxBytesPerPartition: 4 * 1024 * 1024,
    // Idle fetches return after 500 ms (default 5 s), so leaving the group on shutdown is quick;
    // a fetch returns at once when records are there.
    maxWaitTimeInMs: 500,
    allowAutoTopicCreation: false,
  });

  let joined = false;
  // Set by start(): the admin the lag monitor reads end offsets with, and where keys belong.
  let admin: Admin | undefined;
  let lagMonitor: LagMonitor | undefined;
  let partitionOf: ((key: Buffer) => number) | undefined;
  let reportCrash: (err: Error) => void = () => {};
  const crashed = new Promise<Error>((resolve) => (reportCrash = resolve));
  const soughtTo = new Map<number, string>();

  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    joined = true;
    soughtTo.clear();
    log.info({ assigned: payload.memberAssignment, leader: payload.isLeader }, 'joined the group');
  });
  consumer.on(consumer.events.REBALANCING, () => {
    joined = false;
    log.info('rebalancing');
  });
  consumer.on(consumer.events.STOP, () => (joined = false));
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    joined = false;
    log.error({ err: payload.error, restart: payload.restart }, 'consumer crashed');
    if (!payload.restart) reportCrash(payload.error);
  });

  async function sendDeadLetters(letters: DeadLetter[]): Promise<void> {
    if (deps.rebuild && letters.length > 0) {
      const from = await deps.rebuild.deadLetterFrom(
        Number(letters[0]!.headers[DLQ_HEADERS.partition]),
      );
      letters = letters.filter((l) => BigInt(l.headers[DLQ_HEADERS.offset]!) >= from);
    }
    // In sends the broker accepts whatever the burst (see MAX_DEAD_LETTER_BYTES), in order.
    for (const chunk of chunkDeadLetters(letters)) {
      await producer.send({
        topic: config.dlqTopic,
        acks: -1,
        messages: chunk.map((l) => ({ key: l.key, value: l.value, headers: l.headers })),
      });
    }
  }

  const batchDeps: Omit<PartitionBatchDeps, 'store'> = {
    sendDeadLetters,
    classifyContext: (partition) => ({
      codec,
      refdata,
      graceMs: config.graceMs,
      maxFutureMs: config.maxFutureMs,
      ...(partitionOf ? { placement: { partition, partitionOf } } : {}),
    }),
    maxApplyRecords: config.maxApplyRecords,
    argumentsPerRecord: new Map(),
    observer: metrics,
    soughtTo,
    onGap: (partition, storedOffset, firstOffset, action) =>
      log.warn(
        { partition, storedOffset, firstOffset, action },
        action === 'seek'
          ? 'batch begins past the offset stored in Redis: seeking back'
          : 'no records between the stored offset and the batch: accepting the gap',
      ),
  };

  async function eachBatch(payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const started = performance.now();
    metrics.consumed(batch.messages.length);
    if (batch.isEmpty()) return;
    const { topic, partition } = batch;
    // One prefix for the whole batch: a switch meanwhile fences its applies out (retired).
    const writing = store;
    let outcome;
    try {
      outcome = await processPartitionBatch(
        { topic, partition, records: batch.messages },
        {
          resolveOffset: payload.resolveOffset,
          heartbeat: payload.heartbeat,
          canContinue: () => !payload.isStale(),
          seek: (offset) => consumer.seek({ topic, partition, offset }),
        },
        { ...batchDeps, store: writing },
      );
    } catch (err) {
      if (!(err instanceof PrefixRetiredError) || !pointer) throw err;
      // A rebuild retired this prefix: follow the pointer, then read the batch again from its
      // first record, against the new prefix's stored offset (skipping or seeking back from it).
      follow(await pointer.refresh());
      if (store === writing) throw err;
      consumer.seek({ topic, partition, offset: batch.firstOffset()! });
      return;
    }
    if (outcome.nextOffset !== null) {
      // Redis is authoritative; the Kafka commit serves lag tooling and a quicker resume.
      try {
        await consumer.commitOffsets([{ topic, partition, offset: outcome.nextOffset }]);
      } catch (err) {
        log.warn({ err, partition }, 'Kafka offset commit failed (Redis holds the offset)');
      }
    }
    metrics.batchDuration((performance.now() - started) / 1000);
  }

  return {
    metrics,
    get store() {
      return store;
    },
    crashed,
    isJoined: () => joined,
    refreshLag: async () => lagMonitor?.refresh(),
    readiness: [
      { name: 'kafka-group', check: async () => joined },
      { name: 'redis', check: async () => (await deps.redis.ping()) === 'PONG' },
    ],

    async start() {
      if (!deps.rebuild) {
        pointer = await followActivePrefix(deps.redis, config.keyPrefix, {
          refreshMs: POINTER_REFRESH_MS,
          onChange: follow,
          onError: (err) => log.error({ err }, 'active-prefix pointer not followed'),
        });
        follow(pointer.current());
      }
      admin = deps.kafka.admin();
      await admin.connect();
      await ensureTopics(admin, [{ topic: config.dlqTopic, numPartitions: DLQ_PARTITIONS }]);
      // The partition count is fixed for the topic's life (docs/aggregation.md), so a key's
      // partition is known from the start.
      const { topics } = await admin.fetchTopicMetadata({ topics: [config.activityTopic] });
      partitionOf = keyPartitioner(topics[0]?.partitions.length ?? 0);
      lagMonitor = startLagMonitor({
        sources: {
          endOffsets: adminEndOffsets(admin, config.activityTopic),
          storedOffset: (partition) => store.storedOffset(partition),
        },
        report: (partition, records) => metrics.lag(config.activityTopic, partition, records),
        onError: (err) => log.warn({ err }, 'lag not refreshed (the last reading stays)'),
        intervalMs: LAG_REFRESH_MS,
      });
      await producer.connect();
      await consumer.connect();
      await consumer.subscribe({
        topics: [config.activityTopic],
        fromBeginning: config.fromBeginning,
      });
      await consumer.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        partitionsConsumedConcurrently: config.partitionsConcurrently,
        eachBatch,
      });
      log.info(
        { topic: config.activityTopic, group: config.groupId, prefix: store.options.prefix },
        'consuming',
      );
    },

    async stop() {
      // kafkajs waits for the running eachBatch calls (each commits at its end), then leaves.
      lagMonitor?.stop();
      pointer?.stop();
      await consumer.disconnect();
      await producer.disconnect();
      await admin?.disconnect();
      joined = false;
      log.info('stopped');
    },
  };
}
