// Reading one snapshot: which buckets make "today" and "the last hour", the reads in parallel,
// and the pure composition of the response (also used to build the documented example).
import {
  addSplit,
  BED_FIGURES,
  bucketsBetween,
  emptyBedFigures,
  emptyCounterFigures,
  emptyGaugeFigures,
  FIGURE_FAMILIES,
  DEPRECATED_COUNTER_ALIASES,
  londonDayBounds,
  QUARTER_MS,
  HOUR_MS,
  type CounterFigures,
  type Scope,
  type Split,
} from '@pulse/kpi';
import type { Completeness, FiguresSource, LiveFigures } from './ports.js';
import type { ScopeInfo } from './scopes.js';
import type { Snapshot } from './schemas/snapshot.js';
import { iso } from './time.js';
import { occupancyPct, periodRates } from './units.js';

export interface SnapshotParts {
  scope: ScopeInfo;
  asOf: number;
  londonDate: string;
  live: LiveFigures;
  today: CounterFigures;
  lastHour: CounterFigures;
  newestEventAt: number | null;
  completeness: Completeness;
  /** Derived figures unrounded (the `exact` parameter); default rounded (units.ts). */
  exact?: boolean;
}

/** The rolling hour: the four complete 15-minute buckets before asOf. */
export function lastHourOf(asOf: number): { from: number; to: number } {
  const to = Math.floor(asOf / QUARTER_MS) * QUARTER_MS;
  return { from: to - HOUR_MS, to };
}

/** The counters with each deprecated former name beside its figure (the same split). */
function withDeprecatedAliases(counters: CounterFigures) {
  const aliases = Object.entries(DEPRECATED_COUNTER_ALIASES).map(([alias, figure]) => [
    alias,
    counters[figure],
  ]);
  return { ...counters, ...Object.fromEntries(aliases) } as CounterFigures &
    Record<keyof typeof DEPRECATED_COUNTER_ALIASES, CounterFigures[keyof CounterFigures]>;
}

function period(from: number, to: number, counters: CounterFigures, exact: boolean) {
  return {
    from: iso(from),
    to: iso(to),
    counters: withDeprecatedAliases(counters),
    rates: periodRates(counters, exact),
  };
}

export function composeSnapshot(parts: SnapshotParts): Snapshot {
  const day = londonDayBounds(parts.londonDate);
  const hour = lastHourOf(parts.asOf);
  const { newestEventAt, asOf } = parts;
  const exact = parts.exact ?? false;
  return {
    scope: parts.scope,
    asOf: iso(asOf),
    londonDate: parts.londonDate,
    live: {
      gauges: parts.live.gauges,
      beds: parts.live.beds,
      ga_occupancy_pct: occupancyPct(parts.live.beds, exact),
    },
    today: period(day.start, day.end, parts.today, exact),
    lastHour: period(hour.from, hour.to, parts.lastHour, exact),
    freshness: {
      newestEventAt: newestEventAt === null ? null : iso(newestEventAt),
      ageSeconds: newestEventAt === null ? null : (asOf - newestEventAt) / 1000,
    },
    completeness: {
      from: iso(hour.from),
      to: iso(asOf),
      families: parts.completeness.families,
      reported: parts.completeness.reported,
      expected: parts.completeness.expected,
    },
  };
}

/** Reads everything a snapshot needs, in parallel. */
export async function readSnapshotParts(
  figures: FiguresSource,
  scope: Scope,
  info: ScopeInfo,
  asOf: number,
  londonDate: string,
): Promise<SnapshotParts> {
  const hour = lastHourOf(asOf);
  const [live, today, lastHour, newestEventAt, completeness] = await Promise.all([
    figures.live(scope, asOf, londonDate),
    figures.counters(scope, '1d', [londonDate]),
    figures.counters(scope, '15m', bucketsBetween('15m', hour.from, hour.to)),
    figures.freshness(scope),
    figures.completeness(scope, asOf, londonDate, hour.from),
  ]);
  return { scope: info, asOf, londonDate, live, today, lastHour, newestEventAt, completeness };
}

export async function readSnapshot(
  figures: FiguresSource,
  scope: Scope,
  info: ScopeInfo,
  asOf: number,
  londonDate: string,
  exact = false,
): Promise<Snapshot> {
  return composeSnapshot({
    ...(await readSnapshotParts(figures, scope, info, asOf, londonDate)),
    exact,
  });
}

function addFigures<F extends string>(into: Record<F, Split>, add: Record<F, Split>): void {
  for (const figure of Object.keys(into) as F[]) addSplit(into[figure], add[figure]);
}

/**
 * A parent scope's parts as the sum of its children's (read at one instant): what the figures of
 * an ICB, region or England are on the day's structure, with parent = sum of children exactly.
 */
export function sumParts(
  info: ScopeInfo,
  asOf: number,
  londonDate: string,
  children: readonly SnapshotParts[],
): SnapshotParts {
  const sum: SnapshotParts = {
    scope: info,
    asOf,
    londonDate,
    live: { gauges: emptyGaugeFigures(), beds: emptyBedFigures() },
    today: emptyCounterFigures(),
    lastHour: emptyCounterFigures(),
    newestEventAt: null,
    completeness: {
      reported: 0,
      expected: 0,
      families: Object.fromEntries(
        FIGURE_FAMILIES.map((family) => [family, { reported: 0, expected: 0 }]),
      ) as Completeness['families'],
    },
  };
  for (const child of children) {
    addFigures(sum.live.gauges, child.live.gauges);
    for (const bed of BED_FIGURES) sum.live.beds[bed] += child.live.beds[bed];
    addFigures(sum.today, child.today);
    addFigures(sum.lastHour, child.lastHour);
    if (child.newestEventAt !== null)
      sum.newestEventAt = Math.max(sum.newestEventAt ?? child.newestEventAt, child.newestEventAt);
    sum.completeness.reported += child.completeness.reported;
    sum.completeness.expected += child.completeness.expected;
    for (const family of FIGURE_FAMILIES) {
      sum.completeness.families[family].reported += child.completeness.families[family].reported;
      sum.completeness.families[family].expected += child.completeness.families[family].expected;
    }
  }
  return sum;
}
