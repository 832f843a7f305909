// Live gauges of a set of trusts, as of an instant. A trust's state lives in one partition (its
// key is the provider), which the reader does not know: each partition keeps an index of its
// trusts (`<p>:trusts`, written by the apply script), so the first round trip reads the indexes
// and the second reads only the partitions that hold each trust's state.
import type { Redis } from 'ioredis';
import type { BedFigures, GaugeFigure, GaugeFigures } from '@pulse/kpi';
import { AGE_GROUPS, GAUGE_OVER, addToSplit, emptyBedFigures, emptyGaugeFigures } from '@pulse/kpi';
import type { PartitionKeys } from './keys.js';
import { execPipeline } from './pipeline.js';

export interface GaugeReading {
  gauges: GaugeFigures;
  beds: BedFigures;
}

export async function readGauges(
  redis: Redis,
  partitions: readonly PartitionKeys[],
  trusts: readonly string[],
  asOf: number,
): Promise<GaugeReading> {
  const reading: GaugeReading = { gauges: emptyGaugeFigures(), beds: emptyBedFigures() };
  if (trusts.length === 0) return reading;

  const index = redis.pipeline();
  for (const p of partitions) index.smismember(p.trusts, ...trusts);
  const present = (await execPipeline(index)) as number[][];

  // Each command's reply lands in one gauge and group (or in the beds).
  const sinks: ((reply: unknown) => void)[] = [];
  const reads = redis.pipeline();
  const count = (figure: GaugeFigure, group: (typeof AGE_GROUPS)[number]) => (reply: unknown) =>
    addToSplit(reading.gauges[figure], group, Number(reply));
  partitions.forEach((p, i) => {
    trusts.forEach((ods, t) => {
      if (present[i]![t] !== 1) return;
      for (const group of AGE_GROUPS) {
        reads.zcard(p.open('ed', ods, group));
        sinks.push(count('ed_in_department', group));
        reads.zcard(p.open('rtt', ods, group));
        sinks.push(count('rtt_waiting', group));
        reads.scard(p.ctr(ods, group));
        sinks.push(count('ctr_not_meeting', group));
        for (const over of GAUGE_OVER) {
          // Strictly before asOf - threshold, as isOver says.
          reads.zcount(p.open(over.of, ods, group), '-inf', `(${asOf - over.thresholdMs}`);
          sinks.push(count(over.figure, group));
        }
      }
      reads.hgetall(p.beds(ods));
      sinks.push((reply) => addBeds(reading.beds, reply as Record<string, string>));
    });
  });
  if (sinks.length === 0) return reading;
  (await execPipeline(reads)).forEach((reply, i) => sinks[i]!(reply));
  return reading;
}

/** Sums the newest G&A snapshot of every site (`<site>:<bedType>` -> `<at>:<open>:<occupied>`). */
function addBeds(beds: BedFigures, hash: Record<string, string>): void {
  for (const [field, value] of Object.entries(hash)) {
    if (!field.endsWith(':GENERAL_ACUTE')) continue;
    const [, open, occupied] = value.split(':');
    beds.ga_beds_open += Number(open);
    beds.ga_beds_occupied += Number(occupied);
  }
}
