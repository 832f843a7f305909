import { describe, expect, it } from 'vitest';
import {
  controlSeries,
  controlSeriesTree,
  DisclosureError,
  type NullableSplit,
  type SeriesBody,
} from '../src/index.js';
import { rng, seriesBody, seriesTree } from './bodies.js';

const trust = { kind: 'trust' as const, code: 'RXN', name: 'RXN' };

describe('controlSeries', () => {
  it('should round or suppress each point of a sub-national series and list what it hid', () => {
    const body = seriesBody(rng(1), trust, 24, 30);
    const out = controlSeries(body);
    expect(out.disclosure).toBe('controlled');
    out.points.forEach((p, i) => {
      for (const key of ['child', 'adult', 'unknown', 'total'] as const) {
        const truth = body.points[i]!.value![key];
        const shown = (p.value as NullableSplit)[key];
        const listed = out.suppressed.some((s) => s.path === `/points/${i}/value/${key}`);
        expect(shown === null).toBe(listed);
        if (truth >= 1 && truth <= 7) expect(shown).toBeNull();
        if (shown !== null) expect(Math.abs(shown - truth)).toBeLessThanOrEqual(2);
      }
      expect(p.start).toBe(body.points[i]!.start);
    });
    expect(out.suppressed.length).toBeGreaterThan(0);
  });

  it('should give England exactly', () => {
    const body = seriesBody(rng(2), { kind: 'england', name: 'England' }, 6, 5);
    const out = controlSeries(body);
    expect(out).toEqual({ ...body, disclosure: 'exact', suppressed: [] });
  });

  it('should leave a null point null, unlisted', () => {
    const body = seriesBody(rng(3), trust, 3, 30);
    const points = [...body.points];
    points[1] = { ...points[1]!, value: null };
    const out = controlSeries({ ...body, points });
    expect(out.points[1]!.value).toBeNull();
    expect(out.suppressed.some((s) => s.path.startsWith('/points/1/'))).toBe(false);
  });

  it('should hide every sub-national point of milliseconds lost, which has no base count here', () => {
    const body: SeriesBody = {
      ...seriesBody(rng(4), trust, 2, 30),
      metric: 'ambulance_handover_ms_lost',
    };
    const out = controlSeries(body);
    expect(out.points.map((p) => p.value)).toEqual([
      { child: null, adult: null, unknown: null, total: null },
      { child: null, adult: null, unknown: null, total: null },
    ]);
    expect(out.suppressed.every((s) => s.reason === 'derived')).toBe(true);
  });
});

describe('controlSeriesTree', () => {
  it('should refuse a tree whose series are not over the same buckets', () => {
    const tree = seriesTree(rng(5));
    const child = tree.children![0]!;
    const other = { ...child.body, interval: '15m' };
    expect(() => controlSeriesTree({ ...tree, children: [{ body: other }] })).toThrow(
      DisclosureError,
    );
  });

  it('should never rely on hiding a value readers know (a known point)', () => {
    // England (exact) = a region with 3 + a region with nothing reported (0, known to readers).
    const point = (value: number, known = false) => ({
      start: '2026-12-01T09:00:00.000Z',
      end: '2026-12-01T10:00:00.000Z',
      value: { child: value, adult: 0, unknown: 0, total: value },
      known,
    });
    const body = (scope: SeriesBody['scope'], value: number, known = false): SeriesBody => ({
      scope,
      metric: 'ed_attendances',
      interval: '1h',
      from: '2026-12-01T09:00:00.000Z',
      to: '2026-12-01T10:00:00.000Z',
      points: [point(value, known)],
    });
    const tree = (known: boolean) => ({
      body: body({ kind: 'england' as const, name: 'England' }, 3),
      children: [
        { body: body({ kind: 'region' as const, code: 'Y62', name: 'North West' }, 3) },
        { body: body({ kind: 'region' as const, code: 'Y63', name: 'North East' }, 0, known) },
      ],
    });
    // Told nothing, the control hides the zero as the complement: useless to a reader who knows it.
    const blind = controlSeriesTree(tree(false));
    expect((blind.children![1]!.body.points[0]!.value as NullableSplit).child).toBeNull();
    // Told it is known, it does not: 3 = England - 0 cannot be protected, and it says so.
    expect(() => controlSeriesTree(tree(true))).toThrow(/can be recovered/);
  });

  it('should be deterministic', () => {
    const tree = seriesTree(rng(6));
    expect(controlSeriesTree(structuredClone(tree))).toEqual(controlSeriesTree(tree));
  });
});

describe('controlSeriesTree of G&A beds (no age split)', () => {
  const beds = (scope: SeriesBody['scope'], open: number, occupied: number): SeriesBody => ({
    scope,
    metric: 'ga_occupancy_pct',
    interval: '15m',
    from: '2026-12-01T09:00:00.000Z',
    to: '2026-12-01T09:15:00.000Z',
    points: [
      {
        start: '2026-12-01T09:00:00.000Z',
        end: '2026-12-01T09:15:00.000Z',
        value: { ga_beds_open: open, ga_beds_occupied: occupied },
      },
    ],
  });
  const a = { kind: 'trust' as const, code: 'A', name: 'A' };
  const b = { kind: 'trust' as const, code: 'B', name: 'B' };
  const icb = { kind: 'icb' as const, code: 'I1', name: 'ICB I1' };

  it('should suppress a small beds count and keep it from being recovered through its parent', () => {
    const [openA, occA, openB, occB] = [23, 3, 41, 32];
    const out = controlSeriesTree({
      body: beds(icb, openA + openB, occA + occB),
      children: [{ body: beds(a, openA, occA) }, { body: beds(b, openB, occB) }],
    });
    const value = (body: { points: readonly { value: unknown }[] }) =>
      body.points[0]!.value as { ga_beds_open: number | null; ga_beds_occupied: number | null };
    const [outA, outB] = out.children!.map((c) => c.body);
    expect(value(outA!).ga_beds_occupied).toBeNull();
    expect(outA!.suppressed).toContainEqual({
      path: '/points/0/value/ga_beds_occupied',
      reason: 'suppressed',
    });
    // The parent's occupied minus B's would give A's: one of them is hidden too.
    expect(
      value(out.body).ga_beds_occupied === null || value(outB!).ga_beds_occupied === null,
    ).toBe(true);
    // Counts shown are rounded to 5, never the small count.
    for (const body of [out.body, outA!, outB!]) {
      for (const shown of Object.values(value(body))) {
        if (shown !== null) expect(shown % 5).toBe(0);
      }
    }
  });

  it('should give England its beds exactly', () => {
    const england = beds({ kind: 'england', name: 'England' }, 23, 3);
    expect(controlSeries(england)).toEqual({ ...england, disclosure: 'exact', suppressed: [] });
  });
});
