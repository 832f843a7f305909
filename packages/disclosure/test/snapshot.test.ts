import { COUNTER_FIGURES, GAUGE_FIGURES } from '@pulse/kpi';
import { describe, expect, it } from 'vitest';
import {
  controlSnapshot,
  controlSnapshotTree,
  DisclosureError,
  findScope,
  type ControlledSnapshot,
} from '../src/index.js';
import { pointer } from './attacker.js';
import {
  parentSnapshot,
  rng,
  setSplit,
  snapshotTree,
  trustSnapshot,
  zeroSnapshot,
} from './bodies.js';

const GROUPS = ['child', 'adult', 'unknown', 'total'] as const;

/** Every count's JSON pointer in a snapshot body (ms lost is not a count). */
const COUNT_PATHS = [
  ...GAUGE_FIGURES.map((g) => `/live/gauges/${g}`),
  ...['today', 'lastHour'].flatMap((p) =>
    COUNTER_FIGURES.filter((f) => f !== 'ambulance_handover_ms_lost').map(
      (f) => `/${p}/counters/${f}`,
    ),
  ),
].flatMap((s) => GROUPS.map((g) => `${s}/${g}`));

describe('controlSnapshot', () => {
  it('should publish every sub-national count rounded to 5 or as null, 1 to 7 always null', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const body = trustSnapshot(rng(seed), 'RXN', 40);
      const out = controlSnapshot(body);
      const listed = new Set(out.suppressed.map((s) => s.path));
      expect(out.disclosure).toBe('controlled');
      for (const path of [
        ...COUNT_PATHS,
        '/live/beds/ga_beds_open',
        '/live/beds/ga_beds_occupied',
      ]) {
        const truth = pointer(body, path)!;
        const shown = pointer(out, path);
        expect(shown === null).toBe(listed.has(path));
        if (truth >= 1 && truth <= 7) expect(shown).toBeNull();
        if (shown !== null) {
          expect(shown % 5).toBe(0);
          expect(Math.abs(shown - truth)).toBeLessThanOrEqual(2);
        }
      }
    }
  });

  it('should hide a second value of a split whose one small value the others would give away', () => {
    const body = zeroSnapshot();
    setSplit(body.today.counters.ed_attendances, 3, 100, 0);
    const out = controlSnapshot(body);
    expect(out.today.counters.ed_attendances).toEqual({
      child: null,
      adult: null,
      unknown: 0,
      total: 105,
    });
    expect(out.suppressed).toEqual([
      { path: '/today/counters/ed_attendances/child', reason: 'suppressed' },
      { path: '/today/counters/ed_attendances/adult', reason: 'suppressed' },
    ]);
  });

  it('should publish 0 as 0 and 8 as 10, with nothing suppressed', () => {
    const body = zeroSnapshot();
    setSplit(body.live.gauges.ed_in_department, 8, 0, 0);
    const out = controlSnapshot(body);
    expect(out.live.gauges.ed_in_department).toEqual({
      child: 10,
      adult: 0,
      unknown: 0,
      total: 10,
    });
    expect(out.suppressed).toEqual([]);
  });

  it('should compute the 4-hour share from the rounded counts', () => {
    const body = zeroSnapshot();
    setSplit(body.today.counters.ed_departures, 0, 13, 0);
    setSplit(body.today.counters.ed_departures_within_4h, 0, 12, 0);
    const share = controlSnapshot(body).today.rates.ed_within_4h_share;
    // 10 / 15, not 12 / 13; no departures: null, as on the exact tier
    expect(share).toEqual({ child: null, adult: 10 / 15, unknown: null, total: 10 / 15 });
  });

  it('should suppress a share, hours lost and occupancy whose base count is suppressed', () => {
    const body = zeroSnapshot();
    setSplit(body.today.counters.ed_departures, 5, 40, 0);
    setSplit(body.today.counters.ed_departures_within_4h, 5, 30, 0);
    setSplit(body.today.counters.ambulance_handovers, 0, 6, 0);
    body.today.counters.ambulance_handover_ms_lost.adult = 3_600_000;
    body.today.counters.ambulance_handover_ms_lost.total = 3_600_000;
    body.live.beds.ga_beds_open = 6;
    body.live.beds.ga_beds_occupied = 6;
    const out = controlSnapshot(body);
    const derived = out.suppressed.filter((s) => s.reason === 'derived').map((s) => s.path);
    expect(out.today.rates.ed_within_4h_share.child).toBeNull();
    expect(derived).toContain('/today/rates/ed_within_4h_share/child');
    expect(out.today.counters.ambulance_handover_ms_lost.adult).toBeNull();
    expect(out.today.rates.ambulance_handover_hours_lost.adult).toBeNull();
    expect(derived).toContain('/today/rates/ambulance_handover_hours_lost/adult');
    expect(out.live.ga_occupancy_pct).toBeNull();
    expect(derived).toContain('/live/ga_occupancy_pct');
  });

  it('should compute occupancy from the rounded beds', () => {
    const body = zeroSnapshot();
    body.live.beds.ga_beds_open = 812;
    body.live.beds.ga_beds_occupied = 773;
    expect(controlSnapshot(body).live.ga_occupancy_pct).toBe((775 / 810) * 100);
  });

  it('should give England exactly, small counts included', () => {
    const body = zeroSnapshot('england');
    setSplit(body.today.counters.ed_departures_over_12h, 3, 1, 0);
    const out = controlSnapshot(body);
    expect(out.disclosure).toBe('exact');
    expect(out.suppressed).toEqual([]);
    expect(out.today.counters).toEqual(body.today.counters);
    expect(out.live).toEqual(body.live);
  });

  it('should be deterministic and leave its input unchanged', () => {
    const body = trustSnapshot(rng(7), 'RXN');
    const before = structuredClone(body);
    const first = controlSnapshot(body);
    expect(controlSnapshot(structuredClone(body))).toEqual(first);
    expect(body).toEqual(before);
  });

  it('should keep the fields it does not control', () => {
    const body = trustSnapshot(rng(3), 'RXN');
    const out = controlSnapshot(body) as ControlledSnapshot & Record<string, unknown>;
    for (const key of ['scope', 'asOf', 'londonDate', 'freshness', 'completeness']) {
      expect(out[key]).toEqual((body as unknown as Record<string, unknown>)[key]);
    }
    expect(out.today.from).toBe(body.today.from);
  });

  it('should refuse a figure that is not a count', () => {
    const body = zeroSnapshot();
    body.live.beds.ga_beds_open = -1;
    expect(() => controlSnapshot(body)).toThrow(DisclosureError);
  });
});

describe('controlSnapshotTree', () => {
  it('should hide a second trust where one trust alone would be the ICB minus the others', () => {
    const trusts = ['RA1', 'RA2', 'RA3'].map((code) => zeroSnapshot('trust', code));
    setSplit(trusts[0]!.today.counters.admissions_elective, 0, 2, 0);
    setSplit(trusts[1]!.today.counters.admissions_elective, 0, 40, 0);
    setSplit(trusts[2]!.today.counters.admissions_elective, 0, 61, 0);
    const icb = parentSnapshot({ kind: 'icb', code: 'QE1' }, trusts);
    const out = controlSnapshotTree({ body: icb, children: trusts.map((body) => ({ body })) });
    const adult = (code: string) =>
      findScope(out, code === 'QE1' ? 'icb' : 'trust', code)!.today.counters.admissions_elective
        .adult;
    expect(adult('QE1')).toBe(105);
    expect(adult('RA1')).toBeNull();
    // the smallest other trust, not the largest
    expect(adult('RA2')).toBeNull();
    expect(adult('RA3')).toBe(60);
  });

  it('should serve the same body for a scope whichever tree route reads it', () => {
    const tree = snapshotTree(rng(11), 'region');
    const once = controlSnapshotTree(tree);
    const again = controlSnapshotTree(structuredClone(tree));
    const code = tree.children![0]!.children![0]!.body.scope.code!;
    expect(findScope(again, 'trust', code)).toEqual(findScope(once, 'trust', code));
    expect(findScope(once, 'trust', 'NOPE')).toBeUndefined();
    expect(findScope(once, 'region', 'Y61')!.scope.code).toBe('Y61');
  });
});
