// The writer side: probe a partition batch, then apply its plan in one fenced Lua script.
import { DAY_MS } from '@pulse/kpi';
import { defineScript, type Redis } from '@pulse/redis';
import { encodePlan } from './encode.js';
import { StoreError } from './errors.js';
import { partitionKey, partitionKeys, utcDayOf } from './keys.js';
import { readScript } from './lua/scripts.js';
import { execPipeline } from './pipeline.js';
import type { ResolvedStoreOptions, StoreOptions } from './options.js';
import { resolveStoreOptions } from './options.js';
import type { BatchPlan, PlanInput } from './plan.js';
import { planBatch } from './plan.js';

/** What the probe needs of an event: its id and the UTC day whose seen-set may hold it. */
export interface ProbeEvent {
  eventId: string;
  occurredAt: number;
}

export interface ProbeResult {
  /** The next offset to apply, or null before the partition's first apply. */
  storedOffset: string | null;
  /** Those of the probed ids already applied. */
  seen: Set<string>;
}

/** Fenced out: the partition's stored offset now (null: none stored). */
export type ApplyResult = { applied: true } | { applied: false; storedOffset: string | null };

export interface FigureStore {
  readonly options: ResolvedStoreOptions;
  storedOffset(partition: number): Promise<string | null>;
  /** One round trip: the stored offset and which ids are already seen. */
  probe(partition: number, events: readonly ProbeEvent[]): Promise<ProbeResult>;
  /** planBatch with this store's options. */
  plan(input: PlanInput): BatchPlan;
  /**
   * One round trip: applies the plan if the stored offset is still its fence. Rejects a plan past
   * MAX_PLAN_ARGUMENTS with PLAN_TOO_LARGE before sending anything.
   */
  apply(plan: BatchPlan): Promise<ApplyResult>;
}

export function createFigureStore(redis: Redis, options: StoreOptions): FigureStore {
  const resolved = resolveStoreOptions(options);
  // EVALSHA, with EVAL after a NOSCRIPT; as many keys as the plan has.
  const run = defineScript(redis, { name: 'pulseStoreApply', lua: readScript('apply') });
  const keysOf = (partition: number) =>
    partitionKeys(partitionKey(resolved.prefix, resolved.topic, partition));

  return {
    options: resolved,

    storedOffset: (partition) => redis.get(keysOf(partition).offset),

    async probe(partition, events) {
      const keys = keysOf(partition);
      // Ids by UTC day number; the day's key is built once per day, not per event.
      const byDay = new Map<number, string[]>();
      for (const event of events) {
        const day = Math.floor(event.occurredAt / DAY_MS);
        let ids = byDay.get(day);
        if (!ids) byDay.set(day, (ids = []));
        ids.push(event.eventId);
      }
      const pipeline = redis.pipeline().get(keys.offset);
      for (const [day, ids] of byDay)
        pipeline.smismember(keys.seen(utcDayOf(day * DAY_MS).day), ids);
      const [storedOffset, ...flags] = (await execPipeline(pipeline)) as [
        string | null,
        ...number[][],
      ];
      const seen = new Set<string>();
      [...byDay.values()].forEach((ids, d) =>
        flags[d]!.forEach((flag, j) => flag === 1 && seen.add(ids[j]!)),
      );
      return { storedOffset, seen };
    },

    plan: (input) => planBatch(input, resolved),

    async apply(plan) {
      const { keys, argv } = encodePlan(plan);
      const reply = await run(keys, argv);
      if (!Array.isArray(reply))
        throw new StoreError('BAD_REPLY', `apply: unexpected reply ${String(reply)}`);
      if (reply[0] === 1) return { applied: true };
      return { applied: false, storedOffset: reply[1] == null ? null : String(reply[1]) };
    },
  };
}
