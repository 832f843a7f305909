// Every boundary of the v1 figures, in one place. Each says which side of the boundary counts.
import { MAX_ED_STAY_MS, MAX_RTT_WAIT_MS, MAX_SPELL_MS } from '@pulse/contracts';
import { HOUR_MS, MINUTE_MS } from './buckets.js';

const WEEK_MS = 7 * 24 * HOUR_MS;

// Each ED and handover boundary follows the published NHS definition named beside it; the sources
// are listed in packages/kpi/README.md ("Boundaries and their sources").

/**
 * The 4-hour standard: a departure counts as within 4 h when departure - arrival <= 4 h, as NHS
 * England counts attendances "spending 4 hours or less in A&E" from arrival to admission,
 * transfer or discharge (exactly 4 h is within).
 */
export const ED_WITHIN_MS = 4 * HOUR_MS;
/**
 * 12 hours from arrival: a departure counts when departure - arrival >= 12 h, as NHS England's
 * "12 hours or more from arrival" measure does (exactly 12 h 00 m is counted); a patient in the
 * department now when arrival <= asOf - 12 h (`GAUGE_OVER`, inclusive).
 */
export const ED_OVER_MS = 12 * HOUR_MS;
/**
 * The handover standard: a handover within 15 minutes of arrival loses nothing; time beyond
 * handover - arrival = 15 min is lost (max 0, so exactly 15 min loses 0).
 */
export const HANDOVER_STANDARD_MS = 15 * MINUTE_MS;
/** A handover delay "over 30 minutes" (the UEC sitrep's): handover - arrival > 30 min (strict). */
export const HANDOVER_OVER_30M_MS = 30 * MINUTE_MS;
/** A handover delay "over 60 minutes": handover - arrival > 60 min (strict). */
export const HANDOVER_OVER_60M_MS = 60 * MINUTE_MS;
/** An open RTT pathway is over 18 weeks when its clock started before asOf - 18 weeks (strict). */
export const RTT_18W_MS = 18 * WEEK_MS;
/** Over 52 weeks: clock start < asOf - 52 weeks. */
export const RTT_52W_MS = 52 * WEEK_MS;
/** Over 65 weeks: clock start < asOf - 65 weeks. */
export const RTT_65W_MS = 65 * WEEK_MS;

/**
 * How long live state counts, the contract's plausibility bounds: a gauge counts an open
 * attendance, an open RTT pathway or a spell not meeting the criteria to reside only while its
 * score (arrival, clock start, the criteria change) is at least `asOf - window`. Past that, no
 * valid event can end it (a departure more than 7 days after arrival is refused), so it is junk
 * that would otherwise count for ever; the store trims such entries once no read can see them,
 * which bounds every state set. A discharge counts as "not meeting" only if the criteria change
 * that said so is within the spell window before it, for the same reason.
 */
export const STATE_WINDOW_MS = {
  ed: MAX_ED_STAY_MS,
  rtt: MAX_RTT_WAIT_MS,
  ctr: MAX_SPELL_MS,
} as const;
export type StateWindow = keyof typeof STATE_WINDOW_MS;

/** True while live state scored `score` still counts at `asOf` (score >= asOf - window). */
export function inStateWindow(kind: StateWindow, score: number, asOf: number): boolean {
  return score >= asOf - STATE_WINDOW_MS[kind];
}
