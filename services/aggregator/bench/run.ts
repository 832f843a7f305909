// Aggregator throughput against the machine's raw limit: one simulated London day for every
// trust is published once, then read by (1) a kafkajs consumer that does no work and (2) one
// aggregator instance, each in its own group, in the same run. Also p50/p99 batch duration and
// the Redis memory one trust-day of figures takes. Writes the "aggregator" section of
// docs/BENCHMARKS.md (PULSE_BENCH_DOC overrides the path).
//   KAFKA_BROKERS=host:port REDIS_URL=redis://host:port npm run bench -w aggregator
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeMachine, machineInfo, markdownTable, writeSection } from '@pulse/bench';
import {
  benchInfraFromEnv,
  deleteKeysWithPrefix,
  deleteTopicWithDlq,
  REPLAY_TOPIC_CONFIG,
} from '@pulse/testkit';
import { createCodec } from '@pulse/contracts';
import { createKafka } from '@pulse/kafka';
import { londonDayBounds } from '@pulse/kpi';
import { createLogger } from '@pulse/logging';
import { createRedis } from '@pulse/redis';
import type { Redis } from '@pulse/redis';
import { loadRefData } from '@pulse/refdata';
import { partitionKey } from '@pulse/store';
import type { Kafka } from 'kafkajs';
import { parseOptions, runSimulator } from 'simulator';
import { AGGREGATOR_REDIS_OPTIONS, buildAggregator } from '../src/aggregator.js';
import { loadAggregatorConfig } from '../src/config.js';
import { createMetrics } from '../src/metrics.js';

const DATE = '2026-05-13';
const PARTITIONS = 6;
const RTT_SCALE = '0.002';
const ROUNDS = Number(process.env['PULSE_BENCH_ROUNDS'] ?? 2);

// `npm run bench` provides Kafka and a private Redis; never fall back to a shared one on 6379.
const { brokers, redisUrl } = benchInfraFromEnv();
const logger = createLogger({ service: 'aggregator-bench', level: 'warn' });
const kafka = createKafka({ brokers, clientId: 'aggregator-bench', logger });
const refdata = loadRefData();
const run = randomBytes(4).toString('hex');
const topic = `aggregator-bench-${run}`;
const machine = machineInfo();
const day = londonDayBounds(DATE);

console.log(`aggregator benchmark on ${describeMachine(machine)}`);

async function endOffsets(): Promise<Map<number, bigint>> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);
    return new Map(offsets.map((o) => [o.partition, BigInt(o.high)]));
  } finally {
    await admin.disconnect();
  }
}

/** The raw limit: a consumer group member that only counts what it is given. */
async function bareConsumer(total: number): Promise<number> {
  const consumer = kafka.consumer({
    groupId: `aggregator-bench-bare-${randomBytes(4).toString('hex')}`,
    maxBytesPerPartition: 4 * 1024 * 1024,
    maxWaitTimeInMs: 500,
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let seen = 0;
  let started = 0;
  await consumer.run({
    autoCommit: false,
    partitionsConsumedConcurrently: 2,
    eachBatch: async ({ batch }) => {
      if (started === 0) started = performance.now();
      seen += batch.messages.length;
    },
  });
  while (seen < total) await sleep(20);
  const seconds = (performance.now() - started) / 1000;
  await consumer.disconnect();
  return total / seconds;
}

/** One aggregator instance from its first batch until Redis holds every end offset. */
async function aggregator(redis: Redis, prefix: string, ends: Map<number, bigint>) {
  const config = loadAggregatorConfig({
    KAFKA_BROKERS: brokers,
    REDIS_URL: redisUrl,
    ACTIVITY_TOPIC: topic,
    DLQ_TOPIC: `${topic}-dlq`,
    GROUP_ID: `aggregator-bench-${randomBytes(4).toString('hex')}`,
    KEY_PREFIX: prefix,
    CLOCK_OFFSET_MS: String(day.end + 3_600_000 - Date.now()),
  });
  const metrics = createMetrics({ defaultMetrics: false });
  const durations: number[] = [];
  let started = 0;
  const observe = metrics.batchDuration;
  metrics.batchDuration = (seconds) => {
    if (started === 0) started = performance.now() - seconds * 1000;
    durations.push(seconds);
    observe(seconds);
  };
  const instance = buildAggregator(config, {
    kafka: kafka as Kafka,
    redis,
    logger,
    refdata,
    metrics,
  });
  await instance.start();
  const offsetKeys = [...ends.keys()].map((p) => `${partitionKey(prefix, topic, p)}:offset`);
  for (;;) {
    const stored = await redis.mget(...offsetKeys);
    if ([...ends.values()].every((end, i) => BigInt(stored[i] ?? 0) >= end)) break;
    await sleep(20);
  }
  const seconds = (performance.now() - started) / 1000;
  await instance.stop();
  durations.sort((a, b) => a - b);
  const at = (q: number) =>
    durations[Math.min(durations.length - 1, Math.floor(q * durations.length))]! * 1000;
  return { perSecond: 0, seconds, batches: durations.length, p50: at(0.5), p99: at(0.99) };
}

/** MEMORY USAGE summed over every key under the prefix. */
async function memoryUnder(redis: Redis, prefix: string): Promise<{ bytes: number; keys: number }> {
  let bytes = 0;
  let keys = 0;
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    for (const key of batch) {
      bytes += (await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) as number;
      keys++;
    }
  } while (cursor !== '0');
  return { bytes, keys };
}

const admin = kafka.admin();
await admin.connect();
// CreateTime topic keeping every record: the simulated day's timestamps are in the past.
await admin.createTopics({
  topics: [{ topic, numPartitions: PARTITIONS, configEntries: [...REPLAY_TOPIC_CONFIG] }],
  waitForLeaders: true,
});
await admin.disconnect();
const redis = createRedis(redisUrl, {
  logger,
  name: 'aggregator-bench',
  options: AGGREGATOR_REDIS_OPTIONS,
});
await redis.connect();
const prefixes: string[] = [];
try {
  const iso = (ms: number) => new Date(ms).toISOString();
  const options = parseOptions([
    ...['--topic', topic, '--seed', 'bench', '--fast', '--rtt-scale', RTT_SCALE],
    ...['--from', iso(day.start), '--to', iso(day.end), '--faults', 'duplicate=0.05'],
  ]);
  const codec = createCodec();
  await runSimulator(options, { kafka, refdata, codec, logger });
  const ends = await endOffsets();
  const total = Number([...ends.values()].reduce((a, b) => a + b, 0n));
  console.log(
    `published ${total} records of ${DATE} (every trust, 5% resent) to ${PARTITIONS} partitions`,
  );

  const rows: (string | number)[][] = [];
  let best = { bare: 0, agg: 0 };
  let last: Awaited<ReturnType<typeof aggregator>> | undefined;
  for (let round = 1; round <= ROUNDS; round++) {
    const bare = await bareConsumer(total);
    const prefix = `aggregator-bench-${run}-${round}:`;
    prefixes.push(prefix);
    const agg = await aggregator(redis, prefix, ends);
    agg.perSecond = total / agg.seconds;
    console.log(
      `round ${round}: bare consumer ${Math.round(bare)} rec/s, aggregator ${Math.round(agg.perSecond)} rec/s (${(agg.perSecond / bare).toFixed(2)}), batch p50 ${agg.p50.toFixed(1)} ms p99 ${agg.p99.toFixed(1)} ms over ${agg.batches} batches`,
    );
    best = { bare: Math.max(best.bare, bare), agg: Math.max(best.agg, agg.perSecond) };
    last = agg;
  }
  // Trusts with data: their data-quality hash exists in exactly one partition.
  let reporting = 0;
  for (const t of refdata.trusts(DATE)) {
    for (let p = 0; p < PARTITIONS; p++) {
      if (await redis.exists(`${partitionKey(prefixes[0]!, topic, p)}:dq:${t.odsCode}`)) {
        reporting++;
        break;
      }
    }
  }
  const memory = await memoryUnder(redis, prefixes[0]!);
  const perTrustDay = memory.bytes / reporting;
  console.log(
    `redis: ${memory.keys} keys, ${(memory.bytes / 1048576).toFixed(1)} MiB for ${reporting} reporting trusts: ${Math.round(perTrustDay / 1024)} KiB per trust-day`,
  );
  rows.push(['kafkajs consumer, no work (records/s)', best.bare]);
  rows.push(['one aggregator instance (records/s)', best.agg]);
  rows.push(['ratio aggregator / bare consumer', `${((100 * best.agg) / best.bare).toFixed(1)}%`]);
  rows.push(['batch duration p50 (ms), last round', Number(last!.p50.toFixed(1))]);
  rows.push(['batch duration p99 (ms), last round', Number(last!.p99.toFixed(1))]);
  rows.push(['Redis memory per simulated trust-day (KiB)', Math.round(perTrustDay / 1024)]);

  const body = `One London day (${DATE}) for every open trust from the simulator (\`--rtt-scale ${RTT_SCALE}\`,
5% resent duplicates): ${total.toLocaleString('en-GB')} records on ${PARTITIONS} partitions, published
once, then read from the start by a kafkajs consumer that only counts (the raw limit) and by one
in-process aggregator instance (decode, check, plan, one fenced Lua apply per chunk of at most
5,000 records cut to fit one script, DLQ, commit), each in a fresh group, best of ${ROUNDS} rounds. Both consume two
partitions at a time. Memory: \`MEMORY USAGE\` of every key one day wrote (15m, 1h and 1d
counters of every scope, seen ids, gauges, data quality), divided by the ${reporting} trusts that
reported; ${memory.keys.toLocaleString('en-GB')} keys, ${(memory.bytes / 1048576).toFixed(1)} MiB in all.
Kafka and Redis run on the same machine as the benchmark.

${markdownTable(['measure', 'value'], rows)}

Source: \`services/aggregator/bench/run.ts\`.`;
  const path = writeSection(
    {
      id: 'aggregator',
      title: 'Aggregator (services/aggregator)',
      body,
      machine,
      date: new Date(),
    },
    ...(process.env['PULSE_BENCH_DOC'] ? [process.env['PULSE_BENCH_DOC']] : []),
  );
  console.log(`\nwritten to ${path}`);
} finally {
  for (const prefix of prefixes) await deleteKeysWithPrefix(redis, prefix);
  await redis.quit();
  const cleanup = kafka.admin();
  await cleanup.connect();
  await deleteTopicWithDlq(cleanup, topic);
  await cleanup.disconnect();
}
