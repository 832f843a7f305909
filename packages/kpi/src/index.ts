export * from './types.js';
export * from './buckets.js';
export * from './thresholds.js';
export * from './attribution.js';
export * from './effects.js';
export * from './gauges.js';
export * from './rejections.js';
export * from './data-quality.js';
