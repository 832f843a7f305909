export { loadRefData, DEFAULT_DATA_DIR } from './load.js';
export { createRefData } from './ref-data.js';
export {
  londonDateOf,
  londonDayStartOf,
  londonDaySpan,
  londonHourOf,
  londonOffsetMs,
  londonWeekdayOf,
} from './london-date.js';
export { DAY_MS, HOUR_MS, MINUTE_MS } from './time.js';
export { RefDataError, type RefDataErrorCode } from './errors.js';
export {
  TRUST_KINDS,
  FIGURE_FAMILIES,
  kindsReporting,
  expectedToReport,
  type TrustKind,
  type AeDepartmentType,
  type FigureFamily,
  type KindFacts,
} from './kinds.js';
export type { Membership, Tables } from './tables.js';
export type * from './types.js';
