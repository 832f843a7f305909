// Test support: what proves the product right, kept out of every runtime package. Runtime
// packages list @pulse/verify only under devDependencies (packages/verify/test checks it).
export * from './errors.js';
export * from './oracle.js';
export * from './reference-applier.js';
export * from './sent-log.js';
export * from './openapi-check.js';
export * from './prng.js';
