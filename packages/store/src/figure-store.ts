// The writer side: probe a partition batch, then apply its plan in one fenced Lua script.
import { AGE_GROUPS, DAY_MS, type StateOp } from '@pulse/kpi';
import { defineScript, type Redis } from '@pulse/redis';
import { encodePlan } from './encode.js';
import { sampleKeys } from './gauge-samples.js';
import { StoreError } from './errors.js';
import { partitionKey, partitionKeys, utcDayOf } from './keys.js';
import { applyScript } from './lua/scripts.js';
import { execPipeline } from './pipeline.js';
import { checkNotRetired } from './prefixes.js';
import type { ResolvedStoreOptions, StoreOptions } from './options.js';
import { resolveStoreOptions } from './options.js';
import type { BatchPlan, DischargeRecord, PlanInput } from './plan.js';
import { planBatch, spellOf } from './plan.js';

/**
 * What the probe needs of an event: its id and the UTC day whose seen-set may hold it; and, for
 * the spells its state ops name (criteria-to-reside changes, discharges), its provider and
 * effects, so the probe reads those spells' stored discharges too. A PlanItem is one.
 */
export interface ProbeEvent {
  eventId: string;
  occurredAt: number;
  providerOds?: string;
  effects?: { state: readonly StateOp[] };
}

export interface ProbeResult {
  /** The next offset to apply, or null before the partition's first apply. */
  storedOffset: string | null;
  /** Those of the probed ids already applied. */
  seen: Set<string>;
  /** The stored first discharges of the batch's spells (spellOf): PlanInput.discharged. */
  discharged: Map<string, DischargeRecord>;
  /** The batch's trusts' last gauge-sample ends (PlanInput.sampledUntil). */
  sampledUntil: Map<string, number>;
}

/** The spells an event's criteria-to-reside changes and discharges name. */
function* spellsNamed(event: ProbeEvent): Generator<{ ods: string; spellId: string }> {
  if (event.providerOds === undefined) return;
  for (const op of event.effects?.state ?? []) {
    if (op.op === 'ctr' || op.op === 'discharge')
      yield { ods: event.providerOds, spellId: op.spellId };
  }
}

/** A spell record's discharge ('at|counted|group|icb|region|history'), if discharged. */
function dischargeIn(record: string | null): DischargeRecord | undefined {
  if (record === null) return undefined;
  const [at, , group, icb, region] = record.split('|');
  if (!at) return undefined;
  return { at: Number(at), group: AGE_GROUPS[Number(group) - 1]!, icb: icb!, region: region! };
}

/** Fenced out: the partition's stored offset now (null: none stored). */
export type ApplyResult = { applied: true } | { applied: false; storedOffset: string | null };

export interface FigureStore {
  readonly options: ResolvedStoreOptions;
  /** Throws PrefixRetiredError (as probe and apply do) once a rebuild retired the prefix. */
  storedOffset(partition: number): Promise<string | null>;
  /** One round trip: the stored offset and which ids are already seen. */
  probe(partition: number, events: readonly ProbeEvent[]): Promise<ProbeResult>;
  /** planBatch with this store's options and, unless the input has one, the writer's clock. */
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
  const run = defineScript(redis, { name: 'pulseStoreApply', lua: applyScript() });
  const keysOf = (partition: number) =>
    partitionKeys(partitionKey(resolved.prefix, resolved.topic, partition));
  const samples = (partition: number) =>
    sampleKeys(partitionKey(resolved.prefix, resolved.topic, partition));

  return {
    options: resolved,

    storedOffset: async (partition) =>
      checkNotRetired(resolved.prefix, await redis.get(keysOf(partition).offset)),

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
      // Spells of criteria-to-reside changes and discharges, by provider: their stored discharge.
      const spells = new Map<string, Set<string>>();
      for (const event of events) {
        for (const { ods, spellId } of spellsNamed(event)) {
          let ids = spells.get(ods);
          if (!ids) spells.set(ods, (ids = new Set()));
          ids.add(spellId);
        }
      }
      const pipeline = redis.pipeline().get(keys.offset);
      for (const [day, ids] of byDay)
        pipeline.smismember(keys.seen(utcDayOf(day * DAY_MS).day), ids);
      for (const [ods, ids] of spells) pipeline.hmget(keys.spell(ods), ...ids);
      // Gauge history: where each of the batch's trusts was sampled until.
      const providers = [
        ...new Set(events.flatMap((e) => (e.providerOds === undefined ? [] : [e.providerOds]))),
      ];
      if (providers.length > 0) pipeline.hmget(samples(partition).sampledUntil, ...providers);
      const [storedOffset, ...replies] = (await execPipeline(pipeline)) as [
        string | null,
        ...unknown[][],
      ];
      checkNotRetired(resolved.prefix, storedOffset);
      const seen = new Set<string>();
      [...byDay.values()].forEach((ids, d) =>
        (replies[d] as number[]).forEach((flag, j) => flag === 1 && seen.add(ids[j]!)),
      );
      const discharged = new Map<string, DischargeRecord>();
      [...spells].forEach(([ods, ids], s) => {
        const records = replies[byDay.size + s] as (string | null)[];
        [...ids].forEach((spellId, j) => {
          const discharge = dischargeIn(records[j] ?? null);
          if (discharge) discharged.set(spellOf(ods, spellId), discharge);
        });
      });
      const sampledUntil = new Map<string, number>();
      const untils = (replies[byDay.size + spells.size] ?? []) as (string | null)[];
      providers.forEach((ods, j) => {
        if (untils[j] != null) sampledUntil.set(ods, Number(untils[j]));
      });
      return { storedOffset, seen, discharged, sampledUntil };
    },

    // The writer's clock keeps a replayed day's seen ids alive (PlanInput.now).
    plan: (input) => planBatch({ now: Date.now() + resolved.clockOffsetMs, ...input }, resolved),

    async apply(plan) {
      const { keys, argv } = encodePlan(plan);
      const reply = await run(keys, argv);
      if (!Array.isArray(reply))
        throw new StoreError('BAD_REPLY', `apply: unexpected reply ${String(reply)}`);
      if (reply[0] === 1) return { applied: true };
      const stored = checkNotRetired(resolved.prefix, reply[1] == null ? null : String(reply[1]));
      return { applied: false, storedOffset: stored };
    },
  };
}
