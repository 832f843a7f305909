export * from './types.js';
export * from './buckets.js';
export * from './thresholds.js';
export * from './attribution.js';
export * from './effects.js';
export * from './gauges.js';
export * from './reference-applier.js';
export * from './oracle.js';
