// Every boundary of the v1 figures, in one place. Each says which side of the boundary counts.
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
