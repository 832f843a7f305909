// A full simulated week for every trust, written into Redis the way the aggregator writes it
// (effects, attribution, buckets → the store's plan → its fenced Lua apply), without Kafka: the
// simulator's generator feeds plan + apply directly, in batches per partition, in order.
import { keyPartitioner } from '@pulse/kafka';
import { bucketsOf, effectsOf, londonDateOf } from '@pulse/kpi';
import type { Redis } from '@pulse/redis';
import type { RefData } from '@pulse/refdata';
import { createFigureStore, planFits, type PlanItem } from '@pulse/store';
import { generateActivity } from 'simulator';

export interface LoadOptions {
  prefix: string;
  topic: string;
  partitions: number;
  from: number;
  to: number;
  /** Share of England's RTT waiting list (the simulator's --rtt-scale). */
  rttScale: number;
}

export interface LoadResult {
  events: number;
  trusts: number;
  seconds: number;
}

/** Items per apply: well under the store's script argument limit. */
const BATCH = 2_000;

export async function loadWeek(
  redis: Redis,
  refdata: RefData,
  options: LoadOptions,
): Promise<LoadResult> {
  const started = performance.now();
  const store = createFigureStore(redis, {
    prefix: options.prefix,
    topic: options.topic,
    refdata,
  });
  const openTrusts = refdata.trusts(londonDateOf(options.from));
  // Each trust's events on the partition its Kafka key puts them on (feeds-api reads it there).
  const keyed = keyPartitioner(options.partitions);
  const partitionOf = new Map(openTrusts.map((t) => [t.odsCode, keyed(t.odsCode)]));
  const pending: PlanItem[][] = Array.from({ length: options.partitions }, () => []);
  const offsets = new Array<number>(options.partitions).fill(0);
  const clock = options.to;
  let events = 0;

  const flush = async (partition: number) => {
    const items = pending[partition]!;
    pending[partition] = [];
    await applyItems(partition, items);
  };
  const applyItems = async (partition: number, items: PlanItem[]): Promise<void> => {
    if (items.length === 0) return;
    const first = offsets[partition]!;
    offsets[partition] = first + items.length;
    const plan = store.plan({
      partition,
      // The fence: where the partition stands (this loader is its only writer).
      storedOffset: await store.storedOffset(partition),
      firstOffset: String(first),
      nextOffset: String(first + items.length),
      items,
      // Generated ids are unique: no seen ids to probe for.
      seen: new Set(),
      clock,
    });
    if (!planFits(plan) && items.length > 1) {
      // Too many arguments for one script (state-heavy events, such as the seeded waiting
      // list): apply the halves, each its own fenced plan.
      offsets[partition] = first;
      const half = Math.ceil(items.length / 2);
      await applyItems(partition, items.slice(0, half));
      await applyItems(partition, items.slice(half));
      return;
    }
    const result = await store.apply(plan);
    if (!result.applied)
      throw new Error(`partition ${partition}: fenced at ${result.storedOffset}`);
  };

  const stream = generateActivity({
    seed: 'feeds-api-bench',
    from: options.from,
    to: options.to,
    trusts: openTrusts,
    openTrusts,
    rttScale: options.rttScale,
  });
  for (const event of stream) {
    const resolved = refdata.resolveProvider(event.providerOds, londonDateOf(event.occurredAt));
    if (resolved.status !== 'ok') continue;
    const partition = partitionOf.get(event.providerOds)!;
    pending[partition]!.push({
      eventId: event.eventId,
      providerOds: event.providerOds,
      occurredAt: event.occurredAt,
      attribution: {
        trust: event.providerOds,
        icb: resolved.icb.code,
        region: resolved.region.code,
      },
      buckets: bucketsOf(event.occurredAt),
      effects: effectsOf(event),
    });
    events++;
    if (pending[partition]!.length >= BATCH) await flush(partition);
  }
  for (let partition = 0; partition < options.partitions; partition++) await flush(partition);
  return { events, trusts: openTrusts.length, seconds: (performance.now() - started) / 1000 };
}
