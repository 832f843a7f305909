export { generateActivity, SLICE_MS, type GenerateOptions } from './stream.js';
export { buildProfiles, publishes, type TrustProfile } from './profiles.js';
export { createRng, type Rng } from './rng.js';
