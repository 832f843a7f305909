// Probe, plan and apply as the aggregator does; no test runner needed (the benchmark uses it).
import type { ApplyResult, BatchPlan, FigureStore, PlanItem } from '../../src/index.js';

/** Probes, plans and applies items as the records at offsets first.., fenced by the probe. */
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
    discharged: probe.discharged,
    sampledUntil: probe.sampledUntil,
    clock,
  });
  return { plan, result: await store.apply(plan) };
}
