// What disclosure control costs: the whole structure of a day (England, its regions, ICBs and
// trusts from @pulse/refdata) controlled at once, as the public tier needs it, beside copying the
// same bodies (structuredClone, JSON.stringify: the least any transformation of them costs).
// Writes the "disclosure" section of docs/BENCHMARKS.md.  Run: npm run bench -w @pulse/disclosure.
import { describeMachine, machineInfo, markdownTable, measure, writeSection } from '@pulse/bench';
import { loadRefData } from '@pulse/refdata';
import { controlSnapshot, controlSnapshotTree, type Family } from '../src/index.js';
import { parentSnapshot, rng, trustSnapshot, type ExactSnapshot } from '../test/bodies.js';

const DATE = '2026-12-01';
/** Gauges, beds, today's and the last hour's counters (ms lost is not a count), split in 4. */
const COUNTS_PER_BODY = 7 * 4 + 2 + 2 * 21 * 4;
const ROUNDS = Number(process.env['PULSE_BENCH_ROUNDS'] ?? 5);

const refdata = loadRefData();
const random = rng(1);
const regions = refdata.regions(DATE).map((region): Family<ExactSnapshot> => {
  const icbs = refdata
    .icbs(DATE)
    .filter((icb) => icb.regionCode === region.code)
    .map((icb): Family<ExactSnapshot> => {
      const trusts = refdata
        .trustsInScope({ kind: 'icb', code: icb.code }, DATE)
        .map((t) => ({ body: trustSnapshot(random, t.odsCode, 20 + Math.floor(random() * 150)) }));
      const body = parentSnapshot(
        { kind: 'icb', code: icb.code },
        trusts.map((t) => t.body),
      );
      return { body, children: trusts };
    });
  const body = parentSnapshot(
    { kind: 'region', code: region.code },
    icbs.map((i) => i.body),
  );
  return { body, children: icbs };
});
const england: Family<ExactSnapshot> = {
  body: parentSnapshot(
    { kind: 'england' },
    regions.map((r) => r.body),
  ),
  children: regions,
};
const count = (f: Family<unknown>): number =>
  1 + (f.children ?? []).reduce((n, c) => n + count(c), 0);
const bodies = count(england);
const trusts = refdata.trustsInScope({ kind: 'england' }, DATE).length;
const anIcb = regions[0]!.children![0]!;

const machine = machineInfo();
console.log(`disclosure benchmark on ${describeMachine(machine)}`);
console.log(`${bodies} snapshot bodies (${trusts} trusts) on ${DATE}, ${ROUNDS} rounds\n`);

const rows: [string, number, number][] = [];
function run(name: string, iterations: number, fn: () => unknown): void {
  const m = measure(name, fn, { iterations, warmup: iterations, rounds: ROUNDS });
  const ms = 1000 / m.opsPerSec;
  console.log(`${name.padEnd(58)} ${ms.toFixed(2).padStart(9)} ms`);
  rows.push([name, ms, 1000 / m.maxOpsPerSec]);
}

run(`controlSnapshotTree, England's whole structure (${bodies} bodies)`, 3, () =>
  controlSnapshotTree(england),
);
run(`controlSnapshotTree, one ICB and its ${anIcb.children!.length} trusts`, 20, () =>
  controlSnapshotTree(anIcb),
);
run('controlSnapshot, one trust alone', 200, () => controlSnapshot(anIcb.children![0]!.body));
run(`raw: structuredClone of the ${bodies} bodies`, 10, () => structuredClone(england));
run(`raw: JSON.stringify of the ${bodies} bodies`, 10, () => JSON.stringify(england));

const body = `Random but realistic snapshot bodies (the test generator: counts often 0 or small, nesting
kept, parents the exact sums) on the real structure of ${DATE}: England, its regions, ICBs and
${trusts} trusts, ${bodies} bodies of ${COUNTS_PER_BODY} counts each. Each figure is the median time
of one call over ${ROUNDS} rounds after a warm-up (best round beside it; other load only slows a
round). The raw rows copy the same bodies: the least any transformation of them costs.

${markdownTable(['operation', 'ms per call (median)', 'ms per call (best round)'], rows)}

The whole structure is what the public tier needs for protection across requests
([docs/disclosure.md](disclosure.md)): compute it once per read and serve every scope from it.
Source: \`packages/disclosure/bench/control.bench.ts\`.`;

const path = writeSection({
  id: 'disclosure',
  title: 'Disclosure control (@pulse/disclosure)',
  body,
  machine,
  date: new Date(),
});
console.log(`\nwritten to ${path}`);
