// Live gauges of an ICB, region or England from the gauge state kept per scope (scope-structure.ts):
// one read-only script per partition (lua/scope-gauges.lua) reading the scope's group for the
// date, a fixed 23 commands whatever the number of trusts, all partitions in one pipeline: one
// round trip. A partition that cannot serve the group (its state was not kept from its first
// apply, or its record time passed the group's last period) says so, and only for those
// partitions the trusts' own state is summed (reader-gauges.ts), in a second round trip.
import type { GaugeFigure, Split } from '@pulse/kpi';
import { AGE_GROUPS, addToSplit, emptyBedFigures, emptyGaugeFigures } from '@pulse/kpi';
import { defineScript, type Redis, type ScriptCall } from '@pulse/redis';
import { scopeGaugeKeys, type PartitionKeys } from './keys.js';
import { readScript } from './lua/scripts.js';
import { execPipeline } from './pipeline.js';
import { addGaugeSums, gaugeWindowArgs, readGauges, type GaugeReading } from './reader-gauges.js';
import type { ScopeGroup } from './scope-structure.js';

/** Defines the scope gauges script on a client; EVALSHA_RO, with EVAL after a NOSCRIPT. */
export function defineScopeGaugesScript(redis: Redis): ScriptCall {
  return defineScript(redis, {
    name: 'pulseStoreScopeGauges',
    lua: readScript('scope-gauges'),
    readOnly: true,
  });
}

export interface ScopeGaugeRead {
  /** The partitions' prefixes (`<prefix>:{<topic>:<partition>}`) and keys, in the same order. */
  prefixes: readonly string[];
  partitions: readonly PartitionKeys[];
  structure: string;
  group: ScopeGroup;
  /** The scope's trusts on the date: summed instead in a partition that cannot serve the group. */
  trusts: readonly string[];
  asOf: number;
}

export async function readScopeGauges(
  redis: Redis,
  scripts: { scope: ScriptCall; trusts: ScriptCall },
  read: ScopeGaugeRead,
): Promise<GaugeReading> {
  const reading: GaugeReading = { gauges: emptyGaugeFigures(), beds: emptyBedFigures() };
  const { id, until } = read.group;
  const args = [read.structure, until === Infinity ? 'inf' : until, ...gaugeWindowArgs(read.asOf)];
  const pipeline = redis.pipeline();
  for (const prefix of read.prefixes) {
    const keys = scopeGaugeKeys(prefix);
    scripts.scope.queue(
      pipeline,
      [
        keys.marker,
        ...AGE_GROUPS.map((age) => keys.open('ed', id, age)),
        ...AGE_GROUPS.map((age) => keys.open('rtt', id, age)),
        ...AGE_GROUPS.map((age) => keys.ctr(id, age)),
        keys.beds(id),
      ],
      args,
    );
  }
  const replies = (await execPipeline(pipeline)) as number[][];
  const missed: PartitionKeys[] = [];
  replies.forEach((sums, i) => {
    if (sums.length === 0) missed.push(read.partitions[i]!);
    else addGaugeSums(reading, sums);
  });
  if (missed.length > 0) {
    const fallback = await readGauges(redis, scripts.trusts, missed, read.trusts, read.asOf);
    for (const [figure, split] of Object.entries(fallback.gauges) as [GaugeFigure, Split][])
      for (const age of AGE_GROUPS) addToSplit(reading.gauges[figure], age, split[age]);
    reading.beds.ga_beds_open += fallback.beds.ga_beds_open;
    reading.beds.ga_beds_occupied += fallback.beds.ga_beds_occupied;
  }
  return reading;
}
