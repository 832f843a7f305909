// The two recovery paths inside one partition batch, on the real Redis and the real store:
// - fence, then re-probe: two consumers race on one partition; the one whose apply is fenced out
//   re-probes, skips what the other applied, re-plans the remainder and applies only that;
// - split: a chunk whose plan exceeds @pulse/store's MAX_PLAN_ARGUMENTS is applied in smaller
//   parts, each its own fenced apply, and no plan past the limit ever reaches apply.
// Both end with every figure equal to the brute-force oracle over the records in offset order.
import { createCodec } from '@pulse/contracts';
import type { ActivityEvent } from '@pulse/contracts';
import { londonDayBounds } from '@pulse/kpi';
import { BruteForce, type SentRecord } from '@pulse/verify';
import { createRedis } from '@pulse/redis';
import {
  createFigureReader,
  createFigureStore,
  MAX_PLAN_ARGUMENTS,
  planArguments,
  planFits,
} from '@pulse/store';
import type { ApplyResult, BatchPlan, FigureStore } from '@pulse/store';
import { redisPrefix, releaseAfterTest, testInfra, testLogger, uniqueName } from '@pulse/testkit';
import { describe, expect, it } from 'vitest';
import { AGGREGATOR_REDIS_OPTIONS } from '../src/aggregator.js';
import { processPartitionBatch } from '../src/partition-batch.js';
import type { BatchControl, BatchRecord, PartitionBatchDeps } from '../src/partition-batch.js';
import { compareWithOracle } from './helpers/compare.js';
import { refdata, resolver, isKnownProvider } from './helpers/harness.js';
import { dayEvents } from './helpers/traffic.js';
import { DAY_MS as DAY } from '@pulse/kpi';

const DATE = '2026-05-20';
const PARTITION = 0;
const codec = createCodec();
// When the records were received (their Kafka timestamp): an hour after the simulated London day
// ends (a replay).
const CLOCK = londonDayBounds(DATE).end + 3_600_000;

const control: BatchControl = {
  resolveOffset: () => {},
  heartbeat: async () => {},
  canContinue: () => true,
  seek: () => {},
};

/** One partition's Redis space: the real store and reader under a fresh prefix and topic. */
async function partitionSpace() {
  const redis = createRedis(testInfra().redisUrl, {
    logger: testLogger(),
    name: 'agg-split-fence',
    options: AGGREGATOR_REDIS_OPTIONS,
  });
  releaseAfterTest('agg-split-fence redis', async () => void (await redis.quit()));
  await redis.connect();
  const prefix = redisPrefix('agg-sf');
  const topic = uniqueName('agg-sf');
  const store = createFigureStore(redis, {
    prefix,
    topic,
    clockOffsetMs: CLOCK - Date.now(),
    refdata: refdata(),
  });
  const reader = createFigureReader(redis, { prefix, topic, partitions: 1, refdata: refdata() });
  return { store, reader, topic };
}

interface Observed {
  applied: number[];
  fenced: (string | null)[];
  skipped: number[];
}

/** A consumer's own deps (seek memory, observer) over a store. */
function consumer(store: Pick<FigureStore, 'probe' | 'plan' | 'apply'>, maxApplyRecords: number) {
  const seen: Observed = { applied: [], fenced: [], skipped: [] };
  const deps: PartitionBatchDeps = {
    store,
    sendDeadLetters: async () => {
      throw new Error('no record of these tests is rejected');
    },
    classifyContext: () => ({
      codec,
      refdata: refdata(),
      graceMs: 14 * DAY,
      maxFutureMs: 5 * 60_000,
    }),
    maxApplyRecords,
    observer: {
      applied: (_, chunk) => seen.applied.push(chunk.records),
      fenced: (_, storedOffset) => seen.fenced.push(storedOffset),
      skipped: (_, records) => seen.skipped.push(records),
    },
    soughtTo: new Map(),
    onGap: () => {
      throw new Error('no batch of these tests begins past the stored offset');
    },
    // Per-partition chunk sizing memory, for a processor that keeps one (ignored otherwise).
    ...{ argumentsPerRecord: new Map<number, number>() },
  };
  return { deps, seen };
}

/** Records at offsets 0.. of the events in order, keyed by provider as the simulator sends them. */
function recordsOf(events: readonly ActivityEvent[]): BatchRecord[] {
  return events.map((event, offset) => ({
    offset: String(offset),
    key: Buffer.from(event.providerOds),
    value: codec.encode(event),
    timestamp: String(CLOCK),
  }));
}

/** A London day of activity at these trusts, with every `every`-th event resent later on. */
function traffic(trusts: readonly string[], limit: number, every: number): ActivityEvent[] {
  const events: ActivityEvent[] = [];
  for (const event of dayEvents({ date: DATE, trusts })) {
    if (events.length >= limit) break;
    events.push(event);
  }
  // Resends a little later, as a retrying EPR would: same id, same key, so the same partition.
  const out: ActivityEvent[] = [];
  events.forEach((event, i) => {
    out.push(event);
    if (i >= 150 && i % every === 0) out.push(events[i - 150]!);
  });
  return out;
}

async function expectExact(
  reader: ReturnType<typeof createFigureReader>,
  events: readonly ActivityEvent[],
  label: string,
) {
  const sent: SentRecord[] = events.map((event) => ({ event }));
  const oracle = new BruteForce(sent, { resolve: resolver(), isKnownProvider, clock: CLOCK });
  const duplicates = [...oracle.dataQuality.values()].reduce((n, q) => n + q.duplicates, 0);
  const summary = await compareWithOracle(reader, oracle, { dates: [DATE] });
  console.info(
    `${label}: ${events.length} records (${duplicates} resent), ${summary.scopes} scopes, ${summary.values} values compared, ${summary.mismatchCount} different`,
  );
  expect(duplicates).toBeGreaterThan(0);
  expect(summary.mismatches).toEqual([]);
}

describe('partition batch recovery paths on the real store', () => {
  it('partition batch should re-probe after a fenced apply and apply only the records the other consumer had not', async () => {
    const { store, reader } = await partitionSpace();
    const events = traffic(['RGT', 'RJ1'], 700, 7);
    const records = recordsOf(events);
    const overlap = 300;

    // A: the partition's new owner, with the first records. B: the old owner, with all of them.
    const a = consumer(store, 1_000);
    const fences: ApplyResult[] = [];
    const plans: BatchPlan[] = [];
    let raced = false;
    const b = consumer(
      {
        probe: (partition, probed) => store.probe(partition, probed),
        plan: (input) => {
          const plan = store.plan(input);
          plans.push(plan);
          return plan;
        },
        async apply(plan) {
          if (!raced) {
            // B has probed (nothing stored) and planned every record; A applies its batch first.
            raced = true;
            const done = await processPartitionBatch(
              { topic: 't', partition: PARTITION, records: records.slice(0, overlap) },
              control,
              a.deps,
            );
            expect(done).toEqual({ nextOffset: String(overlap), abandoned: false });
          }
          const result = await store.apply(plan);
          fences.push(result);
          return result;
        },
      },
      1_000,
    );
    const outcome = await processPartitionBatch(
      { topic: 't', partition: PARTITION, records },
      control,
      b.deps,
    );

    expect(outcome).toEqual({ nextOffset: String(records.length), abandoned: false });
    expect(a.seen).toEqual({ applied: [overlap], fenced: [], skipped: [] });
    // B's first apply was fenced out (it probed "none stored"); its second went through.
    expect(fences).toEqual([{ applied: false, storedOffset: String(overlap) }, { applied: true }]);
    expect(plans.map((p) => [p.fence, p.next])).toEqual([
      [null, String(records.length)],
      [String(overlap), String(records.length)],
    ]);
    expect(b.seen).toEqual({
      applied: [records.length - overlap],
      fenced: [String(overlap)],
      skipped: [overlap],
    });
    expect(await store.storedOffset(PARTITION)).toBe(String(records.length));
    await expectExact(reader, events, 'fence');
  });

  it('partition batch should apply a chunk whose plan exceeds MAX_PLAN_ARGUMENTS in parts that fit, each its own fenced apply', async () => {
    const { store, reader } = await partitionSpace();
    // Realistic records take ~20 script arguments each: 6,000 in one chunk is over 100,000.
    const events = traffic(['RGT', 'RJ1', 'RRK', 'R0A', 'RTH', 'RYJ'], 6_000, 20);
    const records = recordsOf(events);
    const plans: { fence: string | null; first: string; next: string; args: number }[] = [];
    const applied: { fence: string | null; next: string; args: number }[] = [];
    const { deps, seen } = consumer(
      {
        probe: (partition, probed) => store.probe(partition, probed),
        plan: (input) => {
          const plan = store.plan(input);
          const entry = { fence: plan.fence, first: input.firstOffset, next: plan.next };
          plans.push({ ...entry, args: planArguments(plan) });
          return plan;
        },
        async apply(plan) {
          // Never sent past the limit (the store would refuse it with PLAN_TOO_LARGE).
          expect(planFits(plan)).toBe(true);
          applied.push({ fence: plan.fence, next: plan.next, args: planArguments(plan) });
          return store.apply(plan);
        },
      },
      records.length,
    );
    const outcome = await processPartitionBatch(
      { topic: 't', partition: PARTITION, records },
      control,
      deps,
    );

    expect(outcome).toEqual({ nextOffset: String(records.length), abandoned: false });
    // The whole batch was one chunk, planned once and found too large: it never reached apply.
    expect(plans[0]).toMatchObject({ fence: null, first: '0', next: String(records.length) });
    expect(plans[0]!.args).toBeGreaterThan(MAX_PLAN_ARGUMENTS);
    expect(applied.length).toBeGreaterThan(1);
    // The parts cover the batch in order, each fenced on where the one before left the partition.
    expect(applied[0]!.fence).toBeNull();
    applied.slice(1).forEach((part, i) => expect(part.fence).toBe(applied[i]!.next));
    expect(applied.at(-1)!.next).toBe(String(records.length));
    expect(seen.applied.reduce((n, r) => n + r, 0)).toBe(records.length);
    expect(seen.fenced).toEqual([]);
    expect(await store.storedOffset(PARTITION)).toBe(String(records.length));
    console.info(
      `split: ${records.length} records, whole chunk ${plans[0]!.args} arguments (limit ${MAX_PLAN_ARGUMENTS}), ${plans.length} plans, applied in ${applied.length} parts of ${seen.applied.join(', ')} records (${applied.map((p) => p.args).join(', ')} arguments)`,
    );
    await expectExact(reader, events, 'split');
  });
});
