// Live gauges of a set of trusts, as of an instant. A trust's state lives in one partition (its
// key is the provider), which the caller may not know. One read-only script per partition it is
// given (lua/gauges.lua) gets the trusts and their keys; it checks each against the partition's
// index of trusts with gauge state (`<p>:trusts`, written by the apply script) and sums the gauges
// of those it holds. Every key a script reads is in its KEYS and in its partition's hash slot
// (Redis Cluster-safe); the scripts of all partitions go in one pipeline.
import { defineScript, type Redis, type ScriptCall } from '@pulse/redis';
import type { BedFigures, GaugeFigure, GaugeFigures } from '@pulse/kpi';
import {
  AGE_GROUPS,
  GAUGE_OVER,
  STATE_WINDOW_MS,
  addToSplit,
  emptyBedFigures,
  emptyGaugeFigures,
} from '@pulse/kpi';
import type { PartitionKeys } from './keys.js';
import { readScript } from './lua/scripts.js';
import { execPipeline } from './pipeline.js';

export interface GaugeReading {
  gauges: GaugeFigures;
  beds: BedFigures;
}

/** Keys the script reads per trust: ed, rtt and ctr sets per age group, and the beds hash. */
const KEYS_PER_TRUST = 10;

/**
 * Past this many keys (trusts x partitions x KEYS_PER_TRUST), the partitions' indexes are read
 * first (one more round trip) so each script gets only the trusts its partition holds: England
 * would otherwise send every trust's keys to every partition (24,000 keys over the 12 partitions of @pulse/topology).
 */
const INDEX_FIRST_ABOVE_KEYS = 2_000;

/** The gauges in each age group's part of a script reply, in order (gauges.lua). */
const COUNTED: readonly GaugeFigure[] = [
  'ed_in_department',
  'rtt_waiting',
  'ctr_not_meeting',
  ...GAUGE_OVER.map((over) => over.figure),
];

/** Defines the gauges script on a client; EVALSHA_RO, with EVAL after a NOSCRIPT. */
export function defineGaugesScript(redis: Redis): ScriptCall {
  return defineScript(redis, {
    name: 'pulseStoreGauges',
    lua: readScript('gauges'),
    readOnly: true,
  });
}

/** Per partition, the trusts whose state it may hold: all of them, or those its index lists. */
async function trustsByPartition(
  redis: Redis,
  partitions: readonly PartitionKeys[],
  trusts: readonly string[],
): Promise<(readonly string[])[]> {
  if (trusts.length * partitions.length * KEYS_PER_TRUST <= INDEX_FIRST_ABOVE_KEYS) {
    return partitions.map(() => trusts);
  }
  const index = redis.pipeline();
  for (const p of partitions) index.smismember(p.trusts, ...trusts);
  const present = (await execPipeline(index)) as number[][];
  return partitions.map((_, i) => trusts.filter((_, t) => present[i]![t] === 1));
}

/**
 * The gauge scripts' window and threshold arguments as of an instant: the lowest score that still
 * counts in the ed, rtt and ctr sets (inStateWindow), then m and m pairs (set, ZCOUNT max bound:
 * before asOf - threshold, at it too when inclusive, as isOver says).
 */
export function gaugeWindowArgs(asOf: number): (string | number)[] {
  const over = GAUGE_OVER.flatMap((o) => [
    o.of,
    `${o.inclusive ? '' : '('}${asOf - o.thresholdMs}`,
  ]);
  const since = (['ed', 'rtt', 'ctr'] as const).map((kind) => asOf - STATE_WINDOW_MS[kind]);
  return [...since, GAUGE_OVER.length, ...over];
}

/** Adds one script reply (gauges.lua's layout) into a reading. */
export function addGaugeSums(reading: GaugeReading, sums: readonly number[]): void {
  const width = COUNTED.length;
  AGE_GROUPS.forEach((group, g) =>
    COUNTED.forEach((figure, c) => addToSplit(reading.gauges[figure], group, sums[g * width + c]!)),
  );
  reading.beds.ga_beds_open += sums[3 * width]!;
  reading.beds.ga_beds_occupied += sums[3 * width + 1]!;
}

export async function readGauges(
  redis: Redis,
  script: ScriptCall,
  partitions: readonly PartitionKeys[],
  trusts: readonly string[],
  asOf: number,
): Promise<GaugeReading> {
  const reading: GaugeReading = { gauges: emptyGaugeFigures(), beds: emptyBedFigures() };
  if (trusts.length === 0) return reading;

  const held = await trustsByPartition(redis, partitions, trusts);
  const windows = gaugeWindowArgs(asOf);
  const pipeline = redis.pipeline();
  let scripts = 0;
  partitions.forEach((p, i) => {
    const odsCodes = held[i]!;
    if (odsCodes.length === 0) return;
    const keys = [p.trusts];
    for (const ods of odsCodes) {
      for (const group of AGE_GROUPS) keys.push(p.open('ed', ods, group));
      for (const group of AGE_GROUPS) keys.push(p.open('rtt', ods, group));
      for (const group of AGE_GROUPS) keys.push(p.ctr(ods, group));
      keys.push(p.beds(ods));
    }
    script.queue(pipeline, keys, [...windows, ...odsCodes]);
    scripts++;
  });
  if (scripts === 0) return reading;
  for (const sums of (await execPipeline(pipeline)) as number[][]) addGaugeSums(reading, sums);
  return reading;
}
