// The `figures=` filter of the push feed: which figures a subscriber wants. A narrowed snapshot
// keeps its shape (scope, asOf, freshness, completeness...) and drops the other figures from
// each figure object.
import { BED_FIGURES, COUNTER_FIGURES, GAUGE_FIGURES } from '@pulse/kpi';
import { invalidParameter } from '../errors.js';
import type { Snapshot } from '../schemas/snapshot.js';

/** Figures derived from others: the period rates and live occupancy. */
export const DERIVED_FIGURES = [
  'ed_within_4h_share',
  'ambulance_handover_hours_lost',
  'ga_occupancy_pct',
] as const;

export const STREAM_FIGURES: readonly string[] = [
  ...COUNTER_FIGURES,
  ...GAUGE_FIGURES,
  ...BED_FIGURES,
  ...DERIVED_FIGURES,
];
const KNOWN = new Set(STREAM_FIGURES);

/** The figures named by `figures=` (sorted, deduplicated), or undefined for all of them. */
export function parseFigures(raw: string | undefined): readonly string[] | undefined {
  if (raw === undefined) return undefined;
  const names = [...new Set(raw.split(',').map((name) => name.trim()))].sort();
  const unknown = names.filter((name) => !KNOWN.has(name));
  if (names.length === 0 || unknown.length > 0) {
    throw invalidParameter(
      'query',
      'figures',
      `must be a comma list of figure names; unknown: ${unknown.join(', ') || '(empty)'}`,
    );
  }
  return names.length === STREAM_FIGURES.length ? undefined : names;
}

function pick<T extends object>(figures: T, wanted: ReadonlySet<string>): Partial<T> {
  return Object.fromEntries(
    Object.entries(figures).filter(([name]) => wanted.has(name)),
  ) as Partial<T>;
}

/** The snapshot with only the wanted figures (its other fields kept). */
export function narrowSnapshot(snapshot: Snapshot, figures: readonly string[]): unknown {
  const wanted = new Set(figures);
  const period = (p: Snapshot['today']) => ({
    ...p,
    counters: pick(p.counters, wanted),
    rates: pick(p.rates, wanted),
  });
  const live: Record<string, unknown> = {
    gauges: pick(snapshot.live.gauges, wanted),
    beds: pick(snapshot.live.beds, wanted),
  };
  if (wanted.has('ga_occupancy_pct')) live.ga_occupancy_pct = snapshot.live.ga_occupancy_pct;
  return {
    ...snapshot,
    live,
    today: period(snapshot.today),
    lastHour: period(snapshot.lastHour),
    // A controlled body's suppressions: those of the figures kept.
    ...(snapshot.suppressed && {
      suppressed: snapshot.suppressed.filter((s) => kept(s.path, wanted)),
    }),
  };
}

/** Whether a JSON pointer into a snapshot is to a figure kept (or to no figure). */
function kept(path: string, wanted: ReadonlySet<string>): boolean {
  const [, , group, figure] = path.split('/');
  if (path.startsWith('/live/ga_occupancy_pct')) return wanted.has('ga_occupancy_pct');
  return !FIGURE_GROUPS.has(group ?? '') || wanted.has(figure ?? '');
}

const FIGURE_GROUPS = new Set(['counters', 'rates', 'gauges', 'beds']);
