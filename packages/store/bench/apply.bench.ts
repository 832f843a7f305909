// Events/s through probe + plan + apply for one partition, beside the same run's raw Redis
// pipeline limit, and Redis memory per simulated trust-day. Run: npm run bench -w @pulse/store.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { describeMachine, machineInfo, markdownTable, writeSection } from '@pulse/bench';
import type { AgeGroup, Attribution, CounterFigure } from '@pulse/kpi';
import { FIGURE_FAMILY } from '@pulse/kpi';
import { Redis } from 'ioredis';
import type { PlanItem } from '../src/index.js';
import { createFigureStore, encodePlan, planBatch, resolveStoreOptions } from '../src/index.js';
import { probeAndApply } from '../test/helpers/apply.js';
import { randomEvents } from '../test/helpers/random-events.js';
import { ACTIVITY_TOPIC } from '@pulse/topology';

const BATCH = 1_000; // events per partition batch (kafkajs eachBatch at peak)
const BATCHES = 60; // timed batches per round
const ROUNDS = 5;
const TRUSTS_PER_PARTITION = 20; // ~200 trusts over the activity topic's partitions
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const TOPIC = ACTIVITY_TOPIC;

// `npm run bench` provides a private Redis; never fall back to a shared one on 6379.
const redisUrl = process.env.REDIS_URL;
if (!redisUrl) throw new Error('REDIS_URL is not set: run the benchmarks with `npm run bench`');
const redis = new Redis(redisUrl);
const prefix = `pulse-bench-store-${randomBytes(6).toString('hex')}`;
const now = Date.now();
const trusts = (n: number, tag: string): Attribution[] =>
  Array.from({ length: n }, (_, i) => ({
    trust: `${tag}${i}`,
    icb: `I${i % 4}`,
    region: `R${i % 2}`,
  }));

/** The counters of a realistic event mix (ED, handovers, admissions, discharges, RTT). */
const MIX: CounterFigure[][] = [
  ['ed_attendances'],
  ['ed_attendances', 'ed_attendances_ambulance'],
  ['ed_departures', 'ed_departures_within_4h'],
  ['ed_departures', 'ed_departures_admitted'],
  ['ambulance_handovers', 'ambulance_handovers_over_30m', 'ambulance_handover_ms_lost'],
  ['admissions_emergency'],
  ['admissions_elective'],
  ['discharges_home'],
  ['discharges_other'],
  ['rtt_clock_starts_recorded'],
  ['rtt_clock_stops'],
];
const GROUPS: AgeGroup[] = ['adult', 'adult', 'adult', 'child', 'unknown'];

/** A random item (state ops colliding in every order) with counters from the realistic mix. */
function realistic(item: PlanItem, n: number): PlanItem {
  const group = GROUPS[n % GROUPS.length]!;
  const counters = MIX[n % MIX.length]!.map((figure) => ({
    figure,
    group,
    by: figure.endsWith('ms_lost') ? 60_000 : 1,
  }));
  const family = FIGURE_FAMILY[counters[0]?.figure ?? 'ed_attendances'];
  return { ...item, effects: { family, counters, state: item.effects.state.slice(0, 1) } };
}

function makeBatches(
  count: number,
  from: number,
  span: number,
  attributions: Attribution[],
  seed: number,
) {
  const events = randomEvents(seed, from, span);
  let n = seed;
  return Array.from({ length: count }, (_, b) =>
    Array.from({ length: BATCH }, (_, i) => {
      n = (n * 7 + 13) % 1_000_003;
      return realistic(events.next(attributions[(b * BATCH + i) % attributions.length]!), n);
    }),
  );
}

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

/** Events/s of `run` over all batches, median of the rounds (each round on fresh offsets). */
async function rate(
  rounds: number,
  batches: PlanItem[][],
  run: (items: PlanItem[], round: number) => Promise<unknown>,
) {
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    for (const items of batches) await run(items, r);
    rates.push((batches.length * BATCH) / ((performance.now() - start) / 1000));
  }
  return median(rates);
}

async function unlinkPrefix(): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length > 0) await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}

async function throughput() {
  const store = createFigureStore(redis, { prefix, topic: TOPIC });
  const options = resolveStoreOptions({ prefix, topic: TOPIC });
  const attributions = trusts(TRUSTS_PER_PARTITION, 'T');
  // Events of the last hour: a live partition's buckets.
  const batches = makeBatches(BATCHES, now - HOUR, HOUR, attributions, 1);
  const warm = makeBatches(5, now - HOUR, HOUR, attributions, 2);
  const offsets = new Map<number, number>();
  const applyAll = async (items: PlanItem[], partition: number) => {
    const first = offsets.get(partition) ?? 0;
    const { result } = await probeAndApply(store, { partition, first, items, clock: now });
    if (!result.applied) throw new Error('bench: fenced out');
    offsets.set(partition, first + items.length);
  };
  for (const items of warm) await applyAll(items, 99);
  const full = await rate(ROUNDS, batches, (items, round) => applyAll(items, round));

  const planOnly = await rate(ROUNDS, batches, async (items, round) =>
    encodePlan(
      planBatch(
        {
          partition: round,
          storedOffset: null,
          firstOffset: '0',
          nextOffset: '1',
          items,
          clock: now,
        },
        options,
      ),
    ),
  );

  // What one batch's plan holds, for the baselines.
  const sample = planBatch(
    {
      partition: 0,
      storedOffset: null,
      firstOffset: '0',
      nextOffset: '1',
      items: batches[0]!,
      clock: now,
    },
    options,
  );
  const fields = [...sample.increments.values()].reduce((n, f) => n + f.size, 0);
  const unsummed = batches[0]!.reduce(
    (n, item) => n + item.effects.counters.length * item.buckets.length * 4,
    0,
  );
  const encoded = encodePlan(sample);

  const rawKey = `${prefix}:{raw}:h`;
  const pipelineOf = (commands: number) => async () => {
    const pipeline = redis.pipeline();
    for (let i = 0; i < commands; i++) pipeline.hincrby(rawKey, `f${i % 500}`, 1);
    await pipeline.exec();
  };
  const rawPerEvent = await rate(ROUNDS, batches, pipelineOf(BATCH));
  const rawUnsummed = await rate(ROUNDS, batches, pipelineOf(unsummed));
  return {
    full,
    planOnly,
    rawPerEvent,
    rawUnsummed,
    fields,
    unsummed,
    keys: encoded.keys.length,
    argv: encoded.argv.length,
  };
}

async function memoryPerTrustDay() {
  const store = createFigureStore(redis, { prefix: `${prefix}-mem`, topic: TOPIC });
  const TRUSTS = 20;
  const PER_TRUST_DAY = 1_500; // ED, admissions, discharges, CTR, RTT and bed states of a mid-size trust
  const batches = makeBatches(
    (TRUSTS * PER_TRUST_DAY) / BATCH,
    now - DAY,
    DAY,
    trusts(TRUSTS, 'M'),
    3,
  );
  const before = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))![1]);
  let offset = 0;
  for (const items of batches) {
    await probeAndApply(store, { partition: 0, first: offset, items, clock: now });
    offset += items.length;
  }
  const after = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))![1]);
  let usage = 0;
  let keys = 0;
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${prefix}-mem:*`, 'COUNT', 1000);
    for (const key of found) usage += (await redis.memory('USAGE', key)) ?? 0;
    keys += found.length;
    if (found.length > 0) await redis.unlink(...found);
    cursor = next;
  } while (cursor !== '0');
  return {
    events: TRUSTS * PER_TRUST_DAY,
    perTrustDay: usage / TRUSTS,
    usedDelta: (after - before) / TRUSTS,
    keys,
  };
}

async function main() {
  const machine = machineInfo();
  console.log(`machine: ${describeMachine(machine)}`);
  const redisVersion = /redis_version:(\S+)/.exec(await redis.info('server'))?.[1] ?? '?';
  try {
    const t = await throughput();
    const m = await memoryPerTrustDay();
    const body = [
      `One partition, ${TRUSTS_PER_PARTITION} trusts, batches of ${BATCH.toLocaleString('en-GB')} events of the last hour ` +
        `(a realistic counter mix of 1–3 increments, 0–1 state op, 10% resends), Redis ${redisVersion} on the same machine, ` +
        `one connection, batches in sequence. A batch's plan: ${t.fields.toLocaleString('en-GB')} summed HINCRBY fields over ` +
        `${t.keys} keys (${t.unsummed.toLocaleString('en-GB')} increments unsummed), ${t.argv.toLocaleString('en-GB')} ARGV entries.`,
      '',
      markdownTable(
        ['path', 'events/s', 'vs raw pipeline (1 HINCRBY/event)'],
        [
          [
            'probe + plan + apply (2 round trips per batch)',
            t.full,
            `${((t.full / t.rawPerEvent) * 100).toFixed(0)}%`,
          ],
          ['plan + encode only (CPU, no Redis)', t.planOnly, '—'],
          ['raw: pipeline of 1 HINCRBY per event', t.rawPerEvent, '100%'],
          [
            'raw: pipeline of every unsummed increment',
            t.rawUnsummed,
            `${((t.rawUnsummed / t.rawPerEvent) * 100).toFixed(0)}%`,
          ],
        ],
      ),
      '',
      `Memory: ${m.events.toLocaleString('en-GB')} events over one day for 20 trusts (${m.keys} keys): ` +
        `${(m.perTrustDay / 1024).toFixed(0)} KiB per trust-day by MEMORY USAGE ` +
        `(${(m.usedDelta / 1024).toFixed(0)} KiB by used_memory delta), seen ids and shared ICB/region/England keys included.`,
    ].join('\n');
    console.log(body);
    const path = writeSection({
      id: 'store-apply',
      title: 'Figure store: plan + apply',
      body,
      machine,
      date: new Date(),
    });
    console.log(`written to ${path}`);
  } finally {
    await unlinkPrefix();
    redis.disconnect();
  }
}

await main();
