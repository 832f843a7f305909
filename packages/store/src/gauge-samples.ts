// Gauge history in Redis (docs/aggregation.md, "Gauge history"): the keys, the plan's sample ops
// and the packed values. The writer side: the plan inserts a sample op before each applied event
// that crosses 15-minute ends of its trust (@pulse/kpi sampleCrossing); the apply script
// (lua/sample.lua) evaluates the trust's gauges as of each end and adds them into the sample
// hashes of the trust and its ICB, region and England. Kept apart from the live-gauge code.
import type { Redis, ScriptCall } from '@pulse/redis';
import {
  AGE_GROUPS,
  bucketForId,
  GAUGE_OVER,
  STATE_WINDOW_MS,
  emptyBedFigures,
  emptyGaugeFigures,
  sampleCrossing,
  sampleDateOf,
  sampleTargets,
  scopesOf,
  type Attribution,
  type BedFigures,
  type Bucket,
  type BucketSize,
  type GaugeFigure,
  type GaugeFigures,
  type Resolver,
} from '@pulse/kpi';
import { execPipeline } from './pipeline.js';
import type { GroupKeys } from './plan.js';

/** The gauge sample keys of one partition (`<p>` = `<prefix>:{<topic>:<partition>}`). */
export function sampleKeys(p: string) {
  return {
    /** Hash: `<scope>` (and, in a 1d hash, `b:<scope>` for 08:00 beds) -> packed sample sums. */
    samples: (size: BucketSize, bucketId: string) => `${p}:gh:${size}:${bucketId}`,
    /** Hash: trust ODS -> the last 15-minute end it was sampled at (or started from). */
    sampledUntil: `${p}:ghu`,
  };
}

/** The field of a scope's sample in a sample hash; `beds`: the daily 08:00 beds sample. */
export function sampleField(scope: string, beds: boolean): string {
  return beds ? `b:${scope}` : scope;
}

/**
 * Packed sample sums, comma-separated integers: the number of trusts sampled, then per age group
 * (AGE_GROUPS order) the figures of SAMPLED_FIGURES, then G&A beds open and occupied.
 */
export const SAMPLED_FIGURES: readonly GaugeFigure[] = [
  'ed_in_department',
  'rtt_waiting',
  'ctr_not_meeting',
  ...GAUGE_OVER.map((over) => over.figure),
];

export interface SampleSums {
  /** Trusts of the scope sampled at the instant (the point's coverage). */
  sampled: number;
  gauges: GaugeFigures;
  beds: BedFigures;
}

export function emptySampleSums(): SampleSums {
  return { sampled: 0, gauges: emptyGaugeFigures(), beds: emptyBedFigures() };
}

/** Adds a packed value (as the apply script writes it) into sums; null or '' adds nothing. */
export function addPacked(sums: SampleSums, packed: string | null | undefined): void {
  if (!packed) return;
  const values = packed.split(',').map(Number);
  sums.sampled += values[0]!;
  let at = 1;
  for (const group of AGE_GROUPS) {
    for (const figure of SAMPLED_FIGURES) {
      const split = sums.gauges[figure];
      split[group] += values[at]!;
      split.total += values[at]!;
      at++;
    }
  }
  sums.beds.ga_beds_open += values[at]!;
  sums.beds.ga_beds_occupied += values[at + 1]!;
}

/** One sample: the trust's gauge keys, the bounds as of the end, and where its sums go. */
export interface PlannedSample {
  op: 'sample';
  ods: string;
  /** The 15-minute end sampled. */
  at: number;
  ed: GroupKeys;
  rtt: GroupKeys;
  ctr: GroupKeys;
  beds: string;
  /** Lowest score still counted in the ed, rtt and ctr sets (the state windows). */
  since: readonly [number, number, number];
  /** Per GAUGE_OVER: the set and the ZCOUNT max bound (`(` when exclusive). */
  over: readonly (readonly ['ed' | 'rtt', string])[];
  /** Hash and field each sample adds into. */
  targets: readonly { key: string; field: string }[];
}

/** What the plan gives the sampler. */
export interface SamplerContext {
  keys: ReturnType<typeof sampleKeys>;
  /** The trust's gauge keys (as the live-gauge reader reads them). */
  gaugeKeys(ods: string): { ed: GroupKeys; rtt: GroupKeys; ctr: GroupKeys; beds: string };
  grace: number;
  retention: Record<BucketSize, number>;
  /** The probe's sampledUntil of the batch's trusts (absent: not started). */
  sampledUntil?: ReadonlyMap<string, number>;
  /** The trust's ICB and region on a sample's date; absent: the event's own attribution. */
  resolve?: Resolver;
  /** Registers a key's expiry (writer's clock). */
  expire(key: string, at: number): void;
  /** Stores value in hash key field if greater (the plan's maxima). */
  max(key: string, field: string, value: number): void;
}

/** The sample ops of a batch, event by event, and the trusts' new sampledUntil at the end. */
export function createSampler(ctx: SamplerContext) {
  const until = new Map<string, number | undefined>();
  const untilOf = (ods: string) => (until.has(ods) ? until.get(ods) : ctx.sampledUntil?.get(ods));
  return {
    /** Sample ops to run before this applied event's state ops. */
    cross(item: {
      providerOds: string;
      occurredAt: number;
      recordTime?: number;
      attribution: Attribution;
    }): PlannedSample[] {
      const ods = item.providerOds;
      const crossing = sampleCrossing(untilOf(ods), item.occurredAt, item.recordTime, ctx.grace);
      until.set(ods, crossing.until);
      const ops: PlannedSample[] = [];
      for (const at of crossing.ends) {
        const parents = ctx.resolve ? ctx.resolve(ods, sampleDateOf(at)) : item.attribution;
        // A trust not open on the sample's date is not sampled then.
        if (!parents) continue;
        const scopes = scopesOf({ trust: ods, icb: parents.icb, region: parents.region });
        const targets: { key: string; field: string }[] = [];
        for (const target of sampleTargets(at)) {
          const key = ctx.keys.samples(target.size, target.id);
          ctx.expire(key, target.end + ctx.retention[target.size]);
          for (const scope of scopes) targets.push({ key, field: sampleField(scope, target.beds) });
        }
        ops.push({
          op: 'sample',
          ods,
          at,
          ...ctx.gaugeKeys(ods),
          since: [at - STATE_WINDOW_MS.ed, at - STATE_WINDOW_MS.rtt, at - STATE_WINDOW_MS.ctr],
          over: GAUGE_OVER.map((o) => [o.of, `${o.inclusive ? '' : '('}${at - o.thresholdMs}`]),
          targets,
        });
      }
      return ops;
    },
    /** Stores each trust's new sampledUntil (only ever forward). */
    finish(): void {
      for (const [ods, at] of until) if (at !== undefined) ctx.max(ctx.keys.sampledUntil, ods, at);
    },
  };
}

/** One bucket of gauge history: the samples at its reference instants, summed over partitions. */
export interface GaugeSamplePoint {
  bucket: Bucket;
  /** The sample at the bucket's end. */
  sample: SampleSums;
  /** The sample the bucket's G&A beds figures come from: 08:00 London for 1d, else `sample`. */
  beds: SampleSums;
}

/**
 * A scope's gauge samples in the buckets `ids` of a size, in chunks of `chunk` buckets: per chunk
 * the reader's series script (lua/series.lua, as strings) once per partition, in one round trip.
 */
export async function readGaugeSamples(
  redis: Redis,
  script: ScriptCall,
  partitions: readonly ReturnType<typeof sampleKeys>[],
  scope: string,
  size: BucketSize,
  ids: readonly string[],
  chunk: number,
): Promise<GaugeSamplePoint[]> {
  const daily = size === '1d';
  const fields = daily ? [sampleField(scope, false), sampleField(scope, true)] : [scope];
  const points: GaugeSamplePoint[] = [];
  for (let at = 0; at < ids.length; at += chunk) {
    const part = ids.slice(at, at + chunk);
    const pipeline = redis.pipeline();
    for (const p of partitions) {
      script.queue(
        pipeline,
        part.map((id) => p.samples(size, id)),
        ['s', ...fields],
      );
    }
    const rows = (await execPipeline(pipeline)) as string[][];
    part.forEach((id, b) => {
      const sample = emptySampleSums();
      const beds = daily ? emptySampleSums() : sample;
      for (const row of rows) {
        addPacked(sample, row[b * fields.length]);
        if (daily) addPacked(beds, row[b * fields.length + 1]);
      }
      points.push({ bucket: bucketForId(size, id), sample, beds });
    });
  }
  return points;
}
