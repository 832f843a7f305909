// Redis memory after a year of England's activity, projected from what two simulated London days
// for every open trust leave in Redis. Measured: the bytes of every key (MEMORY USAGE) by key
// family after the days are applied through the store's plan + apply on 12 partitions, as the
// aggregator writes them. Computed from that: a year at the default retention (each family's
// bytes per day times the days it is kept), and what each way of shrinking it would save.
// Then, measured beside that projection: England's whole RTT waiting list (`--rtt-scale full`,
// one RTT_CLOCK_START per pathway of every open trust) applied the same way into a prefix of its
// own, every key it wrote by family, then dropped. Not part of `npm test`: it takes minutes.
// Writes the "retention" section of docs/BENCHMARKS.md (PULSE_BENCH_DOC overrides the path).
//   REDIS_URL=redis://host:port npm run bench -w aggregator
import { randomBytes } from 'node:crypto';
import { describeMachine, machineInfo, markdownTable, writeSection } from '@pulse/bench';
import type { ActivityEvent } from '@pulse/contracts';
import { attribute, DAY_MS, HOUR_MS, londonDayBounds } from '@pulse/kpi';
import type { BucketSize } from '@pulse/kpi';
import { keyPartitioner } from '@pulse/kafka';
import { createLogger } from '@pulse/logging';
import { createRedis } from '@pulse/redis';
import type { Redis } from '@pulse/redis';
import { loadRefData } from '@pulse/refdata';
import {
  createFigureStore,
  DEFAULT_GRACE_MS,
  DEFAULT_RETENTION,
  partitionKey,
  planFits,
  planItemOf,
} from '@pulse/store';
import type { PlanItem } from '@pulse/store';
import { ACTIVITY_PARTITIONS, ACTIVITY_TOPIC } from '@pulse/topology';
import { DEFAULT_RTT_SCALE, generateActivity } from 'simulator';
import { AGGREGATOR_REDIS_OPTIONS } from '../src/aggregator.js';

const DAYS = ['2026-11-24', '2026-11-25']; // an ordinary Tuesday and Wednesday
const PARTITIONS = ACTIVITY_PARTITIONS;
const RTT_SCALE = DEFAULT_RTT_SCALE; // the simulator's default share of England's waiting list
const CHUNK = 2_000; // records per apply, as the aggregator cuts a realistic mix
const TOPIC = ACTIVITY_TOPIC;
const days = (ms: number) => ms / DAY_MS;

// `npm run bench` provides a private Redis; never fall back to a shared one on 6379.
const redisUrl = process.env['REDIS_URL'];
if (!redisUrl) throw new Error('REDIS_URL is not set: run the benchmarks with `npm run bench`');
const logger = createLogger({ service: 'retention-bench', level: 'warn' });
const refdata = loadRefData();
const machine = machineInfo();
const runId = randomBytes(4).toString('hex');
const prefix = `retention-bench-${runId}`;
/** The full-scale waiting list's own prefix, dropped after it is measured. */
const fullPrefix = `retention-bench-rtt-${runId}`;
const first = londonDayBounds(DAYS[0]!);
const last = londonDayBounds(DAYS[DAYS.length - 1]!);
// The aggregator's clock: an hour after the last day (a replay, as CLOCK_OFFSET_MS does).
const clock = last.end + HOUR_MS;

console.log(`retention projection on ${describeMachine(machine)}`);

/** Kafka's default partition of each key (Java-compatible murmur2), as producers place them. */
const partitionOf = keyPartitioner(PARTITIONS);

const resolve = (ods: string, date: string) => {
  const r = refdata.resolveProvider(ods, date);
  return r.status === 'ok' ? { icb: r.icb.code, region: r.region.code } : undefined;
};

/**
 * Applies events through probe + plan + apply into `into`, per partition in chunks, with the
 * aggregator's clock at `at`; returns the events applied.
 */
async function applyEvents(
  redis: Redis,
  into: string,
  events: Iterable<ActivityEvent>,
  at: number,
): Promise<number> {
  const store = createFigureStore(redis, {
    prefix: into,
    topic: TOPIC,
    clockOffsetMs: at - Date.now(),
    refdata,
  });
  const pending = Array.from({ length: PARTITIONS }, () => [] as PlanItem[]);
  const offsets = Array.from({ length: PARTITIONS }, () => 0);
  /** One fenced apply of the records, or of their halves when a plan would not fit a script. */
  const applyItems = async (partition: number, items: PlanItem[]): Promise<void> => {
    const probe = await store.probe(partition, items);
    const first = offsets[partition]!;
    const plan = store.plan({
      partition,
      storedOffset: probe.storedOffset,
      firstOffset: String(first),
      nextOffset: String(first + items.length),
      items,
      seen: probe.seen,
      discharged: probe.discharged,
      clock: at,
    });
    if (!planFits(plan) && items.length > 1) {
      // State-heavy records (the waiting list: one open pathway each) take more arguments.
      const half = Math.ceil(items.length / 2);
      await applyItems(partition, items.slice(0, half));
      await applyItems(partition, items.slice(half));
      return;
    }
    offsets[partition] = first + items.length;
    const result = await store.apply(plan);
    if (!result.applied) throw new Error(`partition ${partition} fenced: nothing else writes it`);
  };
  const flush = async (partition: number) => {
    const items = pending[partition]!;
    pending[partition] = [];
    if (items.length > 0) await applyItems(partition, items);
  };
  let applied = 0;
  for (const event of events) {
    const attribution = attribute(event, resolve);
    if (!attribution) continue;
    const partition = partitionOf(event.providerOds);
    pending[partition]!.push(planItemOf(event, attribution));
    applied++;
    if (pending[partition]!.length >= CHUNK) await flush(partition);
  }
  for (let p = 0; p < PARTITIONS; p++) await flush(p);
  return applied;
}

/** The simulator's activity of every open trust from `from`, at `rttScale` of the waiting list. */
function activity(from: number, to: number, rttScale: number): Iterable<ActivityEvent> {
  const open = refdata.trusts(DAYS[0]!);
  return generateActivity({
    seed: 'retention',
    from,
    to,
    trusts: open,
    openTrusts: open,
    rttScale,
  });
}

/**
 * The waiting list alone: the RTT_CLOCK_START records a run reports before its first event of
 * anything else (every open pathway at `from`; WaitingList.initial in the simulator).
 */
function* waitingList(from: number, rttScale: number): Generator<ActivityEvent> {
  for (const event of activity(from, from + DAY_MS, rttScale)) {
    if (event.eventType !== 'RTT_CLOCK_START') return;
    yield event;
  }
}

const usedMemory = async (redis: Redis) =>
  Number(/used_memory:(\d+)/.exec(await redis.info('memory'))![1]);

/** Unlinks every key under a prefix. */
async function dropKeys(redis: Redis, under: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${under}:*`, 'COUNT', 2000);
    cursor = next;
    if (found.length > 0) await redis.unlink(...found);
  } while (cursor !== '0');
}

interface KeyUse {
  key: string;
  bytes: number;
}

/** Every key under a prefix with its MEMORY USAGE (exact: SAMPLES 0), pipelined. */
async function keysWithMemory(redis: Redis, under: string): Promise<KeyUse[]> {
  const out: KeyUse[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${under}:*`, 'COUNT', 2000);
    cursor = next;
    const pipeline = redis.pipeline();
    for (const key of keys) pipeline.call('MEMORY', 'USAGE', key, 'SAMPLES', '0');
    const replies = (await pipeline.exec()) ?? [];
    keys.forEach((key, i) => out.push({ key, bytes: Number(replies[i]![1]) }));
  } while (cursor !== '0');
  return out;
}

/** The family of a key: `c:<size>:<trust|shared>`, `seen`, `g:ed`, `g:closed`, `dq`, ... */
function familyOf(key: string): { family: string; day?: string } {
  const rest = key.slice(key.indexOf('}:') + 2).split(':');
  if (rest[0] === 'c') {
    const [, kind, , size, bucket] =
      rest.length === 5 ? rest : [rest[0], rest[1], '', rest[2], rest[3]];
    const start = size === '1d' ? bucket! : new Date(Number(bucket)).toISOString().slice(0, 10);
    return {
      family: `counters ${size} ${kind === 't' ? 'trust' : 'icb/region/england'}`,
      day: start,
    };
  }
  if (rest[0] === 'seen') return { family: 'seen ids', day: rest[1] };
  if (rest[0] === 'g') return { family: rest[1] === 'closed' ? 'g:closed' : `g:${rest[1]}` };
  return { family: rest[0]! };
}

/**
 * England's whole waiting list applied into fullPrefix (clock an hour after its report): the
 * pathways, every key written grouped by family (familyOf: whatever families the store writes),
 * and used_memory's growth. Drops the prefix afterwards.
 */
async function measureFullList(redis: Redis) {
  const before = await usedMemory(redis);
  const started = performance.now();
  const pathways = await applyEvents(
    redis,
    fullPrefix,
    waitingList(first.start, 1),
    first.start + HOUR_MS,
  );
  const seconds = (performance.now() - started) / 1000;
  const usedMemoryGrowth = (await usedMemory(redis)) - before;
  const keys = await keysWithMemory(redis, fullPrefix);
  const families = new Map<string, { bytes: number; keys: number }>();
  for (const { key, bytes } of keys) {
    const { family } = familyOf(key);
    const sum = families.get(family) ?? { bytes: 0, keys: 0 };
    sum.bytes += bytes;
    sum.keys += 1;
    families.set(family, sum);
  }
  const bytes = keys.reduce((n, k) => n + k.bytes, 0);
  console.log(
    `full waiting list: ${pathways.toLocaleString('en-GB')} pathways applied in ${seconds.toFixed(0)} s: ${keys.length} keys, ${(bytes / 2 ** 20).toFixed(1)} MiB by MEMORY USAGE, ${(usedMemoryGrowth / 2 ** 20).toFixed(1)} MiB by used_memory`,
  );
  await dropKeys(redis, fullPrefix);
  return { pathways, seconds, keys: keys.length, bytes, families, usedMemory: usedMemoryGrowth };
}

const redis = createRedis(redisUrl, {
  logger,
  name: 'retention-bench',
  options: AGGREGATOR_REDIS_OPTIONS,
});
await redis.connect();
try {
  const before = await usedMemory(redis);
  const started = performance.now();
  const events = await applyEvents(
    redis,
    prefix,
    activity(first.start, last.end, RTT_SCALE),
    clock,
  );
  const seconds = (performance.now() - started) / 1000;
  const after = await usedMemory(redis);
  const keys = await keysWithMemory(redis, prefix);
  const measured = keys.reduce((n, k) => n + k.bytes, 0);
  console.log(
    `${events.toLocaleString('en-GB')} events of ${DAYS.join(' and ')} applied in ${seconds.toFixed(0)} s: ${keys.length} keys, ${(measured / 2 ** 20).toFixed(1)} MiB by MEMORY USAGE, ${((after - before) / 2 ** 20).toFixed(1)} MiB by used_memory`,
  );

  // Per family: bytes of the last day's keys (families kept per day), or all of it (state).
  const lastDay = DAYS[DAYS.length - 1]!;
  // Buckets are UTC (15m, 1h), seen ids UTC days, 1d buckets London dates: the last London day
  // is 2026-11-25, which in November is the UTC day too.
  const perDay = new Map<string, { bytes: number; keys: number }>();
  const state = new Map<string, { bytes: number; keys: number }>();
  for (const { key, bytes } of keys) {
    const { family, day } = familyOf(key);
    const into = day === undefined ? state : perDay;
    if (day !== undefined && day !== lastDay) continue;
    const sum = into.get(family) ?? { bytes: 0, keys: 0 };
    sum.bytes += bytes;
    sum.keys += 1;
    into.set(family, sum);
  }
  const retention = DEFAULT_RETENTION as Record<BucketSize, number>;
  const grace = days(DEFAULT_GRACE_MS);
  // Days of each per-day family held after a year at the default settings.
  const held = (family: string): number => {
    const size = /^counters (15m|1h|1d)/.exec(family)?.[1] as BucketSize | undefined;
    if (size) return Math.min(365, days(retention[size]) + 1);
    return grace + 2; // seen ids: the UTC day, then grace + 1 day
  };
  const rows: string[][] = [];
  let year = 0;
  const count = (n: number) => n.toLocaleString('en-GB');
  const mib = (b: number) => (b / 2 ** 20).toFixed(1);
  const gib = (b: number) => (b / 2 ** 30).toFixed(2);
  for (const [family, { bytes, keys: n }] of [...perDay].sort()) {
    const projected = bytes * held(family);
    year += projected;
    rows.push([family, count(n), mib(bytes), `× ${held(family)} days`, gib(projected)]);
  }
  for (const [family, { bytes, keys: n }] of [...state].sort()) {
    // Closed ids are kept for the grace period (two days written here); the RTT list is scaled
    // from the simulated share to England's; the rest is state that does not grow with time.
    const factor =
      family === 'g:closed' ? (grace + 1) / DAYS.length : family === 'g:rtt' ? 1 / RTT_SCALE : 1;
    const note =
      family === 'g:closed'
        ? `÷ ${DAYS.length} days × ${grace + 1}`
        : family === 'g:rtt'
          ? `× ${1 / RTT_SCALE} (whole list)`
          : 'as measured';
    year += bytes * factor;
    rows.push([family, count(n), mib(bytes), note, gib(bytes * factor)]);
  }
  rows.push(['**total**', count(keys.length), mib(measured), '', `**${gib(year)}**`]);

  // A year's worth of a per-day quantity: each family's value times the days it is kept.
  const yearOf = (value: (family: string, use: { bytes: number; keys: number }) => number) =>
    [...perDay].reduce((n, [family, use]) => n + value(family, use) * held(family), 0);
  const hourly = yearOf((f, use) => (f.startsWith('counters 1h') ? use.bytes : 0));
  // ICB, region and England hashes: one per partition holding one of their trusts, per bucket.
  const sharedKeys = keys.filter((k) => familyOf(k.key).family.endsWith('icb/region/england'));
  const distinctShared = new Set(sharedKeys.map((k) => k.key.slice(k.key.indexOf('}:') + 2)));
  const mergeShare = 1 - distinctShared.size / Math.max(1, sharedKeys.length);
  const shared = yearOf((f, use) => (f.endsWith('icb/region/england') ? use.bytes : 0));
  const tag = `${partitionKey(prefix, TOPIC, 0)}:`.length - `${prefix}:{0}:`.length;
  const keyNames = yearOf((_, use) => use.keys * tag);
  const shrink: string[][] = [
    [
      '`RETENTION_1H_DAYS=35`: hourly series for 5 weeks, daily ones still for 5 years',
      gib(hourly * (1 - 36 / 365)),
    ],
    [
      `merge the ${count(sharedKeys.length)} ICB, region and England hashes of the ${count(distinctShared.size)} (scope, bucket) pairs into one each once the bucket is past the grace period (a compaction job; readers then read one)`,
      gib(shared * mergeShare),
    ],
    [
      `a short hash tag, \`{<partition>}\` instead of \`{${TOPIC}:<partition>}\` (${tag} bytes fewer per key)`,
      gib(keyNames),
    ],
  ];
  console.log(markdownTable(['family', 'keys', 'MiB', 'kept', 'GiB in a year'], rows));
  console.log(markdownTable(['to shrink it', 'GiB saved in a year'], shrink));

  // Full scale, measured: the whole waiting list alone, after the two days' keys are dropped.
  await dropKeys(redis, prefix);
  const full = await measureFullList(redis);
  const projectedRtt = (state.get('g:rtt')?.bytes ?? 0) / RTT_SCALE;
  const fullRtt = full.families.get('g:rtt')?.bytes ?? 0;
  const perPathway = (b: number) => (b / full.pathways).toFixed(1);
  const fullRows = [...full.families]
    .sort()
    .map(([family, use]) => [family, count(use.keys), mib(use.bytes), perPathway(use.bytes)]);
  fullRows.push(['**total**', count(full.keys), mib(full.bytes), `**${perPathway(full.bytes)}**`]);
  console.log(markdownTable(['family', 'keys', 'MiB', 'bytes per pathway'], fullRows));

  const body = `Two London days (${DAYS.join(', ')}) of every open trust from the simulator (\`--rtt-scale ${RTT_SCALE}\`),
${events.toLocaleString('en-GB')} events applied through \`@pulse/store\`'s probe, plan and apply on
${PARTITIONS} partitions (keys placed by Kafka's murmur2 partitioner) with the default retention.
**Measured**: \`MEMORY USAGE\` of every key, ${keys.length.toLocaleString('en-GB')} keys,
${mib(measured)} MiB (used_memory grew ${mib(after - before)} MiB). **Computed** from it: a year of
operation, each per-day family (the second day's counter hashes and seen ids) times the days it
is kept, closed ids for the grace period, the open RTT pathways scaled to England's whole waiting
list, and the rest of the live state as measured (it does not grow with time).

${markdownTable(['family', 'keys', 'MiB', 'kept', 'GiB in a year'], rows)}

Ways to shrink it, computed from the same measurement:

${markdownTable(['to shrink it', 'GiB saved in a year'], shrink)}

**RTT at full scale, measured.** England's whole waiting list (\`--rtt-scale full\`):
${count(full.pathways)} pathways, one RTT_CLOCK_START each for every open trust, as a run reports
them at start-up, applied the same way into a prefix of their own (generated and applied in
${full.seconds.toFixed(0)} s), then dropped. Every key the run wrote, by family:

${markdownTable(['family', 'keys', 'MiB', 'bytes per pathway'], fullRows)}

The open pathways (\`g:rtt\`): **${mib(fullRtt)} MiB measured, ${perPathway(fullRtt)} bytes per
pathway**, against ${mib(projectedRtt)} MiB projected above (the two-day run's
${mib(state.get('g:rtt')?.bytes ?? 0)} MiB × ${1 / RTT_SCALE}). used_memory grew
${mib(full.usedMemory)} MiB. The list's seen ids are kept until the grace period after the day
they are dated has passed (the year above counts seen ids per day held); its counters are the
\`rtt_clock_starts_recorded\` of the day before the run, where the list is reported.

Source: \`services/aggregator/bench/retention.ts\`.`;
  const path = writeSection(
    {
      id: 'retention',
      title: 'Redis retention: a year, projected',
      body,
      machine,
      date: new Date(),
    },
    ...(process.env['PULSE_BENCH_DOC'] ? [process.env['PULSE_BENCH_DOC']] : []),
  );
  console.log(`\nwritten to ${path}`);
} finally {
  await dropKeys(redis, prefix);
  await dropKeys(redis, fullPrefix);
  await redis.quit();
}
