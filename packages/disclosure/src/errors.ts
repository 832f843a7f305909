import { PulseError } from '@pulse/errors';

/**
 * NOT_A_COUNT: a figure that must be a count is negative, fractional or not finite.
 * MISMATCHED_TREE: bodies given as one family do not describe the same thing (another metric,
 * interval or buckets).
 * UNPROTECTABLE: a suppressed value would be recoverable and no further value can be hidden (a
 * defect: every relation holds sub-national values that can be).
 */
export type DisclosureErrorCode = 'NOT_A_COUNT' | 'MISMATCHED_TREE' | 'UNPROTECTABLE';

export class DisclosureError extends PulseError<DisclosureErrorCode> {}
