// Random, realistic snapshot and series bodies for the tests: a seeded generator, so a failure
// names a seed that reproduces it. Figures keep their real nesting (over 12 hours within
// departures, the last hour within today), and a parent's figures are the sum of its children's.
import {
  AGE_GROUPS,
  addSplit,
  BED_FIGURES,
  COUNTER_FIGURES,
  deriveRates,
  emptyBedFigures,
  emptyCounterFigures,
  emptyGaugeFigures,
  type AgeGroup,
  type BedFigures,
  type CounterFigures,
  type GaugeFigures,
  type ScopeKind,
  type Split,
} from '@pulse/kpi';
import { prng } from '@pulse/verify';
import type { Family, SeriesBody, SnapshotBody } from '../src/index.js';

/** The exact bodies the feeds API composes: every count a number. */
export interface ExactPeriod {
  from: string;
  to: string;
  counters: CounterFigures;
  rates: SnapshotBody['today']['rates'];
}
export interface ExactSnapshot extends SnapshotBody {
  live: { gauges: GaugeFigures; beds: BedFigures; ga_occupancy_pct: number | null };
  today: ExactPeriod;
  lastHour: ExactPeriod;
}
export interface ExactSeries extends SeriesBody {
  points: { start: string; end: string; value: Split | null }[];
}

/** A seeded random source: a failing seed replays. */
export const rng = prng;

export type Random = () => number;
const int = (r: Random, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

/** A count that is often 0 or small, as a trust's hour or an age group's day often is. */
function count(r: Random, scale: number): number {
  const u = r();
  if (u < 0.25) return 0;
  if (u < 0.6) return int(r, 1, 9);
  return int(r, 5, Math.max(6, Math.round(scale)));
}

const GROUP_SCALE: Record<AgeGroup, number> = { child: 0.3, adult: 1, unknown: 0.08 };

function setGroup(split: Split, group: AgeGroup, value: number): void {
  split[group] = value;
  split.total = split.child + split.adult + split.unknown;
}

/** A period's counters; with `under` (the last hour's), a day's: the hour plus the rest of the day. */
function counters(r: Random, scale: number, under?: CounterFigures): CounterFigures {
  const c = emptyCounterFigures();
  for (const g of AGE_GROUPS) {
    const s = scale * GROUP_SCALE[g];
    const v: Partial<Record<keyof CounterFigures, number>> = {};
    for (const f of COUNTER_FIGURES) v[f] = count(r, s);
    // nesting: each part no more than its whole
    const clamp = (f: keyof CounterFigures, max: number) => {
      v[f] = Math.min(v[f]!, max);
    };
    v.ed_attendances = Math.max(v.ed_attendances!, v.ed_attendances_ambulance!);
    const departures = v.ed_departures!;
    clamp('ed_departures_over_12h', Math.floor(departures / 4));
    clamp('ed_departures_within_4h', departures - v.ed_departures_over_12h!);
    clamp('ed_departures_admitted', departures);
    clamp('ambulance_handovers_over_30m', v.ambulance_handovers!);
    clamp('ambulance_handovers_over_60m', v.ambulance_handovers_over_30m!);
    const discharged =
      v.discharges_home! +
      v.discharges_care_home! +
      v.discharges_other_provider! +
      v.discharges_hospice! +
      v.discharges_died! +
      v.discharges_other!;
    clamp('discharges_not_meeting_ctr', discharged);
    v.ambulance_handover_ms_lost = v.ambulance_handovers! * int(r, 0, 40) * 60_000;
    // the rest of the day keeps the nesting, so the day (hour + rest) does too
    for (const f of COUNTER_FIGURES) setGroup(c[f], g, v[f]! + (under ? under[f][g] : 0));
  }
  return c;
}

function gauges(r: Random, scale: number): GaugeFigures {
  const out = emptyGaugeFigures();
  for (const g of AGE_GROUPS) {
    const s = scale * GROUP_SCALE[g];
    const inDept = count(r, s);
    const waiting = count(r, s * 4);
    const over18 = int(r, 0, waiting);
    const over52 = int(r, 0, over18);
    setGroup(out.ed_in_department, g, inDept);
    setGroup(out.ed_in_department_over_12h, g, int(r, 0, inDept));
    setGroup(out.ctr_not_meeting, g, count(r, s));
    setGroup(out.rtt_waiting, g, waiting);
    setGroup(out.rtt_over_18w, g, over18);
    setGroup(out.rtt_over_52w, g, over52);
    setGroup(out.rtt_over_65w, g, int(r, 0, over52));
  }
  return out;
}

const TODAY = { from: '2026-04-01T23:00:00.000Z', to: '2026-04-02T23:00:00.000Z' };
const LAST_HOUR = { from: '2026-04-02T10:00:00.000Z', to: '2026-04-02T11:00:00.000Z' };

function period(span: { from: string; to: string }, c: CounterFigures) {
  const { ed_within_4h_share, ambulance_handover_hours_lost } = deriveRates(c);
  return { ...span, counters: c, rates: { ed_within_4h_share, ambulance_handover_hours_lost } };
}

/** A trust's snapshot body, every figure drawn afresh; `scale` is its typical count. */
export function trustSnapshot(r: Random, code: string, scale = 60): ExactSnapshot {
  const lastHour = counters(r, scale / 6);
  const today = counters(r, scale, lastHour);
  const beds = emptyBedFigures();
  beds.ga_beds_open = count(r, scale * 4);
  beds.ga_beds_occupied = int(r, 0, beds.ga_beds_open);
  return body(
    { kind: 'trust', code, name: `Trust ${code}` },
    gauges(r, scale),
    beds,
    today,
    lastHour,
  );
}

function body(
  scope: SnapshotBody['scope'],
  g: GaugeFigures,
  beds: BedFigures,
  today: CounterFigures,
  lastHour: CounterFigures,
): ExactSnapshot {
  return {
    scope,
    asOf: '2026-04-02T11:07:30.000Z',
    londonDate: '2026-04-02',
    live: {
      gauges: g,
      beds,
      ga_occupancy_pct: deriveRates(today, beds).ga_occupancy_pct,
    },
    today: period(TODAY, today),
    lastHour: period(LAST_HOUR, lastHour),
    freshness: { newestEventAt: '2026-04-02T11:07:00.000Z', ageSeconds: 30 },
    completeness: { reported: 1, expected: 1, from: LAST_HOUR.from, to: LAST_HOUR.to },
  } as ExactSnapshot;
}

function sumSplits<F extends string>(parts: readonly Record<F, Split>[], empty: Record<F, Split>) {
  for (const p of parts) for (const f of Object.keys(empty) as F[]) addSplit(empty[f], p[f]);
  return empty;
}

/** The parent's snapshot body: every count the sum of its children's. */
export function parentSnapshot(
  scope: { kind: ScopeKind; code?: string },
  children: readonly ExactSnapshot[],
): ExactSnapshot {
  const beds = emptyBedFigures();
  for (const c of children) for (const b of BED_FIGURES) beds[b] += c.live.beds[b];
  const name = scope.code ?? 'England';
  return body(
    { ...scope, name },
    sumSplits(
      children.map((c) => c.live.gauges),
      emptyGaugeFigures(),
    ),
    beds,
    sumSplits(
      children.map((c) => c.today.counters),
      emptyCounterFigures(),
    ),
    sumSplits(
      children.map((c) => c.lastHour.counters),
      emptyCounterFigures(),
    ),
  );
}

/** An ICB of 2 to 6 trusts (and, with `region`, a region of 2 to 3 such ICBs). */
export function snapshotTree(r: Random, depth: 'icb' | 'region' = 'icb'): Family<ExactSnapshot> {
  const icb = (code: string): Family<ExactSnapshot> => {
    const trusts = Array.from({ length: int(r, 2, 6) }, (_, i) => ({
      body: trustSnapshot(r, `${code}T${i}`, int(r, 10, 120)),
    }));
    return {
      body: parentSnapshot(
        { kind: 'icb', code },
        trusts.map((t) => t.body),
      ),
      children: trusts,
    };
  };
  if (depth === 'icb') return icb('I1');
  const icbs = Array.from({ length: int(r, 2, 3) }, (_, i) => icb(`I${i}`));
  return {
    body: parentSnapshot(
      { kind: 'region', code: 'Y61' },
      icbs.map((i) => i.body),
    ),
    children: icbs,
  };
}

/** A series of `points` hourly points for one scope. */
export function seriesBody(
  r: Random,
  scope: SeriesBody['scope'],
  points: number,
  scale: number,
): ExactSeries {
  const start = Date.parse('2026-04-02T00:00:00.000Z');
  const at = (i: number) => new Date(start + i * 3_600_000).toISOString();
  return {
    scope,
    metric: 'ed_attendances',
    interval: '1h',
    from: at(0),
    to: at(points),
    points: Array.from({ length: points }, (_, i) => {
      const value = { child: 0, adult: 0, unknown: 0, total: 0 };
      for (const g of AGE_GROUPS) setGroup(value, g, count(r, scale * GROUP_SCALE[g]));
      return { start: at(i), end: at(i + 1), value };
    }),
  };
}

/** A series tree: an ICB's series, the sum of 2 to 6 trusts' series. */
export function seriesTree(r: Random, points = 6): Family<ExactSeries> {
  const trusts = Array.from({ length: int(r, 2, 6) }, (_, i) => ({
    body: seriesBody(
      r,
      { kind: 'trust', code: `T${i}`, name: `Trust ${i}` },
      points,
      int(r, 10, 80),
    ),
  }));
  const root = structuredClone(trusts[0]!.body);
  root.scope = { kind: 'icb', code: 'I1', name: 'ICB I1' };
  root.points.forEach((p, i) => {
    const value = { child: 0, adult: 0, unknown: 0, total: 0 };
    for (const t of trusts) addSplit(value, t.body.points[i]!.value!);
    p.value = value;
  });
  return { body: root, children: trusts };
}

/** A body of `kind` whose every figure is 0, to set a few by hand. */
export function zeroSnapshot(kind: ScopeKind = 'trust', code = 'RXN'): ExactSnapshot {
  return parentSnapshot(kind === 'england' ? { kind } : { kind, code }, []);
}

/** Sets a split's groups and its total. */
export function setSplit(split: Split, child: number, adult: number, unknown: number): void {
  Object.assign(split, { child, adult, unknown, total: child + adult + unknown });
}
