export * from './types.js';
export { DisclosureError, type DisclosureErrorCode } from './errors.js';
export {
  controlCount,
  isSmall,
  roundToBase,
  ROUNDING_BASE,
  SMALL_MAX,
  SMALL_MIN,
  SMALLEST_PUBLISHED,
} from './rules.js';
export { controlSnapshot, controlSnapshotTree } from './snapshot.js';
export { controlSeries, controlSeriesTree } from './series.js';
export { findScope } from './find.js';
