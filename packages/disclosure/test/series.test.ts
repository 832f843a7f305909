import { describe, expect, it } from 'vitest';
import {
  controlSeries,
  controlSeriesTree,
  DisclosureError,
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
        const shown = p.value![key];
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
    expect(blind.children![1]!.body.points[0]!.value!.child).toBeNull();
    // Told it is known, it does not: 3 = England - 0 cannot be protected, and it says so.
    expect(() => controlSeriesTree(tree(true))).toThrow(/can be recovered/);
  });

  it('should be deterministic', () => {
    const tree = seriesTree(rng(6));
    expect(controlSeriesTree(structuredClone(tree))).toEqual(controlSeriesTree(tree));
  });
});
