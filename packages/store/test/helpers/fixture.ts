import type { RefData } from '@pulse/refdata';
import type {
  ApplyResult,
  BatchPlan,
  FigureReader,
  FigureStore,
  PlanItem,
} from '../../src/index.js';
import { createFigureReader, createFigureStore } from '../../src/index.js';
import type { TestRedis } from './redis.js';
import { testRedis } from './redis.js';

export const TOPIC = 'nhs.activity.v1';

export interface StoreFixture {
  t: TestRedis;
  store: FigureStore;
  reader: FigureReader;
}

/** A store and a reader over a fresh key prefix; `t.close()` removes the prefix's keys. */
export async function storeFixture(partitions: number, refdata: RefData): Promise<StoreFixture> {
  const t = await testRedis();
  const space = { prefix: t.prefix, topic: TOPIC };
  return {
    t,
    store: createFigureStore(t.redis, space),
    reader: createFigureReader(t.redis, { ...space, partitions, refdata }),
  };
}

/** Probes, plans and applies items as the records at offsets first.., as the aggregator does. */
export async function probeAndApply(
  store: FigureStore,
  batch: { partition: number; first: number; items: PlanItem[]; clock: number },
): Promise<{ plan: BatchPlan; result: ApplyResult }> {
  const { partition, first, items, clock } = batch;
  const probe = await store.probe(partition, items);
  const plan = store.plan({
    partition,
    storedOffset: probe.storedOffset,
    firstOffset: String(first),
    nextOffset: String(first + items.length),
    items,
    seen: probe.seen,
    clock,
  });
  return { plan, result: await store.apply(plan) };
}
