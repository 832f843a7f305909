// The public tier below national level through the HTTP API: a public client fetches England,
// every region, the ICBs of one region and all their trusts (snapshots and series), and tries to
// recover each suppressed small count by differencing them against each other (test/attacker.ts).
// It must fail; the same attack against the old control (each response alone) must succeed, or
// the test proves nothing. Then the trees' sharing: one build per read instant, single flight,
// bounded, and the public series bound.
import { controlSnapshot, controlSeries, type Family } from '@pulse/disclosure';
import { describe, expect, it, vi } from 'vitest';
import {
  emptyBedFigures,
  emptyCounterFigures,
  emptyGaugeFigures,
  FIGURE_FAMILIES,
} from '@pulse/kpi';
import { PUBLIC_TIER_CONTROL } from '../src/disclosure.js';
import { resolveMetric } from '../src/metrics.js';
import type { FiguresSource } from '../src/ports.js';
import { createPublicTier, DEFAULT_CACHE_BUDGET, type TreeControl } from '../src/public-tier.js';
import { inProcessBuilder } from '../src/tree-builder.js';
import { createGate } from '../src/work-limits.js';
import {
  AS_OF,
  get,
  REGION,
  sharedRefData,
  testApp,
  TRUST,
  type TestApp,
  type TestEvent,
} from './helpers.js';
import { Attacker, seriesPaths, snapshotPaths } from './attacker.js';

const MIN = 60_000;
const date = new Date(AS_OF).toISOString().slice(0, 10);
const refdata = sharedRefData();
const icbsOfRegion = refdata.icbs(date).filter((icb) => icb.regionCode === REGION);
const trustsOf = (icb: string) =>
  refdata.trustsInScope({ kind: 'icb', code: icb }, date).map((t) => t.odsCode);

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Counts often 0 or small, sometimes larger, across the trusts of two ICBs of the region. */
function events(seed: number): TestEvent[] {
  const next = random(seed);
  const pick = () => [0, 0, 0, 1, 2, 3, 5, 7, 8, 9, 12, 13, 21, 40][Math.floor(next() * 14)]!;
  const out: TestEvent[] = [];
  const figures = ['ed_attendances', 'ed_departures', 'admissions_emergency'] as const;
  for (const icb of icbsOfRegion.slice(0, 2)) {
    for (const trust of trustsOf(icb.code)) {
      for (const figure of figures) {
        for (const group of ['child', 'adult', 'unknown'] as const) {
          const today = pick();
          const hour = Math.min(today, pick());
          if (today > hour)
            out.push({
              trust,
              at: AS_OF - 3 * 60 * MIN,
              counters: [{ figure, group, by: today - hour }],
            });
          if (hour > 0)
            out.push({ trust, at: AS_OF - 10 * MIN, counters: [{ figure, group, by: hour }] });
        }
      }
    }
  }
  // One small count nobody else has: every ancestor of it is that count.
  out.push({
    trust: TRUST,
    at: AS_OF - 3 * 60 * MIN,
    counters: [{ figure: 'discharges_hospice', group: 'child', by: 2 }],
  });
  return out;
}

interface Fetched {
  name: string;
  url: string;
  children: string[];
}

/** England, its regions, the region's ICBs and their trusts: parents with all their children. */
function scopes(): Fetched[] {
  const regions = refdata.regions(date).map((r) => r.code);
  return [
    { name: 'e', url: '/v1/england', children: regions.map((r) => `r:${r}`) },
    ...regions.map((r) => ({
      name: `r:${r}`,
      url: `/v1/regions/${r}`,
      children: r === REGION ? icbsOfRegion.map((i) => `i:${i.code}`) : [],
    })),
    ...icbsOfRegion.map((i) => ({
      name: `i:${i.code}`,
      url: `/v1/icbs/${i.code}`,
      children: trustsOf(i.code).map((t) => `t:${t}`),
    })),
    ...icbsOfRegion.flatMap((i) =>
      trustsOf(i.code).map((t) => ({ name: `t:${t}`, url: `/v1/trusts/${t}`, children: [] })),
    ),
  ];
}

const SERIES = `?metric=ed_attendances&interval=1h&from=${date}T00:00:00Z&to=${date}T12:00:00Z`;

/** Fetches every scope publicly and exactly (national token), and runs the differencing attack. */
async function attack(t: TestApp): Promise<{ snapshot: Attacker; series: Attacker }> {
  const snapshot = new Attacker();
  const series = new Attacker();
  const list = scopes();
  const snapshotShape = snapshotPaths();
  let seriesShape: ReturnType<typeof seriesPaths> | undefined;
  for (const s of list) {
    const pub = await get(t, `${s.url}/snapshot`, { authorization: '' });
    expect(pub.statusCode, s.url).toBe(200);
    const exact = await get(t, `${s.url}/snapshot`);
    const national = s.name === 'e';
    expect(pub.json().disclosure).toBe(national ? 'exact' : 'controlled');
    snapshot.addBody(s.name, pub.json(), exact.json(), national, snapshotShape);

    const pubSeries = await get(t, `${s.url}/series${SERIES}`, { authorization: '' });
    expect(pubSeries.statusCode, s.url).toBe(200);
    const exactSeries = (await get(t, `${s.url}/series${SERIES}`)).json();
    seriesShape ??= seriesPaths(exactSeries.points.length);
    series.addBody(s.name, pubSeries.json(), exactSeries, national, seriesShape);
  }
  for (const s of list) {
    if (s.children.length === 0) continue;
    snapshot.addFamily(s.name, s.children, snapshotShape.paths);
    series.addFamily(s.name, s.children, seriesShape!.paths);
  }
  snapshot.propagate();
  series.propagate();
  return { snapshot, series };
}

/** The control before this change: each response's body alone (kept here only to attack it). */
const eachAlone: TreeControl = {
  snapshotTree: (tree) => mapTree(tree, (b) => controlSnapshot(b as never) as never),
  seriesTree: (tree) => mapTree(tree, (b) => controlSeries(b as never) as never),
};
function mapTree<B>(tree: Family<B>, f: (b: B) => B): Family<B> {
  return {
    body: f(tree.body),
    ...(tree.children ? { children: tree.children.map((c) => mapTree(c, f)) } : {}),
  };
}

describe('public tier: one controlled tree per read', () => {
  it('a public client should recover no suppressed value by differencing scopes across requests', async () => {
    // The trees built in worker threads, as in production (the other tests build on this thread).
    const t = await testApp({}, undefined, { workers: true });
    await t.apply(events(11));
    const { snapshot, series } = await attack(t);
    // The data has small counts to protect, in snapshots and series alike.
    expect(snapshot.primaries().length).toBeGreaterThan(20);
    expect(series.primaries().length).toBeGreaterThan(5);
    expect(snapshot.recovered()).toEqual([]);
    expect(series.recovered()).toEqual([]);
  });

  it('a lone reporter should not be told apart by coverage or null points beside England', async () => {
    const t = await testApp();
    // The only report in England in an hour of the series: England's exact figure is RXN's.
    const lone = AS_OF - 6 * 60 * MIN;
    await t.apply([
      ...events(11),
      { trust: TRUST, at: lone, counters: [{ figure: 'ed_attendances', group: 'child', by: 3 }] },
    ]);
    const { snapshot, series } = await attack(t);
    const index = Math.floor((lone - Date.parse(`${date}T00:00:00Z`)) / (60 * MIN));
    const primary = `t:${TRUST}/points/${index}/value/child`;
    expect(series.primaries()).toContain(primary);
    expect(series.recovered()).toEqual([]);
    expect(snapshot.recovered()).toEqual([]);
    const pub = (await get(t, `/v1/trusts/${TRUST}/series${SERIES}`, { authorization: '' })).json();
    expect(pub.points.every((p: { coverage: unknown }) => p.coverage === null)).toBe(true);
    const csv = await get(t, `/v1/trusts/${TRUST}/series${SERIES}&format=csv`, {
      authorization: '',
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.body).not.toMatch(/,\d+,\d+,controlled/);
    const snap = (await get(t, `/v1/trusts/${TRUST}/snapshot`, { authorization: '' })).json();
    expect(snap.completeness).toMatchObject({ families: null, reported: null, expected: null });
  });

  it('the same attack should recover values from responses controlled each alone', async () => {
    const t = await testApp({}, undefined, { deps: () => ({ disclosure: eachAlone }) });
    await t.apply(events(11));
    const { snapshot } = await attack(t);
    expect(snapshot.recovered()).toContain(`t:${TRUST}/today/counters/discharges_hospice/child`);
  });

  it('public requests for one instant should share one tree build, served stale while the next tick builds', async () => {
    let now = AS_OF;
    let builds = 0;
    const counting: TreeControl = {
      snapshotTree: (tree) => (builds++, PUBLIC_TIER_CONTROL.snapshotTree(tree)),
      seriesTree: (tree) => PUBLIC_TIER_CONTROL.seriesTree(tree),
    };
    const t = await testApp({ publicTier: { tickMs: 60_000 } }, undefined, {
      deps: () => ({ disclosure: counting, now: () => now }),
    });
    await t.apply(events(5));
    const urls = scopes()
      .filter((s) => s.name !== 'e')
      .map((s) => `${s.url}/snapshot`);
    const first = await Promise.all(
      urls.map((url) => t.app.inject({ url, headers: {} }).then((r) => r.statusCode)),
    );
    expect(first.every((status) => status === 200)).toBe(true);
    expect(builds).toBe(1);
    // Within the tick: served from the same tree (same ETag), no build.
    const again = await get(t, `/v1/trusts/${TRUST}/snapshot`, { authorization: '' });
    expect(builds).toBe(1);
    const tag = again.headers.etag as string;
    const notModified = await get(t, `/v1/trusts/${TRUST}/snapshot`, {
      authorization: '',
      'if-none-match': tag,
    });
    expect(notModified.statusCode).toBe(304);
    now += 60_000;
    // The next tick: the last tree is served at once (stale while revalidating), its Age said,
    // and the tick's tree is built for the next reader.
    const stale = await get(t, `/v1/trusts/${TRUST}/snapshot`, { authorization: '' });
    expect(stale.headers.etag).toBe(tag);
    expect(stale.json().asOf).toBe(new Date(AS_OF).toISOString());
    expect(stale.headers.age).toBe('60');
    await t.app.pulse.publicTier.current(true);
    expect(builds).toBe(2);
    const fresh = await get(t, `/v1/trusts/${TRUST}/snapshot`, { authorization: '' });
    expect(fresh.json().asOf).toBe(new Date(now).toISOString());
    expect(fresh.headers.age).toBe('0');
    expect(builds).toBe(2);
    // An explicit asOf is its own instant.
    await get(t, `/v1/trusts/${TRUST}/snapshot?asOf=${new Date(AS_OF - 5 * MIN).toISOString()}`, {
      authorization: '',
    });
    expect(builds).toBe(3);
  });

  it('a build beyond maxBuilds at once should be a 503 BUSY with Retry-After, not queued', async () => {
    const t = await testApp({ publicTier: { maxBuilds: 1 } });
    const url = `/v1/trusts/${TRUST}/snapshot`;
    const pastUrl = `${url}?asOf=${new Date(AS_OF - MIN).toISOString()}`;
    const [now, past] = await Promise.all([t.app.inject({ url }), t.app.inject({ url: pastUrl })]);
    expect(now.statusCode).toBe(200);
    expect(past.statusCode).toBe(503);
    expect(past.json().code).toBe('BUSY');
    expect(past.headers['retry-after']).toBe('1');
    // Once the first is built, the other is served.
    expect((await t.app.inject({ url: pastUrl })).statusCode).toBe(200);
  });

  it('trees held should stay within the budget', async () => {
    const t = await testApp({ publicTier: { cacheBudget: 500 * 50 } });
    for (let i = 1; i <= 4; i++) {
      const asOf = new Date(AS_OF - i * MIN).toISOString();
      const res = await get(t, `/v1/trusts/${TRUST}/snapshot?asOf=${asOf}`, { authorization: '' });
      expect(res.statusCode).toBe(200);
    }
    // A tree of ~250 bodies weighs ~12,500: two fit in 25,000, never four.
    expect(t.app.pulse.publicTier.size).toBeLessThanOrEqual(2);
  });

  it('a public sub-national series should be bounded; a token reads the same range', async () => {
    const t = await testApp({ publicTier: { maxSeriesPoints: 24 } });
    const url = `/v1/trusts/${TRUST}/series?metric=ed_attendances&interval=1h&from=${date}&to=${new Date(AS_OF + 86_400_000).toISOString().slice(0, 10)}T01:00:00Z`;
    const refused = await get(t, url, { authorization: '' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().code).toBe('TOO_MANY_POINTS');
    expect((await get(t, url)).statusCode).toBe(200);
    const england = url.replace(`/trusts/${TRUST}`, '/england');
    expect((await get(t, england, { authorization: '' })).statusCode).toBe(200);
  });
});

/** Figures of nothing, each read answering on a later turn; `inFlight` counts reads under way. */
function laterFigures(): FiguresSource & { most: number } {
  let inFlight = 0;
  const counts = { most: 0 };
  const later = <T>(value: T) =>
    new Promise<T>((resolve) => {
      inFlight++;
      counts.most = Math.max(counts.most, inFlight);
      setImmediate(() => (inFlight--, resolve(value)));
    });
  return Object.assign(counts, {
    counters: () => later(emptyCounterFigures()),
    counterSeries: () => later([]),
    gaugeSeries: () => later([]),
    live: () => later({ gauges: emptyGaugeFigures(), beds: emptyBedFigures() }),
    freshness: () => later(null),
    completeness: () => later(NO_COMPLETENESS),
    freshView: () => later({ freshness: () => null, completeness: () => NO_COMPLETENESS }),
  });
}

const NO_COMPLETENESS = {
  reported: 0,
  expected: 0,
  families: Object.fromEntries(
    FIGURE_FAMILIES.map((f) => [f, { reported: 0, expected: 0 }]),
  ) as never,
};

describe('public tier: the event loop while a tree is built', () => {
  it('a tree build should read at most readsAtOnce trusts at once', async () => {
    const figures = laterFigures();
    const tier = createPublicTier({
      figures,
      refdata,
      now: () => AS_OF,
      builder: inProcessBuilder(refdata, PUBLIC_TIER_CONTROL),
      gate: createGate(1),
      tickMs: 60_000,
      maxSeriesPoints: 200,
      cacheBudget: DEFAULT_CACHE_BUDGET,
      readsAtOnce: 4,
    });
    const tree = await tier.current(true);
    expect(tree.text({ kind: 'trust', code: TRUST }).json).toContain('"disclosure":"controlled"');
    // A trust's snapshot is 5 reads at once: 4 trusts, at most 20.
    expect(figures.most).toBe(20);
  });

  it('a controlled JSON body should be sent as its tree holds it, not serialized again', async () => {
    const t = await testApp();
    await t.apply([{ at: AS_OF - 60_000, counters: [{ figure: 'ed_attendances', by: 9 }] }]);
    const res = await get(t, `/v1/trusts/${TRUST}/snapshot`, { authorization: '' });
    const tree = await t.app.pulse.publicTier.current();
    expect(res.body).toBe(tree.text({ kind: 'trust', code: TRUST }).json);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const series = await get(t, `/v1/trusts/${TRUST}/series${SERIES}`, { authorization: '' });
    expect(series.json().disclosure).toBe('controlled');
    expect(series.headers['content-type']).toBe('application/json; charset=utf-8');
  });
});

describe('public tier: "now" trees are never starved', () => {
  it('a "now" tree should be built while series builds fill the gate, and its listeners told', async () => {
    let now = AS_OF;
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const inProcess = inProcessBuilder(refdata, PUBLIC_TIER_CONTROL);
    const tier = createPublicTier({
      figures: laterFigures(),
      refdata,
      now: () => now,
      // Series builds (of nothing) wait until released: the one gate slot stays taken.
      builder: {
        ...inProcess,
        series: async (input) => {
          await held;
          return { bodies: new Map([[`t:${TRUST}`, { json: '{}' }]]), weight: 1, asOf: input.asOf };
        },
      },
      gate: createGate(1),
      tickMs: 60_000,
      maxSeriesPoints: 200,
      cacheBudget: DEFAULT_CACHE_BUDGET,
    });
    const told: number[] = [];
    tier.onTree((tree) => told.push(tree.tick));
    const metric = resolveMetric('ed_attendances');
    const trust = { kind: 'trust', code: TRUST } as const;
    const info = { kind: 'trust', code: TRUST, name: 'RXN' } as const;
    const hour = Math.floor(AS_OF / 3_600_000) * 3_600_000;
    const series = (hours: number) =>
      tier.series(trust, info, metric, '1h', hour - hours * 3_600_000, hour);
    const first = series(4);
    await expect(series(5)).rejects.toMatchObject({ code: 'BUSY' });
    expect(tier.latest()).toBeUndefined();

    // The feed's ask: built in the "now" trees' own slot; listeners told.
    tier.refresh();
    const tick = Math.floor(now / 60_000);
    await vi.waitFor(() => expect(told).toEqual([tick]), { timeout: 30_000 });
    expect(tier.latest()?.tick).toBe(tick);
    tier.refresh(); // built: nothing to do
    // The next tick, still with the gate taken: a snapshot request waits for nothing.
    now += 60_000;
    expect((await tier.snapshot(trust, undefined)).asOf).toBe(AS_OF);
    await vi.waitFor(() => expect(told).toEqual([tick, tick + 1]), { timeout: 30_000 });
    expect((await tier.current(true)).tick).toBe(tick + 1);
    // An older date's tree is not today's.
    now += 86_400_000;
    expect(tier.latest()).toBeUndefined();
    release();
    await first;
  });
});
