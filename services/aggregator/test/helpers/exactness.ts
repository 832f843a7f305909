// One exactness run: simulated London days of every open trust through Kafka and one in-process
// aggregator, then every figure compared with the brute-force oracle over what was sent. Used by
// exactness.test.ts (the 23- and 25-hour days) and soak/exactness-merger.test.ts.
import { HOUR_MS as HOUR, londonDateOf, londonDayBounds } from '@pulse/kpi';
import { BruteForce, type SentRecord } from '@pulse/verify';
import { expect } from 'vitest';
import { compareWithOracle } from './compare.js';
import {
  createWorld,
  isKnownProvider,
  refdata,
  resolver,
  startInProcess,
  waitUntilCaughtUp,
} from './harness.js';
import { dayEvents, publish } from './traffic.js';

/** CLOCK_OFFSET_MS that puts the aggregator's clock an hour after `last` ends. */
function clockAfter(last: string): { clock: number; offset: number } {
  const clock = londonDayBounds(last).end + HOUR;
  return { clock, offset: clock - Date.now() };
}

/** Per London date: the trusts open that day, and those the sent log has events of that day for. */
function trustsCovered(sent: readonly SentRecord[], dates: readonly string[]) {
  return dates.map((date) => {
    const sentFor = new Set<string>();
    for (const { event } of sent)
      if (event && londonDateOf(event.occurredAt) === date) sentFor.add(event.providerOds);
    const open = refdata()
      .trusts(date)
      .map((t) => t.odsCode);
    return { date, open: open.length, sent: open.filter((ods) => sentFor.has(ods)).length };
  });
}

/**
 * Every open trust was simulated (no trust filter): about three in four report activity in the
 * simulator's model (151 of 202 on 31 March: the kinds refdata expects to report), where the
 * former subsets had one in six or eight.
 */
export function expectEveryTrust(trusts: ReturnType<typeof trustsCovered>) {
  for (const t of trusts) expect(t.sent, t.date).toBeGreaterThan(0.7 * t.open);
}

export async function runDays(dates: readonly string[]) {
  const { clock, offset } = clockAfter(dates.at(-1)!);
  const world = await createWorld({ partitions: 4, env: { CLOCK_OFFSET_MS: String(offset) } });
  await startInProcess(world);
  const t0 = performance.now();
  const events = function* () {
    for (const date of dates) yield* dayEvents({ date });
  };
  const sent = await publish(world.topic, events());
  const t1 = performance.now();
  await waitUntilCaughtUp(world);
  const t2 = performance.now();
  const oracle = new BruteForce(sent, { resolve: resolver(), isKnownProvider, clock });
  const t3 = performance.now();
  const summary = await compareWithOracle(world.reader, oracle, { dates });
  const t4 = performance.now();
  const trusts = trustsCovered(sent, dates);
  console.info(
    `exactness ${dates.join('+')}: ${sent.length} records, trusts ${trusts.map((t) => `${t.sent}/${t.open}`).join(' ')}, ${summary.scopes} scopes, ${summary.values} values compared, ${summary.mismatchCount} different; publish ${Math.round(t1 - t0)} ms, catch-up ${Math.round(t2 - t1)} ms, oracle ${Math.round(t3 - t2)} ms, compare ${Math.round(t4 - t3)} ms`,
  );
  return { world, sent, oracle, summary, trusts };
}
