// The bodies this package controls, as the feeds API serves them (services/feeds-api schemas
// snapshot.ts and series.ts), and their controlled form: the same shape with suppressed values
// null, a `disclosure` level and a `suppressed` list saying what was hidden and why.
import type {
  BedFigure,
  CounterFigure,
  GaugeFigure,
  RateSplit,
  ScopeKind,
  Split,
} from '@pulse/kpi';

/** exact: every figure as counted (national tier, or national figures); controlled: this method. */
export const DISCLOSURE_LEVELS = ['exact', 'controlled'] as const;
export type DisclosureLevel = (typeof DISCLOSURE_LEVELS)[number];

/**
 * Why a value is null: suppressed, a count that is 1 to 7 (primary suppression) or hidden so that
 * such a count cannot be recovered by differencing (secondary suppression), deliberately not saying
 * which, since telling them apart lets a reader recover values (docs/disclosure.md); derived, a
 * rate, share or duration whose base count is suppressed.
 */
export const SUPPRESSION_REASONS = ['suppressed', 'derived'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

export interface Suppression {
  /** JSON pointer (RFC 6901) to the value within the body, e.g. /today/counters/ed_attendances/child. */
  path: string;
  reason: SuppressionReason;
}

/** What a controlled body adds. */
export interface DisclosureFields {
  disclosure: DisclosureLevel;
  /** Every suppressed value, in body order; empty when nothing is. */
  suppressed: Suppression[];
}

/**
 * A split whose values may be null. The controls' input types use it too, so the feeds API's
 * response types (nullable since they describe both tiers) can be passed in; an input count that
 * is null is refused (NOT_A_COUNT): only exact bodies are controlled.
 */
export type NullableSplit = { [K in keyof Split]: number | null };

/** The G&A beds counts of a series point of a beds figure (no age split): occupied <= open. */
export type NullableBeds = { [K in BedFigure]: number | null };

/** The counts of a series point: an age split, or the G&A beds open and occupied. */
export type PointCounts = NullableSplit | NullableBeds;

export interface ScopeInfo {
  kind: ScopeKind;
  code?: string;
  name: string;
}

export interface PeriodBody {
  from: string;
  to: string;
  counters: Record<CounterFigure, NullableSplit>;
  rates: {
    /** Per cent, 0-100 (the feeds API's unit for shares); absent from older bodies. */
    ed_within_4h_pct?: RateSplit;
    ed_within_4h_share: RateSplit;
    ambulance_handover_hours_lost: NullableSplit;
  };
}

/** A snapshot as the feeds API composes it (exact). */
export interface SnapshotBody {
  scope: ScopeInfo;
  live: {
    gauges: Record<GaugeFigure, NullableSplit>;
    beds: Record<BedFigure, number | null>;
    ga_occupancy_pct: number | null;
  };
  today: PeriodBody;
  lastHour: PeriodBody;
}

/** A period as published: the same counters (former names included), each split nullable. */
export type ControlledPeriod<P extends PeriodBody = PeriodBody> = Omit<P, 'counters' | 'rates'> & {
  counters: { [K in keyof P['counters']]: NullableSplit };
  /** The rates the body has (ed_within_4h_pct only if it had it), each split nullable. */
  rates: { [K in keyof P['rates']]: NullableSplit };
};

export type ControlledSnapshot<B extends SnapshotBody = SnapshotBody> = Omit<
  B,
  'live' | 'today' | 'lastHour'
> & {
  live: Omit<B['live'], 'gauges' | 'beds'> & {
    gauges: Record<GaugeFigure, NullableSplit>;
    beds: Record<BedFigure, number | null>;
    ga_occupancy_pct: number | null;
  };
  today: ControlledPeriod<B['today']>;
  lastHour: ControlledPeriod<B['lastHour']>;
} & DisclosureFields;

export interface SeriesPoint {
  start: string;
  end: string;
  /**
   * A point may be null where there is nothing to show (left null). A beds figure's point holds
   * the beds open and occupied, from which the feeds API serves its one number.
   */
  value: PointCounts | null;
  /**
   * The reader knows this value without it (the feeds API's null for a bucket no provider
   * reported: 0): its counts are decided as published exactly, so no secondary suppression relies
   * on hiding them.
   */
  known?: boolean;
}

export interface SeriesBody {
  scope: ScopeInfo;
  metric: string;
  interval: string;
  from: string;
  to: string;
  points: readonly SeriesPoint[];
}

export type ControlledSeries<B extends SeriesBody = SeriesBody> = Omit<B, 'points'> & {
  points: (Omit<B['points'][number], 'value'> & { value: PointCounts | null })[];
} & DisclosureFields;

/**
 * A scope's body with the bodies of the scopes that sum to it (England: its regions; a region:
 * its ICBs; an ICB: its trusts on the day), to any depth. Secondary suppression is decided over
 * the whole tree, so a value hidden to protect a trust stays hidden in the ICB's response too.
 */
export interface Family<B> {
  body: B;
  children?: readonly Family<B>[];
}
