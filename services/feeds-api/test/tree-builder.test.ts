// The public tier's trees built off the event loop: the worker threads (run from source here,
// through tsx's loader) give exactly what the same control gives on this thread, and the event
// loop turns while England's whole structure is controlled.
import { bucketForId, bucketsBetween, londonDateOf, scopeKey } from '@pulse/kpi';
import { afterAll, describe, expect, it } from 'vitest';
import { PUBLIC_TIER_CONTROL } from '../src/disclosure.js';
import {
  packPoints,
  structureOn,
  trustsOf,
  type SeriesTreeInput,
  type SnapshotTreeInput,
} from '../src/public-trees.js';
import { sumParts } from '../src/snapshot.js';
import { inProcessBuilder, workerBuilder } from '../src/tree-builder.js';
import { AS_OF, sharedRefData } from './helpers.js';

const refdata = sharedRefData();
const date = londonDateOf(AS_OF);
const trusts = trustsOf(structureOn(refdata, date));
const pooled = workerBuilder({ threads: 1 });
afterAll(() => pooled.close());

/** Every trust with small and larger counts (so the control suppresses and rounds). */
function snapshotInput(): SnapshotTreeInput {
  const parts = trusts.map((t, i) => {
    const part = sumParts(t.info, AS_OF, date, []);
    part.today.ed_attendances = { child: i % 4, adult: (i * 7) % 40, unknown: 0, total: 0 };
    const s = part.today.ed_attendances;
    s.total = s.child + s.adult;
    return [scopeKey(t.scope), part] as const;
  });
  return { asOf: AS_OF, parts };
}

function seriesInput(): SeriesTreeInput {
  const from = Date.parse(`${date}T00:00:00Z`);
  const to = from + 12 * 3_600_000;
  const buckets = bucketsBetween('1h', from, to).map((id) => bucketForId('1h', id));
  const points = trusts.map((t, i) => {
    const stored = buckets.map((bucket, h) => {
      const child = (i + h) % 3;
      const adult = (i * h) % 11;
      return { bucket, value: { child, adult, unknown: 0, total: child + adult }, reported: 1 };
    });
    return [scopeKey(t.scope), packPoints(stored, ['child', 'adult', 'unknown', 'total'])] as const;
  });
  return { metric: 'ed_attendances', interval: '1h', from, to, asOf: AS_OF, points };
}

describe('tree builder', () => {
  const here = inProcessBuilder(refdata, PUBLIC_TIER_CONTROL);

  it('worker threads should build the same controlled snapshots as the event loop', async () => {
    const [off, on] = await Promise.all([
      pooled.snapshot(snapshotInput()),
      here.snapshot(snapshotInput()),
    ]);
    expect(off.bodies.size).toBe(trusts.length + 1 + refdata.icbs(date).length + 7);
    expect(off).toEqual(on);
    const trust = JSON.parse(off.bodies.get(scopeKey(trusts[0]!.scope))!.json);
    expect(trust.disclosure).toBe('controlled');
    expect(off.bodies.get(scopeKey(trusts[0]!.scope))!.etag).toMatch(/^W\//);
  });

  it('worker threads should build the same controlled series as the event loop', async () => {
    const [off, on] = await Promise.all([pooled.series(seriesInput()), here.series(seriesInput())]);
    expect(off).toEqual(on);
    const trust = JSON.parse(off.bodies.get(scopeKey(trusts[0]!.scope))!.json);
    expect(trust.points).toHaveLength(12);
    expect(trust.suppressed.length).toBeGreaterThan(0);
  });

  it('the event loop should keep turning while a worker controls England', async () => {
    let turns = 0;
    let building = true;
    const spin = () => {
      if (!building) return;
      turns++;
      setImmediate(spin);
    };
    setImmediate(spin);
    await pooled.snapshot(snapshotInput());
    building = false;
    // On this thread the control runs in one stretch: no turn between start and end. A worker
    // build lets the loop turn while it runs (a second of CPU: many turns, at least some).
    expect(turns).toBeGreaterThan(10);
  });
});
