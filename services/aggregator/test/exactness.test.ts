// The figures of simulated London days equal the brute-force oracle over what was sent: every
// counter figure and age group of every scope (trust, ICB, region, England) in every 15m, 1h and
// 1d bucket, plus the live gauges, beds, freshness and data quality.
//
// Scale, chosen by measurement on the 2-core machine (see README "Tests"): the ordinary day runs
// every open trust for the whole day; the 23- and 25-hour days and the two days either side of
// the April 2026 ICB mergers run the whole London day(s) for a subset of trusts that includes
// every trust of the merged ICBs named below.
import { BruteForce, londonDayBounds } from '@pulse/kpi';
import type { Scope } from '@pulse/kpi';
import { describe, expect, it } from 'vitest';
import { compareWithOracle } from './helpers/compare.js';
import {
  createWorld,
  refdata,
  resolver,
  startInProcess,
  waitUntilCaughtUp,
} from './helpers/harness.js';
import { dayEvents, publish } from './helpers/traffic.js';

const HOUR = 3_600_000;

/** CLOCK_OFFSET_MS that puts the aggregator's clock an hour after `last` ends. */
function clockAfter(last: string): { clock: number; offset: number } {
  const clock = londonDayBounds(last).end + HOUR;
  return { clock, offset: clock - Date.now() };
}

/** Every trust of the given ICBs on the date, plus every `stride`-th open trust. */
function subsetOfTrusts(date: string, icbs: readonly string[], stride: number): string[] {
  const data = refdata();
  const chosen = new Set<string>();
  for (const code of icbs) {
    for (const t of data.trustsInScope({ kind: 'icb', code }, date)) chosen.add(t.odsCode);
  }
  data.trusts(date).forEach((t, i) => i % stride === 0 && chosen.add(t.odsCode));
  return [...chosen].sort();
}

async function runDays(dates: readonly string[], trusts?: readonly string[]) {
  const { clock, offset } = clockAfter(dates.at(-1)!);
  const world = await createWorld({ partitions: 4, env: { CLOCK_OFFSET_MS: String(offset) } });
  await startInProcess(world);
  const events = function* () {
    for (const date of dates) yield* dayEvents({ date, ...(trusts && { trusts }) });
  };
  const sent = await publish(world.topic, events());
  await waitUntilCaughtUp(world);
  const oracle = new BruteForce(sent, { resolve: resolver(), clock });
  const summary = await compareWithOracle(world.reader, oracle, { dates });
  console.info(
    `exactness ${dates.join('+')}: ${sent.length} records, ${summary.scopes} scopes, ${summary.values} values compared, ${summary.mismatchCount} different`,
  );
  return { world, sent, oracle, summary };
}

describe('aggregator exactness', () => {
  it('aggregator should match the oracle for every figure and scope of an ordinary London day at every trust', async () => {
    const { sent, summary } = await runDays(['2026-05-13']);
    expect(sent.length).toBeGreaterThan(100_000);
    expect(summary.mismatches).toEqual([]);
    expect(summary.buckets).toEqual({ '15m': 96, '1h': 24, '1d': 1 });
    expect(summary.scopes).toBeGreaterThan(200);
  });

  it('aggregator should match the oracle on the 23-hour London day of 29 March 2026', async () => {
    const trusts = subsetOfTrusts('2026-03-29', [], 6);
    const { summary } = await runDays(['2026-03-29'], trusts);
    expect(summary.mismatches).toEqual([]);
    expect(summary.buckets).toEqual({ '15m': 92, '1h': 23, '1d': 1 });
  });

  it('aggregator should match the oracle on the 25-hour London day of 25 October 2026', async () => {
    const trusts = subsetOfTrusts('2026-10-25', [], 6);
    const { summary } = await runDays(['2026-10-25'], trusts);
    expect(summary.mismatches).toEqual([]);
    expect(summary.buckets).toEqual({ '15m': 100, '1h': 25, '1d': 1 });
  });

  it('aggregator should attribute 31 March 2026 to the old ICBs and 1 April 2026 to the merged ones', async () => {
    const merged = ['Z9B2Z', 'D7T5G'];
    const trusts = subsetOfTrusts('2026-04-01', merged, 8);
    const { world, summary } = await runDays(['2026-03-31', '2026-04-01'], trusts);
    expect(summary.mismatches).toEqual([]);

    const attendances = async (scope: Scope, date: string) =>
      (await world.reader.counters(scope, '1d', [date]))[0]!.ed_attendances.total;
    for (const code of merged) {
      const icb: Scope = { kind: 'icb', code };
      expect(await attendances(icb, '2026-03-31'), `${code} before it existed`).toBe(0);
      expect(await attendances(icb, '2026-04-01'), `${code} on its first day`).toBeGreaterThan(0);
    }
    // G6V2S moved from QMJ to Z9B2Z: QMJ counts it on 31 March only.
    const qmj: Scope = { kind: 'icb', code: 'QMJ' };
    expect(await attendances(qmj, '2026-03-31')).toBeGreaterThan(0);
    expect(await attendances(qmj, '2026-04-01')).toBe(0);
  });
});
