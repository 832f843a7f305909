// Exactly-once through rebalances: 1 -> 3 -> 1 aggregator instances in one consumer group while
// the simulator sends; partitions move twice each way and the figures still equal the oracle's.
import { BruteForce } from '@pulse/kpi';
import { readSentLog, toSentRecord } from 'simulator';
import { describe, expect, it } from 'vitest';
import { compareWithOracle } from './helpers/compare.js';
import {
  appliedSoFar,
  replayWorld,
  refdata,
  resolver,
  startInProcess,
  waitFor,
  waitUntilCaughtUp,
} from './helpers/harness.js';
import { runSimulator, sentLogPath, simulatedDay } from './helpers/processes.js';

const DATE = '2026-05-15';

describe('aggregator rebalancing', () => {
  it('aggregator should count every event exactly once while instances go from 1 to 3 to 1', async () => {
    const { world, day, clock } = await replayWorld(DATE, {
      partitions: 6,
      env: { MAX_APPLY_RECORDS: '1000' },
    });
    const log = await sentLogPath();
    // A fifth of the trusts: enough traffic for every partition, quick to compare.
    const trusts = refdata()
      .trusts(DATE)
      .filter((_, i) => i % 5 === 0)
      .map((t) => t.odsCode);

    const simulator = runSimulator(
      [
        ...['--topic', world.topic, '--seed', 'rebalance', '--log', log],
        ...simulatedDay(day, 2880),
        ...['--faults', 'duplicate=0.05', '--rtt-scale', '0.002'],
        ...['--trusts', trusts.join(',')],
      ],
      { KAFKA_BROKERS: world.env.KAFKA_BROKERS! },
    );
    let failure: unknown;
    simulator.catch((err: unknown) => (failure = err));

    const progress = async (what: string) => {
      const before = await appliedSoFar(world);
      await waitFor(what, async () => {
        if (failure) throw failure;
        return (await appliedSoFar(world)) > before;
      });
    };
    const first = await startInProcess(world);
    await progress('the first instance to apply');

    const more = [await startInProcess(world), await startInProcess(world)];
    const all = [first, ...more];
    await waitFor('three members with partitions', async () =>
      all.every(({ aggregator }) => aggregator.isJoined()),
    );
    await progress('three instances to apply');

    for (const instance of more) await instance.stop();
    await waitFor('the first instance to rejoin alone', async () => first.aggregator.isJoined());
    await simulator;
    await waitUntilCaughtUp(world);

    const fences = await first.aggregator.metrics.registry.getSingleMetricAsString(
      'aggregator_fence_conflicts_total',
    );
    const sent = (await readSentLog(log)).map(toSentRecord);
    const oracle = new BruteForce(sent, { resolve: resolver(), clock });
    const summary = await compareWithOracle(world.reader, oracle, { dates: [DATE] });
    console.info(
      `rebalance: ${sent.length} records, ${summary.values} values compared, ${summary.mismatchCount} different; first instance ${fences.split('\n').at(-1)}`,
    );
    expect(summary.mismatches).toEqual([]);
  });
});
