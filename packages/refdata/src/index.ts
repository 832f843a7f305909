export { loadRefData, DEFAULT_DATA_DIR } from './load.js';
export { createRefData } from './ref-data.js';
export { londonDateOf, londonDaySpan } from './london-date.js';
export { RefDataError, type RefDataErrorCode } from './errors.js';
export type { Membership, Tables } from './tables.js';
export type * from './types.js';
