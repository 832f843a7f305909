// The one place that knows the snapshot's field names: what each headline tile shows, read from
// whichever name the API serves (fields are being renamed: `ed_within_4h_share` 0–1 becomes
// `ed_within_4h_pct` 0–100, `ambulance_handover_ms_lost` becomes hours). Pure: no DOM, no fetch,
// so the browser test checks the screen against the API with these same functions.

/** A figure split by age group; under disclosure control a part may be null (suppressed). */
export interface Split {
  child: number | null;
  adult: number | null;
  unknown: number | null;
  total: number | null;
}

/** The age view every figure is shown in. */
export type AgeView = 'total' | 'child' | 'adult';
export const AGE_VIEWS: readonly { view: AgeView; label: string }[] = [
  { view: 'total', label: 'All ages' },
  { view: 'child', label: 'Children (0–17)' },
  { view: 'adult', label: 'Adults (18+)' },
];

type Figures = Record<string, Split | undefined>;

/** The parts of a snapshot (or a stream event's data) the dashboard reads. */
export interface Snapshot {
  scope: { kind: string; code?: string; name: string };
  asOf: string;
  londonDate: string;
  disclosure?: 'exact' | 'controlled';
  live: {
    gauges: Figures;
    beds: { ga_beds_open: number | null; ga_beds_occupied: number | null };
    ga_occupancy_pct: number | null;
  };
  today: { counters: Figures; rates: Figures };
  freshness: { newestEventAt: string | null; ageSeconds: number | null };
  /** null on the public tier below national level: who reported is shown only to tokens. */
  completeness: {
    reported: number | null;
    expected: number | null;
    /** Per figure family (served since the API counts each family's expected providers). */
    families?: Record<string, Coverage | undefined> | null;
  };
}

/** Providers that reported a family in the window, of those expected to. */
export interface Coverage {
  reported: number;
  expected: number;
}

const HOUR_MS = 3_600_000;

/** A tile's value: a number, `null` when suppressed or undefined (no denominator). */
export type Value = number | null;

export interface Tile {
  id: string;
  label: string;
  /** What it counts, for the tile's hint. */
  hint: string;
  unit: 'count' | 'pct' | 'hours';
  /** `live`: the state now; `today`: counted since London midnight. */
  period: 'live' | 'today';
  value(s: Snapshot, age: AgeView): Value;
  /** Its family of figures: which providers are expected to report it. */
  family: 'ae' | 'ambulance-handovers' | 'inpatient' | 'beds' | 'rtt';
  /** Whether the figure has a child / adult split (beds do not). */
  split: boolean;
  /** How its curve of today is read from the `/series` route. */
  curve: CurveSpec;
}

/**
 * A tile's curve: for a figure counted over the day, the running total by hour of counter series
 * (a share: of two); for a live gauge, its value at each 15-minute end (gauge history).
 */
export type CurveSpec =
  | { kind: 'running'; numerator: string; denominator?: string; scale?: number }
  | { kind: 'gauge'; metric: string };

const running = (numerator: string, denominator?: string, scale?: number): CurveSpec => ({
  kind: 'running',
  numerator,
  ...(denominator ? { denominator, scale } : {}),
});
const sampled = (metric: string): CurveSpec => ({ kind: 'gauge', metric });

const part = (split: Split | undefined, age: AgeView): Value => split?.[age] ?? null;
const counter = (name: string) => (s: Snapshot, age: AgeView) => part(s.today.counters[name], age);
const gauge = (name: string) => (s: Snapshot, age: AgeView) => part(s.live.gauges[name], age);

/** 4-hour share in %: `ed_within_4h_pct` when served, else the 0–1 `ed_within_4h_share` × 100. */
export function fourHourPct(s: Snapshot, age: AgeView): Value {
  const pct = s.today.rates['ed_within_4h_pct'];
  if (pct) return part(pct, age);
  const share = part(s.today.rates['ed_within_4h_share'], age);
  return share === null ? null : share * 100;
}

/** Handover hours lost: an hours figure when served, else the milliseconds counter / 3.6e6. */
export function handoverHoursLost(s: Snapshot, age: AgeView): Value {
  const hours =
    s.today.rates['ambulance_handover_hours_lost'] ??
    s.today.counters['ambulance_handover_hours_lost'];
  if (hours) return part(hours, age);
  const ms = part(s.today.counters['ambulance_handover_ms_lost'], age);
  return ms === null ? null : ms / HOUR_MS;
}

export const TILES: readonly Tile[] = [
  {
    id: 'ed_attendances',
    family: 'ae',
    label: 'A&E attendances today',
    hint: 'Arrivals at A&E since midnight',
    unit: 'count',
    period: 'today',
    split: true,
    value: counter('ed_attendances'),
    curve: running('ed_attendances'),
  },
  {
    id: 'ed_within_4h',
    family: 'ae',
    label: 'Within 4 hours',
    hint: 'A&E departures today within 4 hours of arrival',
    unit: 'pct',
    period: 'today',
    split: true,
    value: fourHourPct,
    curve: running('ed_departures_within_4h', 'ed_departures', 100),
  },
  {
    id: 'ed_departures_over_12h',
    family: 'ae',
    label: '12-hour departures',
    hint: 'Left A&E today 12 hours or more after arrival',
    unit: 'count',
    period: 'today',
    split: true,
    value: counter('ed_departures_over_12h'),
    curve: running('ed_departures_over_12h'),
  },
  {
    id: 'ed_in_department',
    family: 'ae',
    label: 'In A&E now',
    hint: 'Patients in the department now',
    unit: 'count',
    period: 'live',
    split: true,
    value: gauge('ed_in_department'),
    curve: sampled('ed_in_department'),
  },
  {
    id: 'ed_in_department_over_12h',
    family: 'ae',
    label: 'In A&E over 12 hours now',
    hint: 'Patients in the department now who arrived 12 hours or more ago',
    unit: 'count',
    period: 'live',
    split: true,
    value: gauge('ed_in_department_over_12h'),
    curve: sampled('ed_in_department_over_12h'),
  },
  {
    id: 'ambulance_handovers_over_30m',
    family: 'ambulance-handovers',
    label: 'Handovers over 30 minutes',
    hint: 'Ambulance handovers today over 30 minutes',
    unit: 'count',
    period: 'today',
    split: true,
    value: counter('ambulance_handovers_over_30m'),
    curve: running('ambulance_handovers_over_30m'),
  },
  {
    id: 'ambulance_handovers_over_60m',
    family: 'ambulance-handovers',
    label: 'Handovers over 60 minutes',
    hint: 'Ambulance handovers today over 60 minutes',
    unit: 'count',
    period: 'today',
    split: true,
    value: counter('ambulance_handovers_over_60m'),
    curve: running('ambulance_handovers_over_60m'),
  },
  {
    id: 'ambulance_hours_lost',
    family: 'ambulance-handovers',
    label: 'Handover hours lost',
    hint: 'Hours lost today beyond the 15-minute handover standard',
    unit: 'hours',
    period: 'today',
    split: true,
    value: handoverHoursLost,
    curve: running('ambulance_handover_hours_lost'),
  },
  {
    id: 'ga_occupancy',
    family: 'beds',
    label: 'G&A bed occupancy',
    hint: 'General and acute beds occupied of those open (no age split)',
    unit: 'pct',
    period: 'live',
    split: false,
    value: (s) => s.live.ga_occupancy_pct,
    curve: sampled('ga_occupancy_pct'),
  },
  {
    id: 'ctr_not_meeting',
    family: 'inpatient',
    label: 'Not meeting criteria to reside',
    hint: 'Inpatients who no longer need to be in hospital',
    unit: 'count',
    period: 'live',
    split: true,
    value: gauge('ctr_not_meeting'),
    curve: sampled('ctr_not_meeting'),
  },
  {
    id: 'rtt_over_18w',
    family: 'rtt',
    label: 'RTT waits over 18 weeks',
    hint: 'Open referral-to-treatment pathways over 18 weeks',
    unit: 'count',
    period: 'live',
    split: true,
    value: gauge('rtt_over_18w'),
    curve: sampled('rtt_over_18w'),
  },
  {
    id: 'rtt_over_52w',
    family: 'rtt',
    label: 'RTT waits over 52 weeks',
    hint: 'Open referral-to-treatment pathways over 52 weeks',
    unit: 'count',
    period: 'live',
    split: true,
    value: gauge('rtt_over_52w'),
    curve: sampled('rtt_over_52w'),
  },
  {
    id: 'rtt_over_65w',
    family: 'rtt',
    label: 'RTT waits over 65 weeks',
    hint: 'Open referral-to-treatment pathways over 65 weeks',
    unit: 'count',
    period: 'live',
    split: true,
    value: gauge('rtt_over_65w'),
    curve: sampled('rtt_over_65w'),
  },
];

export const tileById = (id: string): Tile | undefined => TILES.find((t) => t.id === id);

const counts = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('en-GB', {
  minimumFractionDigits: 1,
  maximumFractionDigits: 1,
});

/** The text a value is shown as: what the browser test expects on screen too. */
export function formatValue(value: Value, unit: Tile['unit']): string {
  if (value === null || !Number.isFinite(value)) return '–';
  if (unit === 'pct') return `${oneDecimal.format(value)}%`;
  if (unit === 'hours') return `${oneDecimal.format(value)} h`;
  return counts.format(value);
}

/** A tile's value as shown, for an age view, or a note when the figure has no such split. */
export function tileText(tile: Tile, s: Snapshot, age: AgeView): string {
  if (!tile.split && age !== 'total') return 'Not split by age';
  return formatValue(tile.value(s, age), tile.unit);
}

/**
 * How complete a tile's figure is: its family's providers that reported in the window, of those
 * expected to report it; the older all-providers count where the API gives no families.
 */
export function coverageOf(tile: Tile, s: Snapshot): Coverage | null {
  const { reported, expected, families } = s.completeness;
  const family = families?.[tile.family];
  if (family) return family;
  return reported === null || expected === null ? null : { reported, expected };
}

/** A tile's completeness in words, as shown. */
export function coverageText(tile: Tile, s: Snapshot): string {
  const coverage = coverageOf(tile, s);
  if (!coverage) return 'Which providers reported is published only at national level.';
  const { reported, expected } = coverage;
  return `${reported} of ${expected} providers expected to report it did in the last hour.`;
}

/** How old the newest event is, in words. */
export function ageText(seconds: number | null): string {
  if (seconds === null) return 'no data yet';
  const s = Math.max(0, Math.round(seconds));
  if (s < 90) return `${s} s ago`;
  if (s < 5400) return `${Math.round(s / 60)} min ago`;
  return `${Math.round(s / 3600)} h ago`;
}

/** Fresh (within 15 min), late (within an hour) or silent: a provider's reporting state. */
export type Reporting = 'fresh' | 'late' | 'silent';
export function reportingOf(ageSeconds: number | null): Reporting {
  if (ageSeconds === null || ageSeconds > 3600) return 'silent';
  return ageSeconds > 900 ? 'late' : 'fresh';
}

/** A series point's value in an age view: a split's part, or the one number of a figure with none. */
export function pointValue(value: Split | number | null, age: AgeView): Value {
  if (typeof value === 'number') return age === 'total' ? value : null;
  return value?.[age] ?? null;
}

/**
 * Running totals over the day's hourly buckets. A bucket with no value (null: no provider of the
 * area reported the figure's family in it, or it is suppressed, or not begun) is a gap in the
 * curve and adds nothing to the total after it.
 */
export function cumulative(
  numerator: readonly Value[],
  denominator?: readonly Value[],
  scale = 1,
): Value[] {
  let num = 0;
  let den = 0;
  return numerator.map((n, i) => {
    const d = denominator ? (denominator[i] ?? null) : 0;
    if (n === null || d === null) return null;
    num += n;
    if (!denominator) return num * scale;
    den += d;
    return den === 0 ? null : (num / den) * scale;
  });
}
