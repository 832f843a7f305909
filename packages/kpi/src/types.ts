// The domain model shared by the aggregator (which applies it to Redis), the read module (which
// merges it back) and the brute-force oracle of @pulse/verify. Pure data: no I/O here.
import type { AgeGroup } from '@pulse/contracts';
import type { FigureFamily } from '@pulse/refdata';

export type { AgeGroup } from '@pulse/contracts';
export const AGE_GROUPS: readonly AgeGroup[] = ['child', 'adult', 'unknown'];

/** Counted per scope, per bucket (15m, 1h, London day) of the event's `occurredAt`, per age group. */
export const COUNTER_FIGURES = [
  'ed_attendances', // ED_ARRIVAL
  'ed_attendances_ambulance', // ED_ARRIVAL with arrivalMode AMBULANCE
  'ed_departures', // ED_DEPARTURE
  'ed_departures_within_4h', // departure - arrival <= 4 h (the 4-hour standard)
  'ed_departures_over_12h', // departure - arrival > 12 h
  'ed_departures_admitted', // disposal ADMITTED
  'ambulance_handovers', // AMBULANCE_HANDOVER
  'ambulance_handovers_over_30m', // handover - arrival > 30 min
  'ambulance_handovers_over_60m', // handover - arrival > 60 min
  'ambulance_handover_ms_lost', // sum of max(0, handover - arrival - 15 min), milliseconds
  'admissions_emergency',
  'admissions_elective',
  'admissions_other',
  'discharges_home',
  'discharges_care_home',
  'discharges_other_provider',
  'discharges_hospice',
  'discharges_died',
  'discharges_other',
  'discharges_not_meeting_ctr', // DISCHARGE of a spell that did not meet the criteria to reside
  'rtt_clock_starts_recorded', // RTT_CLOCK_START, in the buckets of its occurredAt (when recorded)
  'rtt_clock_stops', // RTT_CLOCK_STOP, in the buckets of its occurredAt (the stop)
] as const;
export type CounterFigure = (typeof COUNTER_FIGURES)[number];

/** The figure a discharge of a spell not meeting the criteria to reside counts in. */
export const NOT_MEETING_DISCHARGES: CounterFigure = 'discharges_not_meeting_ctr';

/**
 * Former names of counter figures, still accepted by the API and served beside the new name,
 * deprecated: `rtt_clock_starts` counted RTT_CLOCK_START events by when they were recorded
 * (`occurredAt`), not clock starts dated by `clockStartAt`, so it was renamed for what it counts.
 */
export const DEPRECATED_COUNTER_ALIASES = {
  rtt_clock_starts: 'rtt_clock_starts_recorded',
} as const satisfies Record<string, CounterFigure>;
export type DeprecatedCounterAlias = keyof typeof DEPRECATED_COUNTER_ALIASES;

/** Live gauges, evaluated "as of" an instant from per-trust state; summed over a scope's trusts. */
export const GAUGE_FIGURES = [
  'ed_in_department', // open attendances (arrived, not departed)
  'ed_in_department_over_12h', // of those, arrived more than 12 h before asOf
  'ctr_not_meeting', // spells whose latest criteria-to-reside state is "does not meet", not discharged
  'rtt_waiting', // open RTT pathways (clock started, not stopped)
  'rtt_over_18w', // of those, clock started more than 18 weeks before asOf
  'rtt_over_52w',
  'rtt_over_65w',
] as const;
export type GaugeFigure = (typeof GAUGE_FIGURES)[number];

/** G&A beds: latest BED_STATE per site, bed type GENERAL_ACUTE; no age split. */
export const BED_FIGURES = ['ga_beds_open', 'ga_beds_occupied'] as const;
export type BedFigure = (typeof BED_FIGURES)[number];

/** A figure split by age group. `total` = child + adult + unknown. */
export interface Split {
  child: number;
  adult: number;
  unknown: number;
  total: number;
}

export type ScopeKind = 'trust' | 'icb' | 'region' | 'england';
export type Scope =
  | { kind: 'trust'; code: string }
  | { kind: 'icb'; code: string }
  | { kind: 'region'; code: string }
  | { kind: 'england' };

export type BucketSize = '15m' | '1h' | '1d';

/**
 * A bucket: 15m and 1h buckets are UTC-aligned and identified by their start instant; 1d buckets
 * are London calendar days ('YYYY-MM-DD'), 23 to 25 hours long.
 */
export interface Bucket {
  size: BucketSize;
  /** Stable id used in keys: epoch ms of the start for 15m/1h, 'YYYY-MM-DD' for 1d. */
  id: string;
  start: number;
  end: number;
}

/** One counter increment: applies to each scope the event is attributed to, in each of its buckets. */
export interface CounterIncrement {
  figure: CounterFigure;
  group: AgeGroup;
  by: number;
}

/** Per-trust live state changes, applied in partition order. Ids are unique within their trust.
 * The reference semantics is `applyInMemory` in @pulse/verify's reference-applier.ts. */
export type StateOp =
  /** An ED attendance (set 'ed', score = arrival) or RTT pathway (set 'rtt', score = clock start)
   * becomes open, unless it was already closed (a departure/stop that arrived first). */
  | { op: 'open'; set: 'ed' | 'rtt'; id: string; score: number; group: AgeGroup }
  /** It closes: removed from the open set (whatever its group) and remembered as closed. */
  | { op: 'close'; set: 'ed' | 'rtt'; id: string; at: number }
  /** A spell's criteria-to-reside state changes at `at`, kept in the spell's history of changes.
   * Judged by event time: the change in force at an instant is the latest at or before it (a tie
   * goes to the later applied), whatever order they arrive in. Not discharged: the spell is in
   * the not-meeting set of the group of its latest change, scored by that change's time, if that
   * change says no (a patient can turn 18 during a spell, so events of one spell may carry
   * different groups). Discharged: a change dated after the discharge is ignored; one at or
   * before it (arriving late, within the grace period) judges the discharge again, and if its
   * verdict changes, `discharges_not_meeting_ctr` is corrected by ±1 in the discharge's scopes,
   * buckets and group. */
  | { op: 'ctr'; spellId: string; meets: boolean; group: AgeGroup; at: number }
  /** A spell is discharged: if the change in force at `at` says "not meeting" and is no more than
   * the spell window (STATE_WINDOW_MS.ctr) before `at`, `ifNotMeeting` increments are counted (in
   * the discharge event's scopes and buckets); the spell leaves every group's set and is
   * remembered as discharged. Only a spell's first discharge counts or is corrected later. */
  | { op: 'discharge'; spellId: string; at: number; ifNotMeeting: CounterIncrement[] }
  /** A bed snapshot for a site and bed type; replaces the stored one only if not older
   * (`at` >= stored `at`, so of two with the same `at` the later applied wins). */
  | { op: 'beds'; siteOds: string; bedType: string; at: number; open: number; occupied: number };

/** What one accepted event does. */
export interface EventEffects {
  /** The family of figures the event reports (EVENT_FAMILY): its provider's coverage. */
  family: FigureFamily;
  counters: CounterIncrement[];
  state: StateOp[];
}

/** Who an event counts for, from the reference data on the event's London date. */
export interface Attribution {
  trust: string;
  icb: string;
  region: string;
}

/** The figures of one scope over one period (a bucket, or the sum of several). */
export type CounterFigures = Record<CounterFigure, Split>;
export type GaugeFigures = Record<GaugeFigure, Split>;
export type BedFigures = Record<BedFigure, number>;
