// Tidy CSV of series and snapshots, for spreadsheets and data frames: one row per organisation ×
// metric × bucket (or snapshot period), the same columns for both, a header row, RFC 4180 quoting
// and CRLF line ends (csv-stringify). Values are the response's own, after disclosure control: a
// null (unknown, or suppressed) is an empty cell. Pure: bodies in, text out.
import {
  BED_FIGURES,
  COUNTER_FIGURES,
  FIGURE_FAMILY,
  GAUGE_FIGURES,
  type FigureFamily,
} from '@pulse/kpi';
import { stringify } from 'csv-stringify/sync';
import { counterUnit } from './schemas/figures.js';
import type { Series } from './schemas/series.js';
import type { Snapshot } from './schemas/snapshot.js';
import type { Unit } from './units.js';

export const CSV_COLUMNS = [
  'scope_kind',
  'scope_code',
  'scope_name',
  'metric',
  'unit',
  'period',
  'start',
  'end',
  'open',
  'child',
  'adult',
  'unknown',
  'total',
  'coverage_reported',
  'coverage_expected',
  'disclosure',
] as const;

type Cell = string | number | boolean | null | undefined;
export type CsvRow = Record<(typeof CSV_COLUMNS)[number], Cell>;

type NullableSplit = Record<'child' | 'adult' | 'unknown' | 'total', number | null>;
type ScopeInfo = Snapshot['scope'];

/** A series body as the series routes serve it (exact or controlled). */
export type CsvSeries = Series & { disclosure?: string };
/** A snapshot body as the snapshot routes serve it (exact or controlled). */
export type CsvSnapshot = Snapshot;

const scopeCells = (scope: ScopeInfo) => ({
  scope_kind: scope.kind,
  scope_code: scope.code,
  scope_name: scope.name,
});

const splitCells = (split: NullableSplit | null) => ({
  child: split?.child,
  adult: split?.adult,
  unknown: split?.unknown,
  total: split?.total,
});

const ONE_VALUE = (total: number | null) => ({ child: null, adult: null, unknown: null, total });

/** The rows of series bodies, series after series, bucket after bucket. */
export function seriesRows(bodies: readonly CsvSeries[]): CsvRow[] {
  return bodies.flatMap((body) =>
    body.points.map((point) => ({
      ...scopeCells(body.scope),
      metric: body.metric,
      unit: body.unit,
      period: body.interval,
      start: point.start,
      end: point.end,
      open: point.open,
      // A figure with no age split (G&A beds) fills `total` only, as in a snapshot's rows.
      ...(typeof point.value === 'number' ? ONE_VALUE(point.value) : splitCells(point.value)),
      coverage_reported: point.coverage?.reported ?? null,
      coverage_expected: point.coverage?.expected ?? null,
      disclosure: body.disclosure,
    })),
  );
}

/** The rates a snapshot period gives in CSV (the deprecated ratio is left out). */
const RATE_UNITS = {
  ed_within_4h_pct: { unit: 'percent', family: 'ae' },
  ambulance_handover_hours_lost: { unit: 'hours', family: 'ambulance-handovers' },
} as const satisfies Partial<
  Record<keyof Snapshot['today']['rates'], { unit: Unit; family: FigureFamily }>
>;

/**
 * The rows of a snapshot: live gauges, beds and occupancy (period `live`, start = end = asOf),
 * then today's and the last hour's counters and rates (periods `today`, `last_hour`). Deprecated
 * fields (former names, milliseconds, the 0-1 share) are left out: their replacements are there.
 * Coverage is the figure family's completeness (providers reporting since completeness.from).
 */
export function snapshotRows(body: CsvSnapshot): CsvRow[] {
  const coverage = (family: FigureFamily) => ({
    coverage_reported: body.completeness.families?.[family].reported ?? null,
    coverage_expected: body.completeness.families?.[family].expected ?? null,
  });
  const common = { ...scopeCells(body.scope), disclosure: body.disclosure };
  const live = { period: 'live', start: body.asOf, end: body.asOf, open: undefined };
  const rows: CsvRow[] = [
    ...GAUGE_FIGURES.map((f) => ({
      ...common,
      metric: f,
      unit: 'count',
      ...live,
      ...splitCells(body.live.gauges[f] ?? null),
      ...coverage(FIGURE_FAMILY[f]),
    })),
    ...BED_FIGURES.map((f) => ({
      ...common,
      metric: f,
      unit: 'count',
      ...live,
      ...ONE_VALUE(body.live.beds[f] ?? null),
      ...coverage('beds'),
    })),
    {
      ...common,
      metric: 'ga_occupancy_pct',
      unit: 'percent',
      ...live,
      ...ONE_VALUE(body.live.ga_occupancy_pct),
      ...coverage('beds'),
    },
  ];
  for (const [period, p] of [
    ['today', body.today],
    ['last_hour', body.lastHour],
  ] as const) {
    const at = { period, start: p.from, end: p.to, open: Date.parse(p.to) > Date.parse(body.asOf) };
    for (const f of COUNTER_FIGURES) {
      if (counterUnit(f) !== 'count') continue;
      rows.push({
        ...common,
        metric: f,
        unit: 'count',
        ...at,
        ...splitCells(p.counters[f] ?? null),
        ...coverage(FIGURE_FAMILY[f]),
      });
    }
    for (const rate of Object.keys(RATE_UNITS) as (keyof typeof RATE_UNITS)[]) {
      const { unit, family } = RATE_UNITS[rate];
      rows.push({
        ...common,
        metric: rate,
        unit,
        ...at,
        ...splitCells(p.rates[rate]),
        ...coverage(family),
      });
    }
  }
  return rows;
}

/** RFC 4180 text: a header row, CRLF, fields quoted where needed, formula-like text escaped. */
export function toCsv(rows: readonly CsvRow[]): string {
  return stringify(rows as CsvRow[], {
    header: true,
    columns: [...CSV_COLUMNS],
    record_delimiter: 'windows',
    // A cell such as "=HYPERLINK(…)" is data, not a formula, when the file is opened.
    escape_formulas: true,
    cast: { boolean: (value) => String(value) },
  });
}
