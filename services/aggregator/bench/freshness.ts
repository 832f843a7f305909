// Event-to-visible freshness at a steady live rate: the simulator's events for every open trust,
// sent at 3,000 and 30,000 events/s (England's peak, and ten times it) through Kafka, one
// aggregator process (main.ts, as deployed; PULSE_BENCH_AGGREGATORS=N runs N in one group) and
// Redis, with the CPU each of them used. Per event: from its emittedAt (stamped
// when it is sent) to (1) its change-log entry being read by a follower polling
// `readChanges` every POLL_MS, and (2) the England snapshot read after that poll returning;
// beside Kafka's own produce-to-consume latency (a consumer that does no work) in the same run.
// Writes the "freshness" section of docs/BENCHMARKS.md (PULSE_BENCH_DOC overrides the path).
//   KAFKA_BROKERS=host:port REDIS_URL=redis://host:port npx tsx --conditions=@pulse/source bench/freshness.ts
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { describeMachine, machineInfo, markdownTable, writeSection } from '@pulse/bench';
import { createCodec } from '@pulse/contracts';
import type { ActivityEvent } from '@pulse/contracts';
import { createKafka, createProducer } from '@pulse/kafka';
import { DAY_MS, londonDateOf } from '@pulse/kpi';
import { createLogger } from '@pulse/logging';
import { createRedis, type Redis } from '@pulse/redis';
import { loadRefData } from '@pulse/refdata';
import { createChangeReader, createFigureReader, partitionKey } from '@pulse/store';
import {
  benchInfraFromEnv,
  createTopicWithDlq,
  deleteKeysWithPrefix,
  deleteTopicWithDlq,
  freePort,
  startAggregator,
  stopProcess,
  untilOk,
} from '@pulse/testkit';
import { ACTIVITY_PARTITIONS } from '@pulse/topology';
import { generateActivity } from 'simulator';

/** Rates (events/s) and how long each is sent for (s). */
const RUNS = [
  { rate: 3_000, seconds: Number(process.env['PULSE_BENCH_FRESHNESS_SECONDS'] ?? 30) },
  { rate: 30_000, seconds: Number(process.env['PULSE_BENCH_FRESHNESS_SECONDS'] ?? 15) },
];
/** Events sent in the first seconds are left out of the figures (connections, JIT, group join). */
const WARM_UP_MS = 3_000;
/** The most events one produce request carries (~300 KB, inside the broker's 1 MB limit). */
const SEND_BATCH = 2_000;
/** How often the follower reads the change log (a push feed's poll). */
const POLL_MS = 50;
/** Aggregator processes in one consumer group (PULSE_BENCH_AGGREGATORS, default 1). */
const AGGREGATORS = Number(process.env['PULSE_BENCH_AGGREGATORS'] ?? 1);
/** Linux's USER_HZ: the unit of /proc's CPU times. */
const CLOCK_TICKS = 100;
/** How long after the last send the aggregator may take to catch up before the run is cut. */
const DRAIN_MS = 120_000;

const { brokers, redisUrl } = benchInfraFromEnv();
const logger = createLogger({ service: 'freshness-bench', level: 'warn' });
const kafka = createKafka({ brokers, clientId: 'freshness-bench', logger });
const refdata = loadRefData();
const codec = createCodec();
const machine = machineInfo();
console.log(`freshness benchmark on ${describeMachine(machine)}`);

/** The simulator's events of the last days for every open trust, oldest first (none in future). */
function simulatedEvents(count: number): ActivityEvent[] {
  const to = Date.now() - 60_000;
  const from = to - 3 * DAY_MS;
  const trusts = refdata.trusts(londonDateOf(from));
  const events: ActivityEvent[] = [];
  // No RTT waiting list: its seeded clock starts are dated years back (the grace refuses them).
  for (const event of generateActivity({
    seed: 'freshness',
    from,
    to,
    trusts,
    openTrusts: trusts,
    rttScale: 0,
  })) {
    if (event.occurredAt < from) continue;
    events.push(event);
    if (events.length >= count) break;
  }
  if (events.length < count) throw new Error(`only ${events.length} events in 3 days`);
  return events;
}

const quantile = (sorted: readonly number[], q: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

interface Stats {
  p50: number;
  p99: number;
  max: number;
  n: number;
}
function stats(values: number[]): Stats {
  values.sort((a, b) => a - b);
  return {
    p50: quantile(values, 0.5),
    p99: quantile(values, 0.99),
    max: values.at(-1) ?? NaN,
    n: values.length,
  };
}

async function oneRun(rate: number, seconds: number, events: readonly ActivityEvent[]) {
  const run = randomBytes(4).toString('hex');
  const topic = `freshness-bench-${run}`;
  const prefix = `freshness-bench-${run}`;
  const admin = kafka.admin();
  await admin.connect();
  await createTopicWithDlq(admin, topic, ACTIVITY_PARTITIONS);
  await admin.disconnect();
  const redis = createRedis(redisUrl, { logger, name: 'freshness-bench' });
  await redis.connect();
  const ports = await Promise.all(Array.from({ length: AGGREGATORS }, () => freePort()));
  const children = ports.map((port) =>
    startAggregator(
      { brokers, redisUrl, topic, groupId: `freshness-bench-${run}`, keyPrefix: prefix, port },
      { stdout: 'inherit' },
    ),
  );
  const consumer = kafka.consumer({
    groupId: `freshness-bench-bare-${run}`,
    maxWaitTimeInMs: 100,
  });
  const producer = createProducer(kafka);
  const stop = new AbortController();
  try {
    for (const [i, port] of ports.entries())
      await untilOk(`http://127.0.0.1:${port}/readyz`, children[i]!);

    // Kafka's own latency: a group member that does no work, stamping each record on receipt.
    const sentAt: number[][] = Array.from({ length: ACTIVITY_PARTITIONS }, () => []);
    const kafkaLatency: number[] = [];
    let consumed = 0;
    let firstCounted = Infinity;
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: 3,
      eachBatch: async ({ batch }) => {
        const now = Date.now();
        for (const message of batch.messages) {
          const ts = Number(message.timestamp);
          sentAt[batch.partition]![Number(message.offset)] = ts;
          if (ts >= firstCounted) kafkaLatency.push(now - ts);
          consumed++;
        }
      },
    });

    // The follower: reads the change log every POLL_MS, then the England snapshot.
    const changes = createChangeReader(redis, { prefix, topic, partitions: ACTIVITY_PARTITIONS });
    const figures = createFigureReader(redis, {
      prefix,
      topic,
      partitions: ACTIVITY_PARTITIONS,
      refdata,
    });
    const seen: { partition: number; first: number; next: number; at: number; shown: number }[] =
      [];
    const snapshotMs: number[] = [];
    let cursor = await changes.headCursor();
    const follower = (async () => {
      while (!stop.signal.aborted) {
        const started = Date.now();
        const page = await changes.readChanges(cursor);
        cursor = page.nextCursor;
        if (page.changes.length > 0) {
          const at = Date.now();
          const england = { kind: 'england' } as const;
          await Promise.all([
            figures.gauges(england, at),
            figures.counters(england, '1d', [londonDateOf(at)]),
            figures.freshness(england),
          ]);
          const shown = Date.now();
          snapshotMs.push(shown - at);
          for (const c of page.changes) {
            seen.push({
              partition: c.partition,
              first: Number(c.offsets.first),
              next: Number(c.offsets.next),
              at,
              shown,
            });
          }
        }
        await sleep(Math.max(0, POLL_MS - (Date.now() - started)));
      }
    })();

    await producer.connect();
    const cpuBefore = await cpuNow(redis, children);
    const start = Date.now();
    firstCounted = start + WARM_UP_MS;
    const total = Math.min(events.length, rate * seconds);
    let sent = 0;
    while (sent < total) {
      // At most SEND_BATCH per request (the broker's size limit); behind schedule, it catches up.
      const due = Math.min(
        total,
        sent + SEND_BATCH,
        Math.floor(((Date.now() - start) * rate) / 1000),
      );
      if (due <= sent) {
        await sleep(2);
        continue;
      }
      const now = Date.now();
      const messages = events.slice(sent, due).map((event) => ({
        key: event.providerOds,
        value: codec.encode({ ...event, emittedAt: now }),
        timestamp: String(now),
      }));
      await producer.send({ topic, messages });
      sent = due;
    }
    const sentAll = Date.now();
    const sendSeconds = (sentAll - start) / 1000;

    // Until the aggregator has applied everything (its stored offsets reach the end offsets).
    const ends = await (async () => {
      const a = kafka.admin();
      await a.connect();
      try {
        return (await a.fetchTopicOffsets(topic)).map((o) => ({ p: o.partition, end: o.high }));
      } finally {
        await a.disconnect();
      }
    })();
    const offsetKeys = ends.map(({ p }) => `${partitionKey(prefix, topic, p)}:offset`);
    const deadline = Date.now() + DRAIN_MS;
    let drained = false;
    let drainSeconds = 0;
    while (Date.now() < deadline) {
      const stored = await redis.mget(...offsetKeys);
      if (ends.every(({ end }, i) => BigInt(stored[i] ?? 0) >= BigInt(end))) {
        drained = true;
        break;
      }
      drainSeconds = (Date.now() - sentAll) / 1000;
      await sleep(100);
    }
    const cpuAfter = await cpuNow(redis, children);
    while (consumed < total && Date.now() < deadline) await sleep(50);
    await sleep(2 * POLL_MS);
    stop.abort();
    await follower;

    const visible: number[] = [];
    const shown: number[] = [];
    for (const change of seen) {
      const stamps = sentAt[change.partition]!;
      for (let offset = change.first; offset < change.next; offset++) {
        const ts = stamps[offset];
        if (ts === undefined || ts < firstCounted) continue;
        visible.push(change.at - ts);
        shown.push(change.shown - ts);
      }
    }
    const applies = seen.length;
    return {
      rate,
      achieved: sent / sendSeconds,
      sent,
      drained,
      drainSeconds,
      applies,
      kafka: stats(kafkaLatency),
      visible: stats(visible),
      shown: stats(shown),
      snapshot: stats(snapshotMs),
      cpu: cpuSpent(cpuBefore, cpuAfter),
    };
  } finally {
    stop.abort();
    await producer.disconnect().catch(() => undefined);
    await consumer.disconnect().catch(() => undefined);
    await Promise.all(children.map((child) => stopProcess(child)));
    await deleteKeysWithPrefix(redis, `${prefix}:`);
    await redis.quit();
    const cleanup = kafka.admin();
    await cleanup.connect();
    await deleteTopicWithDlq(cleanup, topic);
    await cleanup.disconnect();
  }
}

/** CPU seconds used so far: Redis (INFO cpu), the aggregators, this process, the whole machine. */
async function cpuNow(redis: Redis, children: readonly ChildProcess[]) {
  const info = await redis.info('cpu');
  const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(info)?.[1] ?? 0);
  const ticks = (pid: number | undefined) => {
    // /proc/<pid>/stat: utime and stime are fields 14 and 15, after the command in parentheses.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]);
  };
  const own = process.cpuUsage();
  // Redis' own time per command (microseconds); a script's commands count both in it and in
  // the EVALSHA that ran them.
  const commands = new Map(
    [
      ...(await redis.info('commandstats')).matchAll(/^cmdstat_(\S+?):calls=(\d+),usec=(\d+)/gm),
    ].map((m) => [m[1]!, { calls: Number(m[2]), usec: Number(m[3]) }]),
  );
  const machine = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.split(/\s+/).slice(1);
  const [user, nice, system, , , irq, softirq, steal] = machine.map(Number);
  return {
    at: Date.now(),
    commands,
    redis: field('used_cpu_user') + field('used_cpu_sys'),
    aggregators: children.reduce((sum, child) => sum + ticks(child.pid), 0) / CLOCK_TICKS,
    bench: (own.user + own.system) / 1e6,
    machine: (user! + nice! + system! + irq! + softirq! + steal!) / CLOCK_TICKS,
  };
}

/** CPU seconds spent between two readings, by whom; "other" is mostly the Kafka broker. */
function cpuSpent(a: Awaited<ReturnType<typeof cpuNow>>, b: Awaited<ReturnType<typeof cpuNow>>) {
  const wall = (b.at - a.at) / 1000;
  const redis = b.redis - a.redis;
  const aggregators = b.aggregators - a.aggregators;
  const bench = b.bench - a.bench;
  const machine = b.machine - a.machine;
  const commands = [...b.commands]
    .map(([name, { calls, usec }]) => ({
      name,
      calls: calls - (a.commands.get(name)?.calls ?? 0),
      seconds: (usec - (a.commands.get(name)?.usec ?? 0)) / 1e6,
    }))
    .filter((c) => c.calls > 0)
    .sort((x, y) => y.seconds - x.seconds)
    .slice(0, 5);
  return {
    wall,
    commands,
    capacity: wall * cpus().length,
    machine,
    redis,
    aggregators,
    bench,
    other: machine - redis - aggregators - bench,
  };
}

const needed = Math.max(...RUNS.map((r) => r.rate * r.seconds));
const events = simulatedEvents(needed);
console.log(`generated ${events.length} events of every open trust`);
const results = [];
for (const { rate, seconds } of RUNS) {
  const result = await oneRun(rate, seconds, events);
  console.log(JSON.stringify(result));
  results.push(result);
}

const ms = (n: number) => (Number.isFinite(n) ? Math.round(n) : 'n/a');
const rows = results.flatMap((r) => {
  const label = `${r.rate.toLocaleString('en-GB')}/s`;
  return [
    [label, 'Kafka produce → consume (no work)', ms(r.kafka.p50), ms(r.kafka.p99), ms(r.kafka.max)],
    [
      label,
      'emittedAt → change-log entry read',
      ms(r.visible.p50),
      ms(r.visible.p99),
      ms(r.visible.max),
    ],
    [
      label,
      'emittedAt → England snapshot read after it',
      ms(r.shown.p50),
      ms(r.shown.p99),
      ms(r.shown.max),
    ],
  ];
});
const runs = results
  .map(
    (r) =>
      `${r.rate.toLocaleString('en-GB')}/s: ${r.sent.toLocaleString('en-GB')} events sent at ${Math.round(r.achieved).toLocaleString('en-GB')}/s achieved, ${r.applies.toLocaleString('en-GB')} applies (change-log entries), ${AGGREGATORS === 1 ? 'the aggregator' : 'the aggregators'} done ${r.drainSeconds.toFixed(1)} s after the last send, England snapshot read p50 ${ms(r.snapshot.p50)} ms p99 ${ms(r.snapshot.p99)} ms${r.drained ? '' : `, **not caught up ${DRAIN_MS / 1000} s after the last send**`}`,
  )
  .join('; ');
const cpuRows = results.map((r) => {
  const c = r.cpu;
  const s = (n: number) => n.toFixed(1);
  return [
    `${r.rate.toLocaleString('en-GB')}/s`,
    s(c.wall),
    s(c.capacity),
    s(c.machine),
    s(c.redis),
    s(c.aggregators),
    s(c.bench),
    s(c.other),
  ];
});
const commandLines = results
  .map(
    (r) =>
      `${r.rate.toLocaleString('en-GB')}/s: ${r.cpu.commands
        .map(
          (c) =>
            `\`${c.name}\` ${c.seconds.toFixed(1)} s in ${c.calls.toLocaleString('en-GB')} calls`,
        )
        .join(', ')}`,
  )
  .join('; ');
const processes =
  AGGREGATORS === 1 ? 'one aggregator process' : `${AGGREGATORS} aggregator processes in one group`;
const body = `The simulator's events of every open trust (the last three days, no RTT waiting list), sent
by one kafkajs producer at a steady rate to a 12-partition topic, each stamped \`emittedAt\` (and
the Kafka record timestamp) when sent; ${processes} (\`src/main.ts\`, defaults) apply
them. Measured per event, leaving out the first ${WARM_UP_MS / 1000} s: **Kafka**: a consumer in
its own group that does no work, receipt minus send; **change log**: a follower polling
\`readChanges\` every ${POLL_MS} ms, the poll that returned the entry covering the event's offset
minus its \`emittedAt\`; **snapshot**: the England snapshot (gauges, today's counters,
freshness; uncached store reads) read right after that poll, its end minus \`emittedAt\` (the
feeds API's snapshot cache, \`SNAPSHOT_CACHE_MS\`, adds up to its period for the cached "now"
view). Producer, consumer and follower share one process; Kafka, Redis and the aggregators run on
the same machine. ${runs}.

${markdownTable(['rate', 'latency (ms)', 'p50', 'p99', 'max'], rows)}

Where the CPU went, from the first send until the aggregators had applied everything (CPU
seconds; capacity is the wall time × ${cpus().length} cores; Redis from its \`INFO cpu\`, the
aggregators and this process from /proc, "other" is the rest of the machine's busy time, mostly
the Kafka broker):

${markdownTable(['rate', 'wall (s)', 'capacity', 'machine busy', 'Redis', 'aggregators', 'producer + followers', 'other'], cpuRows)}

Redis' busiest commands over the same span (its \`INFO commandstats\`; the commands a script
runs count in the script's \`evalsha\` too): ${commandLines}.

Source: \`services/aggregator/bench/freshness.ts\`.`;
const path = writeSection(
  { id: 'freshness', title: 'Freshness: event to visible, live', body, machine, date: new Date() },
  ...(process.env['PULSE_BENCH_DOC'] ? [process.env['PULSE_BENCH_DOC']] : []),
);
console.log(`\nwritten to ${path}`);
