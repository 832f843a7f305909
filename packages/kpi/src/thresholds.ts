// Every boundary of the v1 figures, in one place. Each says which side of the boundary counts.
import { MAX_ED_STAY_MS, MAX_RTT_WAIT_MS, MAX_SPELL_MS } from '@pulse/contracts';
import { HOUR_MS, MINUTE_MS } from './buckets.js';

const WEEK_MS = 7 * 24 * HOUR_MS;

/** The 4-hour standard: a departure counts as within 4 h when departure - arrival <= 4 h. */
export const ED_WITHIN_MS = 4 * HOUR_MS;
/**
 * Over 12 hours from arrival: a departure when departure - arrival > 12 h; a patient in the
 * department now when arrival < asOf - 12 h (strictly more than 12 h before asOf).
 */
export const ED_OVER_MS = 12 * HOUR_MS;
/** The handover standard: time beyond handover - arrival = 15 min is lost (max 0). */
export const HANDOVER_STANDARD_MS = 15 * MINUTE_MS;
/** A handover is over 30 minutes when handover - arrival > 30 min. */
export const HANDOVER_OVER_30M_MS = 30 * MINUTE_MS;
/** A handover is over 60 minutes when handover - arrival > 60 min. */
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
